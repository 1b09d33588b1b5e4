package io.flambeau.backend.cuda.jcuda;

import jcuda.Pointer;

import java.nio.ByteBuffer;

/**
 * A JCuda {@link Pointer} at a {@link ByteBuffer}'s position, as {@code CudaApi}'s copies require.
 *
 * <p>JCuda has two: {@code Pointer.to(ByteBuffer)} points at element 0 of the buffer's memory,
 * ignoring {@code position()} (and, for a heap buffer, {@code arrayOffset()}), while
 * {@code Pointer.toBuffer(ByteBuffer)} honours both; this binding uses only the latter. A read-only
 * heap buffer has no accessible array: as a source it is copied once. The checked seam above has
 * already refused a null or (as a destination) read-only buffer, a negative size and too few
 * remaining bytes.
 *
 * <p>Heap arrays are pinned only for the duration of the JCuda call. That is enough for the async
 * copies too: the driver treats pageable host memory (which heap arrays and plain direct buffers are)
 * synchronously, staging host-to-device data before it returns and completing device-to-host copies
 * before it returns.
 */
final class HostPointers {
    private HostPointers() {}

    /** The memory {@code bytes} bytes are read from. */
    static Pointer source(ByteBuffer buffer, long bytes) {
        if (buffer.isDirect() || buffer.hasArray()) return Pointer.toBuffer(buffer);
        byte[] copy = new byte[(int) bytes];
        buffer.get(buffer.position(), copy);
        return Pointer.to(copy);
    }

    /** The memory {@code bytes} bytes are written to. */
    static Pointer destination(ByteBuffer buffer) {
        return Pointer.toBuffer(buffer);
    }
}
