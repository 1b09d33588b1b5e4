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
 *
 * <p>A raw host address (the C heap behind an off-heap CPU storage) becomes a pointer through
 * {@code Pointer}'s protected constructor from a native address, the form JCuda itself gives the
 * host memory {@code cuMemAllocHost} returns: the driver reads and writes that memory in place, as
 * with the FFM binding, so no staging buffer is needed.
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

    /** A pointer at the raw host address {@code address}, which the caller keeps allocated during the call. */
    static Pointer at(long address) {
        return new AddressPointer(address);
    }

    /** Exposes {@code Pointer(long)}, protected in JCuda. */
    private static final class AddressPointer extends Pointer {
        AddressPointer(long address) {
            super(address);
        }
    }

    /** The memory {@code bytes} bytes are written to. */
    static Pointer destination(ByteBuffer buffer) {
        return Pointer.toBuffer(buffer);
    }
}
