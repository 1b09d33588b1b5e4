package io.flambeau.backend.cuda.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Host memory for copies: {@code [position, position + bytes)} of a {@link ByteBuffer} as a native
 * segment the driver can read or write. A direct buffer is passed as is (no copy); a heap buffer is
 * staged through native memory of the call's arena, because the driver cannot address the Java
 * heap (the garbage collector moves it). The checked seam has already refused a null or read-only
 * buffer, a negative size and too few remaining bytes.
 */
final class HostBuffers {
    private HostBuffers() {}

    /** Whether {@code buffer} can be handed to the driver without staging (and so truly asynchronously). */
    static boolean isNative(ByteBuffer buffer) { return buffer.isDirect(); }

    /** The bytes to copy from {@code src}: the buffer itself when direct, else a native copy. */
    static MemorySegment source(ByteBuffer src, long bytes, Arena arena) {
        MemorySegment view = MemorySegment.ofBuffer(src).asSlice(0, bytes);
        if (src.isDirect()) return view;
        MemorySegment staged = arena.allocate(Math.max(1, bytes), 16);
        MemorySegment.copy(view, 0, staged, 0, bytes);
        return staged;
    }

    /** Where the driver writes for {@code dst}: the buffer itself when direct, else native scratch. */
    static MemorySegment destination(ByteBuffer dst, long bytes, Arena arena) {
        if (dst.isDirect()) return MemorySegment.ofBuffer(dst).asSlice(0, bytes);
        return arena.allocate(Math.max(1, bytes), 16);
    }

    /** After the driver wrote {@code written}: copies it into {@code dst} when it was staged. */
    static void complete(ByteBuffer dst, MemorySegment written, long bytes) {
        if (dst.isDirect() || bytes == 0) return;
        MemorySegment.copy(written, 0, MemorySegment.ofBuffer(dst), 0, bytes);
    }
}
