package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import jcuda.driver.JCudaDriver;

/**
 * The one check every driver status returned through JCuda passes: success returns, anything else
 * throws a {@link CudaException} naming the call, the code, and the driver's own name and text for
 * it ({@code cuGetErrorName}/{@code cuGetErrorString}).
 *
 * <p>JCuda can throw its own {@code jcuda.CudaException} instead of returning statuses; the binding
 * turns that off ({@link JCudaLibraries}) because JCuda's exception names neither Flambeau's call nor
 * the driver's description. cuBLAS statuses go through {@code CublasStatus.check}, as in every
 * binding: cuBLAS has no error-string call in the subset Flambeau binds.
 */
final class JCudaStatus {
    private JCudaStatus() {}

    /** Throws unless {@code status} is {@code CUDA_SUCCESS}. */
    static void check(int status, String call) {
        if (status != CudaStatus.SUCCESS) throw error(status, call, null, null);
    }

    /**
     * The exception for a failed call. The driver's text is preferred; for a code the driver does not
     * know ({@code cuGetErrorName} itself fails) Flambeau's table answers, as the FFM binding does.
     */
    static CudaException error(int status, String call, String detail, String jitLog) {
        String[] name = new String[1];
        String[] text = new String[1];
        boolean named = JCudaDriver.cuGetErrorName(status, name) == CudaStatus.SUCCESS && name[0] != null;
        boolean described = JCudaDriver.cuGetErrorString(status, text) == CudaStatus.SUCCESS && text[0] != null;
        return new CudaException(call, status,
                named ? name[0] : CudaStatus.name(status),
                described ? text[0] : CudaStatus.string(status),
                detail, jitLog);
    }
}
