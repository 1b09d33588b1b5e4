package io.flambeau.core;

/**
 * A CUDA graph used wrongly: during a capture, an op that must wait for the device or touch host
 * memory (a host read such as {@code item()}, a synchronisation, a tensor made from host data, an
 * allocation from another thread, {@code emptyCache}); a capture on a device that cannot capture;
 * a replay of a closed graph. The message names the op.
 */
public class CudaGraphException extends DeviceException {
    public CudaGraphException(String message) { super(message); }

    public CudaGraphException(String message, Throwable cause) { super(message, cause); }
}
