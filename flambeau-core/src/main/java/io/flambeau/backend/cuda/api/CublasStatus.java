package io.flambeau.backend.cuda.api;

/**
 * cuBLAS's {@code cublasStatus_t} codes with the names and descriptions cuBLAS documents, and the
 * one {@link #check} every binding passes each cuBLAS status through.
 */
public final class CublasStatus {
    public static final int SUCCESS = 0;
    public static final int NOT_INITIALIZED = 1;
    public static final int ALLOC_FAILED = 3;
    public static final int INVALID_VALUE = 7;
    public static final int ARCH_MISMATCH = 8;
    public static final int MAPPING_ERROR = 11;
    public static final int EXECUTION_FAILED = 13;
    public static final int INTERNAL_ERROR = 14;
    public static final int NOT_SUPPORTED = 15;
    public static final int LICENSE_ERROR = 16;

    private CublasStatus() {}

    public static String name(int status) {
        return switch (status) {
            case SUCCESS -> "CUBLAS_STATUS_SUCCESS";
            case NOT_INITIALIZED -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case ALLOC_FAILED -> "CUBLAS_STATUS_ALLOC_FAILED";
            case INVALID_VALUE -> "CUBLAS_STATUS_INVALID_VALUE";
            case ARCH_MISMATCH -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case MAPPING_ERROR -> "CUBLAS_STATUS_MAPPING_ERROR";
            case EXECUTION_FAILED -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case INTERNAL_ERROR -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case NOT_SUPPORTED -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case LICENSE_ERROR -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus_t(" + status + ")";
        };
    }

    public static String string(int status) {
        return switch (status) {
            case SUCCESS -> "the operation completed successfully";
            case NOT_INITIALIZED -> "the library was not initialized";
            case ALLOC_FAILED -> "the resource allocation failed";
            case INVALID_VALUE -> "an invalid numerical value was used as an argument";
            case ARCH_MISMATCH -> "an absent device architectural feature is required";
            case MAPPING_ERROR -> "an access to GPU memory space failed";
            case EXECUTION_FAILED -> "the GPU program failed to execute";
            case INTERNAL_ERROR -> "an internal operation failed";
            case NOT_SUPPORTED -> "the feature required is not supported";
            case LICENSE_ERROR -> "an error detected when checking the current licensing";
            default -> "unrecognized cuBLAS status " + status;
        };
    }

    /** Throws a {@link CublasException} naming {@code call} unless {@code status} is success. */
    public static void check(int status, String call) {
        if (status != SUCCESS) throw new CublasException(call, status, null);
    }
}
