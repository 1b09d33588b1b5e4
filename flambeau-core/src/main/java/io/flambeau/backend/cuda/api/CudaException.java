package io.flambeau.backend.cuda.api;

import io.flambeau.core.FlambeauException;

/**
 * A CUDA driver or cuBLAS call that did not succeed.
 *
 * <p>Carries the facts a user needs to act on it: which call failed ({@code cuMemAlloc_v2}), the
 * numeric status, its symbolic name and the library's description, plus optional detail (the kernel,
 * PTX line and address of a faulting access; the argument that cuBLAS rejected) and, for module
 * loads, the JIT compiler's error log. The message reads like
 * {@code cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory}.
 */
public class CudaException extends FlambeauException {
    private final String call;
    private final int code;
    private final String errorName;
    private final String errorString;
    private final String detail;
    private final String jitLog;

    public CudaException(String call, int code, String errorName, String errorString,
                         String detail, String jitLog) {
        super(format(call, code, errorName, errorString, detail, jitLog));
        this.call = call;
        this.code = code;
        this.errorName = errorName;
        this.errorString = errorString;
        this.detail = detail;
        this.jitLog = jitLog;
    }

    /** The library function that failed, e.g. {@code cuLaunchKernel} or {@code cublasSgemm_v2}. */
    public String call() { return call; }

    /** The numeric status ({@code CUresult} or {@code cublasStatus_t}). */
    public int code() { return code; }

    /** The status' symbolic name, e.g. {@code CUDA_ERROR_ILLEGAL_ADDRESS}. */
    public String errorName() { return errorName; }

    /** The library's description of the status, e.g. "an illegal memory access was encountered". */
    public String errorString() { return errorString; }

    /** What went wrong in this particular call, or null when the status says it all. */
    public String detail() { return detail; }

    /** The PTX JIT compiler's error log for a failed module load, or null. */
    public String jitLog() { return jitLog; }

    private static String format(String call, int code, String name, String string,
                                 String detail, String jitLog) {
        StringBuilder sb = new StringBuilder()
                .append(call).append(" failed: ").append(name)
                .append(" (").append(code).append("): ").append(string);
        if (detail != null && !detail.isEmpty()) sb.append("; ").append(detail);
        if (jitLog != null && !jitLog.isEmpty()) sb.append("\nJIT log:\n").append(jitLog.strip());
        return sb.toString();
    }
}
