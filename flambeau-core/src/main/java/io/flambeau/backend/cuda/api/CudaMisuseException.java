package io.flambeau.backend.cuda.api;

/**
 * A CUDA call refused before it reached the driver, because an argument cannot be right: a freed or
 * unknown device pointer, a copy running past the end of an allocation, a destroyed handle or one of
 * another context, a host buffer too small, a kernel given the wrong number of arguments. Whatever
 * the binding (FFM, JCuda, the simulated device), the same misuse is this exception with the same
 * message: the call, the status the driver would have returned ({@code CUDA_ERROR_INVALID_VALUE},
 * {@code CUDA_ERROR_INVALID_HANDLE}, ...), the value and what to do.
 */
public class CudaMisuseException extends CudaException {
    public CudaMisuseException(String call, int code, String detail) {
        super(call, code, CudaStatus.name(code), CudaStatus.string(code), detail, null);
    }
}
