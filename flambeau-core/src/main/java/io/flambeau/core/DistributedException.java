package io.flambeau.core;

/**
 * A collective or process-group operation that failed: the MPI or NCCL call (when one failed),
 * its numeric code and the library's own text for it, or what Flambeau checked before calling
 * (shapes that differ between ranks, a group used after {@code destroy()}, a missing library).
 */
public class DistributedException extends FlambeauException {
    private final String call;
    private final int code;

    public DistributedException(String message) {
        this(null, 0, message, (Throwable) null);
    }

    public DistributedException(String message, Throwable cause) {
        this(null, 0, message, cause);
    }

    /** A failed library call: {@code call} returned {@code code}, which the library describes as {@code text}. */
    public DistributedException(String call, int code, String text, String detail) {
        this(call, code, call + " failed with code " + code + " (" + text + ")" + (detail == null ? "" : ": " + detail), (Throwable) null);
    }

    private DistributedException(String call, int code, String message, Throwable cause) {
        super(message, cause);
        this.call = call;
        this.code = code;
    }

    /** The library function that failed, or null when Flambeau refused before calling one. */
    public String call() { return call; }

    /** The library's status code (0 when no call failed). */
    public int code() { return code; }
}
