package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaStatus;

import java.nio.ByteBuffer;

import static io.flambeau.backend.cuda.checked.Misuse.refuse;

/**
 * The host side of a copy, checked before any binding sees it: {@code [position, position + bytes)}
 * of a {@link java.nio.ByteBuffer}. A null or (as a destination) read-only buffer, a negative size
 * or too few remaining bytes is {@code CUDA_ERROR_INVALID_VALUE}.
 */
final class HostBufferCheck {
    private HostBufferCheck() {}

    /** {@code buffer} can be read for {@code bytes} bytes. */
    static void source(ByteBuffer buffer, long bytes, String call) { check(buffer, bytes, false, call); }

    /** {@code buffer} can be written for {@code bytes} bytes. */
    static void destination(ByteBuffer buffer, long bytes, String call) { check(buffer, bytes, true, call); }

    private static void check(ByteBuffer buffer, long bytes, boolean writes, String call) {
        if (buffer == null) throw refuse(CudaStatus.INVALID_VALUE, call, "the host buffer is null");
        if (bytes < 0) throw refuse(CudaStatus.INVALID_VALUE, call, "byte count " + bytes + " is negative");
        if (buffer.remaining() < bytes) {
            throw refuse(CudaStatus.INVALID_VALUE, call, "the host buffer has " + buffer.remaining()
                    + " bytes from position " + buffer.position() + " but " + bytes + " were asked for");
        }
        if (writes && buffer.isReadOnly()) {
            throw refuse(CudaStatus.INVALID_VALUE, call, "the destination host buffer is read-only");
        }
    }
}
