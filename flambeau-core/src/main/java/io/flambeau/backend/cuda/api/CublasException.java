package io.flambeau.backend.cuda.api;

/**
 * A cuBLAS call that returned a {@code cublasStatus_t} other than success. A separate type because
 * its {@link #code()} is a cuBLAS status, not a driver {@code CUresult}: code 1 here is
 * {@code CUBLAS_STATUS_NOT_INITIALIZED}, not {@code CUDA_ERROR_INVALID_VALUE}.
 */
public class CublasException extends CudaException {
    public CublasException(String call, int status, String detail) {
        super(call, status, CublasStatus.name(status), CublasStatus.string(status), detail, null);
    }
}
