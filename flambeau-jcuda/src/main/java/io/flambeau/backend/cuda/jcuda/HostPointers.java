package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaStatus;
import jcuda.Pointer;

import java.nio.ByteBuffer;

/**
 * A JCuda {@link Pointer} at a {@link ByteBuffer}'s position, as {@code CudaApi}'s copies require.
 *
 * <p>JCuda has two: {@code Pointer.to(ByteBuffer)} points at element 0 of the buffer's memory,
 * ignoring {@code position()} (and, for a heap buffer, {@code arrayOffset()}), while
 * {@code Pointer.toBuffer(ByteBuffer)} honours both; this binding uses only the latter. A read-only
 * heap buffer has no accessible array: as a source it is copied once. A null or (as a destination)
 * read-only buffer, a negative size or too few remaining bytes is {@code CUDA_ERROR_INVALID_VALUE},
 * refused before JCuda is called, with the same wording as the FFM binding.
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
        check(buffer, bytes, false, call);
        if (buffer.isDirect() || buffer.hasArray()) return Pointer.toBuffer(buffer);
        byte[] copy = new byte[(int) bytes];
        buffer.get(buffer.position(), copy);
        return Pointer.to(copy);
    }

    /** The memory {@code bytes} bytes are written to. */
    static Pointer destination(ByteBuffer buffer, long bytes, String call) {
        check(buffer, bytes, true, call);
        return Pointer.toBuffer(buffer);
    }

    private static void check(ByteBuffer buffer, long bytes, boolean writes, String call) {
        if (buffer == null) throw refuse(call, "the host buffer is null");
        if (bytes < 0) throw refuse(call, "byte count " + bytes + " is negative");
        if (buffer.remaining() < bytes) {
            throw refuse(call, "the host buffer has " + buffer.remaining() + " bytes from position " + buffer.position()
                    + " but " + bytes + " were asked for");
        }
        if (writes && buffer.isReadOnly()) throw refuse(call, "the destination host buffer is read-only");
    }

    private static RuntimeException refuse(String call, String detail) {
        return JCudaStatus.error(CudaStatus.INVALID_VALUE, call, detail, null);
    }
}
