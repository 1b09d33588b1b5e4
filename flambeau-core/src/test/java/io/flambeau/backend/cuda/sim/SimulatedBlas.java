package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The simulated cuBLAS behind {@link SimulatedCuda}'s {@code blas*} methods: handles with their
 * device, stream and math mode, and GEMM dispatch to {@link ColumnMajorGemm}. Status codes and call
 * names are cuBLAS's ({@code cublasSgemm_v2}, {@code CUBLAS_STATUS_INVALID_VALUE}, ...). When the
 * configuration says cuBLAS is absent, every call fails with {@code CUBLAS_STATUS_NOT_INITIALIZED},
 * which is how a backend's PTX-GEMM fallback can be tested.
 */
final class SimulatedBlas {
    /** A cuBLAS handle: its device, stream and math mode. */
    private static final class Handle {
        final int device;
        long stream;
        int mathMode;

        Handle(int device) { this.device = device; }
    }

    private final SimulatedCudaConfig cfg;
    private final IntFunction<DeviceMemory> memoryOf;
    private final Map<Long, Handle> handles = new HashMap<>();

    SimulatedBlas(SimulatedCudaConfig cfg, IntFunction<DeviceMemory> memoryOf) {
        this.cfg = cfg;
        this.memoryOf = memoryOf;
    }

    private void require(String call) {
        if (!cfg.blas()) throw new CublasException(call, CublasStatus.NOT_INITIALIZED, "cuBLAS is not available (simulated absence)");
    }

    private Handle handle(long h, String call) {
        require(call);
        Handle handle = handles.get(h);
        if (handle == null) throw new CublasException(call, CublasStatus.NOT_INITIALIZED, "unknown or destroyed cuBLAS handle 0x" + Long.toHexString(h));
        return handle;
    }

    int version() {
        require("cublasGetVersion_v2");
        return cfg.blasVersion();
    }

    long create(int device, long newHandle) {
        require("cublasCreate_v2");
        handles.put(newHandle, new Handle(device));
        return newHandle;
    }

    void destroy(long h) {
        handle(h, "cublasDestroy_v2");
        handles.remove(h);
    }

    /** {@code streamDevice}: the device owning {@code stream}, or null if it is not a live stream. */
    void setStream(long h, long stream, Integer streamDevice) {
        String call = "cublasSetStream_v2";
        Handle handle = handle(h, call);
        if (stream != 0 && (streamDevice == null || streamDevice != handle.device)) {
            throw new CublasException(call, CublasStatus.INVALID_VALUE, "stream 0x" + Long.toHexString(stream)
                    + " is not a live stream of the handle's device " + handle.device);
        }
        handle.stream = stream;
    }

    void setMathMode(long h, int mode) {
        String call = "cublasSetMathMode";
        Handle handle = handle(h, call);
        int base = mode & ~16; // 16 = CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION
        if (base < 0 || base > 3) throw new CublasException(call, CublasStatus.INVALID_VALUE, "math mode " + mode);
        handle.mathMode = mode;
    }

    /** Handles of a device whose context was destroyed stop working. */
    void forgetDevice(int device) {
        handles.values().removeIf(h -> h.device == device);
    }

    /** Plain ({@code batchCount} 1, strides 0) or strided-batched GEMM; {@code elem} 4 or 8 bytes. */
    void gemm(String call, long h, int transa, int transb, int m, int n, int k, double alpha,
              long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c,
              int ldc, long strideC, int batchCount, int elem) {
        Handle handle = handle(h, call);
        if (!ColumnMajorGemm.validate(call, transa, transb, m, n, k, lda, ldb, ldc, batchCount)) return;
        if ((alpha == 0 || k == 0) && beta == 1) return; // cuBLAS's quick return: C untouched
        DeviceMemory mem = memoryOf.apply(handle.device);
        boolean tf32 = elem == 4 && (handle.mathMode & 3) == CudaApi.CUBLAS_TF32_TENSOR_OP_MATH && cfg.ccMajor() >= 8;
        for (int i = 0; i < batchCount; i++) {
            ColumnMajorGemm.gemm(mem, call, transa, transb, m, n, k, alpha, a + i * strideA * elem, lda,
                    b + i * strideB * elem, ldb, beta, c + i * strideC * elem, ldc, elem, tf32);
        }
    }
}
