package io.flambeau.backend.cuda.checked;

import static io.flambeau.backend.cuda.api.CudaApi.CUBLAS_OP_N;

/**
 * The memory a GEMM's operands span, checked against the live allocations before cuBLAS sees the
 * call: cuBLAS itself would launch a kernel that faults. Each operand's extent is what a column-major
 * {@code rows x cols} matrix with leading dimension {@code ld} spans, times the batch. Sizes and
 * leading dimensions that cuBLAS rejects itself ({@code CUBLAS_STATUS_INVALID_VALUE}), without
 * touching memory, pass on to it. A and B are not read when k is 0, nothing is when m or n is 0.
 */
final class GemmExtents {
    private GemmExtents() {}

    static void check(LiveAllocations allocations, String call, int ta, int tb, int m, int n, int k,
                      long a, int lda, long sA, long b, int ldb, long sB, long c, int ldc, long sC, int batch, int elem) {
        if (m <= 0 || n <= 0 || k < 0 || batch <= 0) return;
        boolean an = ta == CUBLAS_OP_N, bn = tb == CUBLAS_OP_N;
        int rowsA = an ? m : k, colsA = an ? k : m, rowsB = bn ? k : n, colsB = bn ? n : k;
        if (lda < Math.max(1, rowsA) || ldb < Math.max(1, rowsB) || ldc < Math.max(1, m)) return;
        if (k > 0) {
            allocations.requireRange(a, span(rowsA, colsA, lda, sA, batch, elem), call, "matrix A");
            allocations.requireRange(b, span(rowsB, colsB, ldb, sB, batch, elem), call, "matrix B");
        }
        allocations.requireRange(c, span(m, n, ldc, sC, batch, elem), call, "matrix C");
    }

    /** Bytes from a matrix's first element to past its last, over the whole batch. */
    private static long span(int rows, int cols, int ld, long stride, int batch, int elem) {
        long last = (long) (cols - 1) * ld + rows;
        return Math.addExact(Math.multiplyExact((long) (batch - 1), Math.abs(stride)), last) * elem;
    }
}
