package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.flambeau.backend.cuda.ffm.Cublas_h.*;

/**
 * The cuBLAS calls of {@link FfmCudaApi}. Before a GEMM reaches cuBLAS, each operand's extent
 * (what a column-major {@code rows x cols} matrix with leading dimension {@code ld} spans, times the
 * batch) must lie inside live device memory: cuBLAS itself would launch a kernel that faults. Sizes
 * and leading dimensions cuBLAS checks itself (it returns {@code CUBLAS_STATUS_INVALID_VALUE}).
 */
final class BlasCalls {
    private final FfmCudaApi api;
    private final boolean found;

    BlasCalls(FfmCudaApi api, boolean found) {
        this.api = api;
        this.found = found;
    }

    boolean found() { return found; }

    private void ensureUsable(String call) {
        api.ensureOpen(call);
        if (!found) {
            throw new CublasException(call, CublasStatus.NOT_INITIALIZED, "cuBLAS was not found ("
                    + String.join(", ", CudaLibraries.blasNames()) + "); check hasBlas() and use the PTX GEMM instead");
        }
    }

    /**
     * {@code cublasGetVersion_v2}. cuBLAS answers it without a handle; should a build insist on
     * one, a temporary handle on the current context is used instead.
     */
    int version() {
        ensureUsable("cublasGetVersion_v2");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_INT);
            int status = cublasGetVersion_v2(MemorySegment.NULL, out);
            if (status != CublasStatus.SUCCESS && api.contexts.current() != 0) {
                long h = create();
                try {
                    status = cublasGetVersion_v2(MemorySegment.ofAddress(h), out);
                } finally {
                    destroy(h);
                }
            }
            StatusCheck.checkBlas(status, "cublasGetVersion_v2", null);
            return out.get(C_INT, 0);
        }
    }

    long create() {
        ensureUsable("cublasCreate_v2");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            StatusCheck.checkBlas(cublasCreate_v2(out), "cublasCreate_v2", "a context must be current on this thread");
            long h = out.get(C_POINTER, 0).address();
            api.handles.add(new NativeHandle(NativeHandle.Kind.BLAS, h, api.contexts.current(), 0, null, "cublasDestroy_v2",
                    () -> cublasDestroy_v2(MemorySegment.ofAddress(h))));
            return h;
        }
    }

    void destroy(long handle) {
        ensureUsable("cublasDestroy_v2");
        api.handles.remove(NativeHandle.Kind.BLAS, handle, "cublasDestroy_v2").close();
    }

    void setStream(long handle, long stream) {
        ensureUsable("cublasSetStream_v2");
        api.handles.require(NativeHandle.Kind.BLAS, handle, "cublasSetStream_v2");
        api.handles.requireStream(stream, "cublasSetStream_v2");
        StatusCheck.checkBlas(cublasSetStream_v2(MemorySegment.ofAddress(handle), MemorySegment.ofAddress(stream)), "cublasSetStream_v2", null);
    }

    void setMathMode(long handle, int mode) {
        ensureUsable("cublasSetMathMode");
        api.handles.require(NativeHandle.Kind.BLAS, handle, "cublasSetMathMode");
        StatusCheck.checkBlas(cublasSetMathMode(MemorySegment.ofAddress(handle), mode), "cublasSetMathMode", "mode " + mode);
    }

    void sgemm(long handle, int ta, int tb, int m, int n, int k, float alpha, long a, int lda, long sA,
               long b, int ldb, long sB, float beta, long c, int ldc, long sC, int batch, boolean strided) {
        String call = strided ? "cublasSgemmStridedBatched" : "cublasSgemm_v2";
        ensureUsable(call);
        api.handles.require(NativeHandle.Kind.BLAS, handle, call);
        checkOperands(call, ta, tb, m, n, k, a, lda, sA, b, ldb, sB, c, ldc, sC, batch, Float.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = MemorySegment.ofAddress(handle), al = arena.allocateFrom(C_FLOAT, alpha), be = arena.allocateFrom(C_FLOAT, beta);
            MemorySegment pa = MemorySegment.ofAddress(a), pb = MemorySegment.ofAddress(b), pc = MemorySegment.ofAddress(c);
            int status = strided
                    ? cublasSgemmStridedBatched(h, ta, tb, m, n, k, al, pa, lda, sA, pb, ldb, sB, be, pc, ldc, sC, batch)
                    : cublasSgemm_v2(h, ta, tb, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);
            StatusCheck.checkBlas(status, call, describe(ta, tb, m, n, k, lda, ldb, ldc, batch));
        }
    }

    void dgemm(long handle, int ta, int tb, int m, int n, int k, double alpha, long a, int lda, long sA,
               long b, int ldb, long sB, double beta, long c, int ldc, long sC, int batch, boolean strided) {
        String call = strided ? "cublasDgemmStridedBatched" : "cublasDgemm_v2";
        ensureUsable(call);
        api.handles.require(NativeHandle.Kind.BLAS, handle, call);
        checkOperands(call, ta, tb, m, n, k, a, lda, sA, b, ldb, sB, c, ldc, sC, batch, Double.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = MemorySegment.ofAddress(handle), al = arena.allocateFrom(C_DOUBLE, alpha), be = arena.allocateFrom(C_DOUBLE, beta);
            MemorySegment pa = MemorySegment.ofAddress(a), pb = MemorySegment.ofAddress(b), pc = MemorySegment.ofAddress(c);
            int status = strided
                    ? cublasDgemmStridedBatched(h, ta, tb, m, n, k, al, pa, lda, sA, pb, ldb, sB, be, pc, ldc, sC, batch)
                    : cublasDgemm_v2(h, ta, tb, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);
            StatusCheck.checkBlas(status, call, describe(ta, tb, m, n, k, lda, ldb, ldc, batch));
        }
    }

    /**
     * Checks the memory each operand spans when the sizes are ones cuBLAS accepts (it rejects the
     * others itself without touching memory). A and B are not read when k is 0, nothing is when m or
     * n is 0.
     */
    private void checkOperands(String call, int ta, int tb, int m, int n, int k, long a, int lda, long sA,
                               long b, int ldb, long sB, long c, int ldc, long sC, int batch, int elem) {
        if (m <= 0 || n <= 0 || k < 0 || batch <= 0) return;
        boolean an = ta == CudaApi.CUBLAS_OP_N, bn = tb == CudaApi.CUBLAS_OP_N;
        int rowsA = an ? m : k, colsA = an ? k : m, rowsB = bn ? k : n, colsB = bn ? n : k;
        if (lda < Math.max(1, rowsA) || ldb < Math.max(1, rowsB) || ldc < Math.max(1, m)) return;
        if (k > 0) {
            api.allocations.requireRange(a, span(rowsA, colsA, lda, sA, batch, elem), call, "matrix A");
            api.allocations.requireRange(b, span(rowsB, colsB, ldb, sB, batch, elem), call, "matrix B");
        }
        api.allocations.requireRange(c, span(m, n, ldc, sC, batch, elem), call, "matrix C");
    }

    /** Bytes from a matrix's first element to past its last, over the whole batch. */
    private static long span(int rows, int cols, int ld, long stride, int batch, int elem) {
        long last = (long) (cols - 1) * ld + rows;
        return Math.addExact(Math.multiplyExact((long) (batch - 1), Math.abs(stride)), last) * elem;
    }

    private static String describe(int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc, int batch) {
        return "op(A)=" + (ta == 0 ? "N" : "T") + " op(B)=" + (tb == 0 ? "N" : "T") + " m=" + m + " n=" + n + " k=" + k
                + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + (batch != 1 ? " batch=" + batch : "");
    }
}
