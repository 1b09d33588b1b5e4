package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaUnavailableException;

import java.util.List;

/**
 * The JCuda binding cannot be used here, with what was found and what JCuda needs instead: its
 * Java jar or its native library missing from the class path, the NVIDIA driver ({@code libcuda.so.1})
 * missing, or a driver older than the CUDA version JCuda was built for. A {@link CudaUnavailableException},
 * so device selection falls back to the CPU with {@link #reasonLine()} as its log line.
 */
public final class JCudaUnavailableException extends CudaUnavailableException {
    private final String found;
    private final String needed;

    JCudaUnavailableException(Reason reason, String reasonLine, String found, String needed, String advice,
                              List<String> tried, Throwable cause) {
        super(reason, reasonLine, "found " + found + "; needs " + needed + (advice.isEmpty() ? "" : "; " + advice),
                tried, cause);
        this.found = found;
        this.needed = needed;
    }

    /** What the binding found on this machine, e.g. "libJCudaDriver-12.0.0-linux-x86_64.so, no libcuda.so.1". */
    public String found() { return found; }

    /** What it needs, e.g. "libcuda.so.1 from an NVIDIA driver for CUDA 12.0 or newer". */
    public String needed() { return needed; }
}
