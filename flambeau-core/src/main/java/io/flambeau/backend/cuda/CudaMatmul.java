package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;
import io.flambeau.core.ShapeException;

/**
 * Batched matrix products {@code (B,m,k)·(B,k,n) → (B,m,n)}.
 *
 * <p>cuBLAS is column-major and Flambeau row-major. A row-major matrix with row stride {@code ld} is
 * the column-major transpose with leading dimension {@code ld}, so the row-major product C = A B is
 * computed as the column-major C^T = B^T A^T: cuBLAS's "A" is our B, its "B" is our A, with
 * m and n swapped and {@code ldc = n}. A view whose columns are contiguous (column-major storage,
 * e.g. a transposed matrix) is passed as-is with {@code CUBLAS_OP_T} instead of being copied; only
 * views with neither unit stride are copied densely first. Batches use strided-batched GEMM (batch
 * stride 0 broadcasts).
 *
 * <p>Float32 runs in full FP32 by default. TF32 tensor cores (faster on compute capability 8.0+, with
 * a 10-bit mantissa) are opt-in: {@code -Dflambeau.cuda.tf32=true} or {@link CudaBackend#setAllowTf32}.
 *
 * <p>Without cuBLAS, and for int64 (cuBLAS has no integer GEMM), the tiled kernels of
 * {@code kernels/gemm.ptx} run instead; they read any strides directly.
 */
final class CudaMatmul {
    private static final int MAX_GRID_Z = 65535;

    private final CudaBackend backend;
    private int mathMode = -1;

    CudaMatmul(CudaBackend backend) {
        this.backend = backend;
    }

    /**
     * {@code out = a·b + bias} as one cuBLAS call with {@code beta = 1} over the bias broadcast into
     * {@code out} (one copy kernel, no add pass); with {@code relu}, the product instead goes first
     * and one kernel adds the bias and applies the ReLU. Other cases take the unfused route.
     */
    void matmulBias(View a, View b, View bias, View out, boolean relu) {
        long batch = out.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        boolean fusable = backend.context().api.hasBlas() && out.isContiguous()
                && (out.dtype() == DType.FLOAT32 || out.dtype() == DType.FLOAT64)
                && k > 0 && k <= Integer.MAX_VALUE && m <= Integer.MAX_VALUE && n <= Integer.MAX_VALUE;
        if (batch == 0 || m == 0 || n == 0) return;
        if (relu) {
            matmul(a, b, out);
            backend.addRelu(out, bias, out);
            return;
        }
        if (!fusable) {
            matmul(a, b, out);
            backend.binary(io.flambeau.backend.BinaryOp.ADD, out, bias, out);
            return;
        }
        backend.copy(bias, out);
        try (ScratchTensors tmp = new ScratchTensors(backend)) {
            blas(a, b, out, batch, (int) m, (int) n, (int) k, tmp, 1.0);
        }
    }

    void matmul(View a, View b, View out) {
        long batch = out.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            backend.fill(out, 0);
            return;
        }
        if (m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE) {
            throw new ShapeException("matmul: matrix dims must fit in 32 bits on CUDA, got (" + m + "x" + k + ")·(" + k + "x" + n + ")");
        }
        try (ScratchTensors tmp = new ScratchTensors(backend)) {
            if (!out.isContiguous() || out.dtype() == DType.BOOL) {
                DType t = out.dtype() == DType.BOOL ? DType.INT64 : out.dtype(); // bool products count in int64
                View dense = tmp.empty(t, out.shape());
                matmul(tmp.cast(a, t), tmp.cast(b, t), dense);
                backend.copy(dense, out);
            } else if (out.dtype() == DType.INT64 || !backend.context().api.hasBlas()) {
                tiled(a, b, out, batch, (int) m, (int) n, (int) k);
            } else {
                blas(a, b, out, batch, (int) m, (int) n, (int) k, tmp, 0.0);
            }
        }
    }

    /** How cuBLAS can read a matrix: as stored (row-major here) or transposed, and its leading dimension. */
    private record Layout(boolean rowMajor, int ld) {}

    /** The layout of an r x c matrix with row stride sr and column stride sc, or null when neither fits. */
    private static Layout layout(long r, long c, long sr, long sc) {
        if (sr < 0 || sc < 0) return null;
        if ((sc == 1 || c == 1) && (r == 1 || sr >= Math.max(1, c))) {
            long ld = r == 1 ? Math.max(1, c) : sr;
            if (ld <= Integer.MAX_VALUE) return new Layout(true, (int) ld);
        }
        if ((sr == 1 || r == 1) && (c == 1 || sc >= Math.max(1, r))) {
            long ld = c == 1 ? Math.max(1, r) : sc;
            if (ld <= Integer.MAX_VALUE) return new Layout(false, (int) ld);
        }
        return null;
    }

    /** cuBLAS GEMM into dense {@code out}: {@code out = a·b + beta * out}. */
    private void blas(View a, View b, View out, long batch, int m, int n, int k, ScratchTensors tmp, double beta) {
        Layout la = layout(m, k, a.strides()[1], a.strides()[2]);
        if (la == null || a.strides()[0] < 0) {
            a = tmp.dense(a);
            la = layout(m, k, a.strides()[1], a.strides()[2]);
        }
        Layout lb = layout(k, n, b.strides()[1], b.strides()[2]);
        if (lb == null || b.strides()[0] < 0) {
            b = tmp.dense(b);
            lb = layout(k, n, b.strides()[1], b.strides()[2]);
        }
        CudaApi api = backend.context().api;
        long handle = backend.blasHandle();
        backend.context().makeCurrent();
        boolean single = out.dtype() == DType.FLOAT32;
        if (single) {
            int mode = CudaBackend.allowTf32() ? CudaApi.CUBLAS_TF32_TENSOR_OP_MATH : CudaApi.CUBLAS_DEFAULT_MATH;
            if (mode != mathMode) {
                api.blasSetMathMode(handle, mode);
                mathMode = mode;
            }
        }
        int opB = lb.rowMajor ? CudaApi.CUBLAS_OP_N : CudaApi.CUBLAS_OP_T;
        int opA = la.rowMajor ? CudaApi.CUBLAS_OP_N : CudaApi.CUBLAS_OP_T;
        long size = out.dtype().byteSize();
        long pa = a.storage().dataPtr() + a.offset() * size, pb = b.storage().dataPtr() + b.offset() * size;
        long pc = out.storage().dataPtr() + out.offset() * size;
        long strideA = b.strides()[0], strideB = a.strides()[0], strideC = (long) m * n;
        for (long z0 = 0; z0 < batch; z0 += Integer.MAX_VALUE) {
            int count = (int) Math.min(Integer.MAX_VALUE, batch - z0);
            long qa = pb + z0 * strideA * size, qb = pa + z0 * strideB * size, qc = pc + z0 * strideC * size;
            if (count == 1) {
                if (single) api.blasSgemm(handle, opB, opA, n, m, k, 1f, qa, lb.ld, qb, la.ld, (float) beta, qc, n);
                else api.blasDgemm(handle, opB, opA, n, m, k, 1.0, qa, lb.ld, qb, la.ld, beta, qc, n);
            } else if (single) {
                api.blasSgemmStridedBatched(handle, opB, opA, n, m, k, 1f, qa, lb.ld, strideA, qb, la.ld, strideB,
                        (float) beta, qc, n, strideC, count);
            } else {
                api.blasDgemmStridedBatched(handle, opB, opA, n, m, k, 1.0, qa, lb.ld, strideA, qb, la.ld, strideB,
                        beta, qc, n, strideC, count);
            }
        }
    }

    private void tiled(View a, View b, View out, long batch, int m, int n, int k) {
        String entry = switch (out.dtype()) {
            case FLOAT32 -> "gemm_f32";
            case FLOAT64 -> "gemm_f64";
            default -> "gemm_s64";
        };
        KernelCache kernels = backend.kernels();
        KernelCache.Kernel kernel = kernels.shipped("gemm.ptx", entry);
        long size = out.dtype().byteSize();
        long[] as = a.strides(), bs = b.strides();
        int gx = (int) ((n + 15L) / 16), gy = (int) ((m + 15L) / 16);
        for (long z0 = 0; z0 < batch; z0 += MAX_GRID_Z) {
            int count = (int) Math.min(MAX_GRID_Z, batch - z0);
            KernelArgs args = new KernelArgs()
                    .ptr(a.storage().dataPtr() + (a.offset() + z0 * as[0]) * size).s64(as[0]).s64(as[1]).s64(as[2])
                    .ptr(b.storage().dataPtr() + (b.offset() + z0 * bs[0]) * size).s64(bs[0]).s64(bs[1]).s64(bs[2])
                    .ptr(out.storage().dataPtr() + (out.offset() + z0 * (long) m * n) * size)
                    .u32(m).u32(n).u32(k);
            kernels.launch(kernel, gx, gy, count, 16, 16, 1, 0, args);
        }
    }
}
