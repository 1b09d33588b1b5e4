package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaStatus;

/**
 * The arithmetic behind {@link SimulatedBlas}: GEMM with cuBLAS's column-major contract, so that a backend that gets the layout wrong fails here
 * as it would on a GPU: element (i, j) of a matrix X with leading dimension ldx is at
 * {@code X[i + j*ldx]}; op(A) is m x k (A stored m x k for N, k x m for T), op(B) is k x n, C is
 * m x n. Arguments are validated in cuBLAS's order and with its status codes. When {@code beta}
 * is 0, C is not read (NaN in C does not propagate), and when {@code alpha} is 0 or {@code k} is 0
 * A and B are not read. Products are accumulated in k order with fused multiply-adds in the
 * matrix's precision. TF32 math mode rounds A and B to TF32 only on compute capability 8.0+, as on
 * a GPU; on the default sm_75 device it has no effect.
 */
final class ColumnMajorGemm {
    static final int OP_C = 2;

    private ColumnMajorGemm() {}

    /** Validates a GEMM's arguments like cuBLAS; returns false if there is nothing to do. */
    static boolean validate(String call, int transa, int transb, int m, int n, int k, int lda, int ldb, int ldc,
                            int batchCount) {
        if (!isOp(transa)) throw invalid(call, "transa = " + transa + " is not CUBLAS_OP_N (0), T (1) or C (2)");
        if (!isOp(transb)) throw invalid(call, "transb = " + transb + " is not CUBLAS_OP_N (0), T (1) or C (2)");
        if (m < 0 || n < 0 || k < 0) throw invalid(call, "m, n, k must be >= 0 (m=" + m + ", n=" + n + ", k=" + k + ")");
        int rowsA = transa == CudaApi.CUBLAS_OP_N ? m : k;
        int rowsB = transb == CudaApi.CUBLAS_OP_N ? k : n;
        if (lda < Math.max(1, rowsA)) {
            throw invalid(call, "lda = " + lda + " < max(1, " + (transa == CudaApi.CUBLAS_OP_N ? "m" : "k") + " = " + rowsA
                    + "): A is stored column-major with " + rowsA + " rows (transa=" + opName(transa) + ")");
        }
        if (ldb < Math.max(1, rowsB)) {
            throw invalid(call, "ldb = " + ldb + " < max(1, " + (transb == CudaApi.CUBLAS_OP_N ? "k" : "n") + " = " + rowsB
                    + "): B is stored column-major with " + rowsB + " rows (transb=" + opName(transb) + ")");
        }
        if (ldc < Math.max(1, m)) throw invalid(call, "ldc = " + ldc + " < max(1, m = " + m + "): C is m x n column-major");
        if (batchCount < 0) throw invalid(call, "batchCount = " + batchCount + " < 0");
        return m > 0 && n > 0 && batchCount > 0;
    }

    private static boolean isOp(int op) {
        return op == CudaApi.CUBLAS_OP_N || op == CudaApi.CUBLAS_OP_T || op == OP_C;
    }

    private static String opName(int op) {
        return op == CudaApi.CUBLAS_OP_N ? "N" : "T";
    }

    static CublasException invalid(String call, String detail) {
        return new CublasException(call, CublasStatus.INVALID_VALUE, detail);
    }

    /** Reads an rows x cols column-major matrix (leading dimension ld) of f32 or f64 at {@code ptr}. */
    static double[] readMatrix(DeviceMemory mem, String call, String name, long ptr, int rows, int cols, int ld, int elem) {
        long span = ((long) (cols - 1) * ld + rows) * elem;
        Allocation a = matrixRange(mem, call, name, ptr, span, elem, rows, cols, ld);
        int base = (int) (ptr - a.base);
        double[] out = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                int off = base + (int) (((long) j * ld + i) * elem);
                out[i + j * rows] = elem == 4 ? Float.intBitsToFloat(Bytes.getInt(a.data, off))
                        : Double.longBitsToDouble(Bytes.getLong(a.data, off));
            }
        }
        return out;
    }

    private static Allocation matrixRange(DeviceMemory mem, String call, String name, long ptr, long span, int elem,
                                          int rows, int cols, int ld) {
        if ((ptr & (elem - 1)) != 0) {
            throw CudaStatus.error(CudaStatus.MISALIGNED_ADDRESS, call, "matrix " + name + " at 0x" + Long.toHexString(ptr)
                    + " is not " + elem + "-byte aligned");
        }
        Allocation a = mem.find(ptr);
        if (a == null || ptr - a.base + span > a.size) {
            throw CudaStatus.error(CudaStatus.ILLEGAL_ADDRESS, call, "matrix " + name + " (" + rows + " x " + cols + ", ld "
                    + ld + ") spans " + span + " bytes from 0x" + Long.toHexString(ptr) + ": "
                    + (a == null ? mem.describe(ptr) : "runs past the end of " + a));
        }
        return a;
    }

    /**
     * One GEMM: {@code C = alpha op(A) op(B) + beta C}. {@code elem} is 4 (sgemm) or 8 (dgemm);
     * {@code tf32} rounds A and B to TF32 first.
     */
    static void gemm(DeviceMemory mem, String call, int transa, int transb, int m, int n, int k,
                     double alpha, long aPtr, int lda, long bPtr, int ldb, double beta, long cPtr, int ldc,
                     int elem, boolean tf32) {
        long cSpan = ((long) (n - 1) * ldc + m) * elem;
        Allocation ca = matrixRange(mem, call, "C", cPtr, cSpan, elem, m, n, ldc);
        boolean useAB = alpha != 0 && k > 0;
        double[] opA = null, opB = null;
        if (useAB) {
            boolean ta = transa != CudaApi.CUBLAS_OP_N, tb = transb != CudaApi.CUBLAS_OP_N;
            double[] a = readMatrix(mem, call, "A", aPtr, ta ? k : m, ta ? m : k, lda, elem);
            double[] b = readMatrix(mem, call, "B", bPtr, tb ? n : k, tb ? k : n, ldb, elem);
            // opA row-major m x k, opB stored so that column j of op(B) is contiguous (n x k)
            opA = new double[m * k];
            opB = new double[n * k];
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) opA[i * k + l] = ta ? a[l + i * k] : a[i + l * m];
            }
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) opB[j * k + l] = tb ? b[j + l * n] : b[l + j * k];
            }
            if (tf32) {
                for (int i = 0; i < opA.length; i++) opA[i] = toTf32((float) opA[i]);
                for (int i = 0; i < opB.length; i++) opB[i] = toTf32((float) opB[i]);
            }
        }
        int cBase = (int) (cPtr - ca.base);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                int off = cBase + (int) (((long) j * ldc + i) * elem);
                if (elem == 4) {
                    float acc = 0f;
                    if (useAB) {
                        for (int l = 0; l < k; l++) acc = Math.fma((float) opA[i * k + l], (float) opB[j * k + l], acc);
                    }
                    float res = (float) alpha * acc;
                    if (beta != 0) res = Math.fma((float) beta, Float.intBitsToFloat(Bytes.getInt(ca.data, off)), res);
                    Bytes.putInt(ca.data, off, Float.floatToRawIntBits(res));
                } else {
                    double acc = 0;
                    if (useAB) {
                        for (int l = 0; l < k; l++) acc = Math.fma(opA[i * k + l], opB[j * k + l], acc);
                    }
                    double res = alpha * acc;
                    if (beta != 0) res = Math.fma(beta, Double.longBitsToDouble(Bytes.getLong(ca.data, off)), res);
                    Bytes.putLong(ca.data, off, Double.doubleToRawLongBits(res));
                }
            }
        }
    }

    /** Rounds an f32 to TF32 (10 explicit mantissa bits), to nearest even. */
    static float toTf32(float v) {
        if (!Float.isFinite(v)) return v;
        int bits = Float.floatToRawIntBits(v);
        int lsb = (bits >>> 13) & 1;
        bits = (bits + 0xFFF + lsb) & ~0x1FFF;
        return Float.intBitsToFloat(bits);
    }
}
