package io.flambeau.backend.cuda.api;

import io.flambeau.core.FlambeauException;

import java.util.List;

/**
 * CUDA cannot be used on this machine at all: the driver library is missing or a stub, it is too
 * old for Flambeau's PTX, or it finds no device. Thrown when a binding is opened, before any tensor
 * exists, so that device selection can fall back to the CPU with {@link #reasonLine()} as its one
 * log line, and the doctor command can print {@link #getMessage()} with its advice.
 */
public class CudaUnavailableException extends FlambeauException {
    /** Why CUDA is unavailable; each has its own advice. */
    public enum Reason {
        /** libcuda.so.1 (the NVIDIA driver's CUDA library) was not found. */
        NO_DRIVER,
        /** The library found is the CUDA toolkit's link stub, not a driver. */
        STUB_DRIVER,
        /** The driver is older than CUDA 11.0, the oldest that JIT-compiles PTX 7.0. */
        DRIVER_TOO_OLD,
        /** The driver works but sees no CUDA device. */
        NO_DEVICE,
        /** cuInit failed for another reason (the message names the status). */
        INIT_FAILED
    }

    private final Reason reason;
    private final String reasonLine;
    private final String details;
    private final List<String> tried;

    /**
     * @param reasonLine one short line for the device-selection log, e.g.
     *                   {@code "no NVIDIA driver (libcuda.so.1 not found)"}
     * @param details    what was found or tried and what to do about it
     * @param tried      the places searched for a library (empty when not about a library)
     */
    public CudaUnavailableException(Reason reason, String reasonLine, String details, List<String> tried,
                                    Throwable cause) {
        super(reasonLine + (details == null || details.isEmpty() ? "" : ": " + details), cause);
        this.reason = reason;
        this.reasonLine = reasonLine;
        this.details = details == null ? "" : details;
        this.tried = List.copyOf(tried);
    }

    public Reason reason() { return reason; }

    /** The short form for one log line (the message adds what was tried and what to do). */
    public String reasonLine() { return reasonLine; }

    /** What was found or tried and what to do (the message is the reason line, a colon, then this). */
    public String details() { return details; }

    /** The library paths or names searched, in order; empty when the library was found. */
    public List<String> tried() { return tried; }
}
