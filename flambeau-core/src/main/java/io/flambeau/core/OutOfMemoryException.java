package io.flambeau.core;

import java.util.Locale;

/**
 * Memory for a tensor could not be allocated on the host: the Java heap cannot hold it. Names the
 * op, the bytes asked for and what the heap had free, so the fix (a smaller batch, releasing
 * tensors sooner, a larger {@code -Xmx}) can be chosen. The CUDA backend's counterpart is its
 * {@code CudaOutOfMemoryException}.
 */
public class OutOfMemoryException extends FlambeauException {
    private final long requestedBytes;
    private final long freeBytes;

    public OutOfMemoryException(String message, long requestedBytes, long freeBytes, Throwable cause) {
        super(message, cause);
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** Bytes the failed allocation asked for. */
    public long requestedBytes() { return requestedBytes; }

    /** Bytes the heap could still give when it failed (its maximum less what live objects use). */
    public long freeBytes() { return freeBytes; }

    /** {@code 1.50 GiB}: binary units, two decimals. */
    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
