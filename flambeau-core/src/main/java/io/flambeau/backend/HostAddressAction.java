package io.flambeau.backend;

/**
 * What {@link Backend#withHostAddress} runs: {@code bytes} bytes of host memory at {@code address}
 * hold the view's elements, dense, in native byte order (bools one byte each, 0 or 1).
 */
@FunctionalInterface
public interface HostAddressAction {
    /** Reads or writes the memory while it runs; it must not keep the address. */
    void run(long address, long bytes);
}
