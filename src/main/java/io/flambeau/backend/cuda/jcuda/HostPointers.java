package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaStatus;
import jcuda.Pointer;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

/**
 * A JCuda {@link Pointer} at a {@link ByteBuffer}'s position, as {@code CudaApi}'s copies require.
 *
 * <p>JCuda has two: {@code Pointer.to(ByteBuffer)} points at element 0 of the buffer's memory,
 * ignoring {@code position()} (and, for a heap buffer, {@code arrayOffset()}), while
 * {@code Pointer.toBuffer(ByteBuffer)} honours both; this binding uses only the latter. A read-only
 * heap buffer has no accessible array: as a source it is copied once, as a destination it is refused.
 *
 * <p>Heap arrays are pinned only for the duration of the JCuda call. That is enough for the async
 * copies too: the driver treats pageable host memory (which heap arrays and plain direct buffers are)
 * synchronously, staging host-to-device data before it returns and completing device-to-host copies
 * before it returns.
 */
final class HostPointers {
    private HostPointers() {}

    /** The memory {@code bytes} bytes are read from; fewer remaining is {@code CUDA_ERROR_INVALID_VALUE}. */
    static Pointer source(ByteBuffer buffer, long bytes, String call) {
        requireRemaining(buffer, bytes, call);
        if (buffer.isDirect() || buffer.hasArray()) return Pointer.toBuffer(buffer);
        byte[] copy = new byte[(int) bytes];
        buffer.get(buffer.position(), copy);
        return Pointer.to(copy);
    }

    /** The memory {@code bytes} bytes are written to. */
    static Pointer destination(ByteBuffer buffer, long bytes, String call) {
        if (buffer.isReadOnly()) throw new ReadOnlyBufferException();
        requireRemaining(buffer, bytes, call);
        return Pointer.toBuffer(buffer);
    }

    private static void requireRemaining(ByteBuffer buffer, long bytes, String call) {
        if (bytes < 0 || bytes > buffer.remaining()) {
            throw JCudaStatus.error(CudaStatus.INVALID_VALUE, call,
                    "the host buffer has " + buffer.remaining() + " bytes remaining, the copy is " + bytes + " bytes", null);
        }
    }
}
