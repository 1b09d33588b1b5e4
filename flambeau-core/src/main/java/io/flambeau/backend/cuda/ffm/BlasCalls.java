package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.flambeau.backend.cuda.ffm.Cublas_h.*;

/**
 * The cuBLAS calls of {@link FfmCudaApi}. The checked seam above has checked each GEMM operand's
 * extent against live device memory; sizes and leading dimensions cuBLAS checks itself (it returns
 * {@code CUBLAS_STATUS_INVALID_VALUE}).
 */
final class BlasCalls {
    private final boolean found;

    BlasCalls(boolean found) {
        this.found = found;
    }

    boolean found() { return found; }

    private void ensureUsable(String call) {
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
            if (status != CublasStatus.SUCCESS) {
                long h;
                try {
                    h = create();
                } catch (CublasException noContext) {
                    h = 0; // no context current: report the version call's own status
                }
                if (h != 0) {
                    try {
                        status = cublasGetVersion_v2(MemorySegment.ofAddress(h), out);
                    } finally {
                        destroy(h);
                    }
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
            return out.get(C_POINTER, 0).address();
        }
    }

    void destroy(long handle) {
        ensureUsable("cublasDestroy_v2");
        StatusCheck.checkBlas(cublasDestroy_v2(MemorySegment.ofAddress(handle)), "cublasDestroy_v2", null);
    }

    void setStream(long handle, long stream) {
        ensureUsable("cublasSetStream_v2");
        StatusCheck.checkBlas(cublasSetStream_v2(MemorySegment.ofAddress(handle), MemorySegment.ofAddress(stream)), "cublasSetStream_v2", null);
    }

    void setMathMode(long handle, int mode) {
        ensureUsable("cublasSetMathMode");
        StatusCheck.checkBlas(cublasSetMathMode(MemorySegment.ofAddress(handle), mode), "cublasSetMathMode", "mode " + mode);
    }

    void sgemm(long handle, int ta, int tb, int m, int n, int k, float alpha, long a, int lda, long sA,
               long b, int ldb, long sB, float beta, long c, int ldc, long sC, int batch, boolean strided) {
        String call = strided ? "cublasSgemmStridedBatched" : "cublasSgemm_v2";
        ensureUsable(call);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = MemorySegment.ofAddress(handle), al = arena.allocateFrom(C_DOUBLE, alpha), be = arena.allocateFrom(C_DOUBLE, beta);
            MemorySegment pa = MemorySegment.ofAddress(a), pb = MemorySegment.ofAddress(b), pc = MemorySegment.ofAddress(c);
            int status = strided
                    ? cublasDgemmStridedBatched(h, ta, tb, m, n, k, al, pa, lda, sA, pb, ldb, sB, be, pc, ldc, sC, batch)
                    : cublasDgemm_v2(h, ta, tb, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);
            StatusCheck.checkBlas(status, call, describe(ta, tb, m, n, k, lda, ldb, ldc, batch));
        }
    }

    private static String describe(int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc, int batch) {
        return "op(A)=" + (ta == 0 ? "N" : "T") + " op(B)=" + (tb == 0 ? "N" : "T") + " m=" + m + " n=" + n + " k=" + k
                + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + (batch != 1 ? " batch=" + batch : "");
    }
}
