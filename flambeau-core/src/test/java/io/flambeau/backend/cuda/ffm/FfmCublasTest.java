package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static io.flambeau.backend.cuda.api.CudaApi.CUBLAS_OP_N;
import static io.flambeau.backend.cuda.api.CudaApi.CUBLAS_OP_T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cuBLAS GEMM through the binding, against a Java reference written straight from cuBLAS's
 * column-major contract: element (i, j) of an ld-strided matrix is at {@code i + j * ld}.
 */
class FfmCublasTest extends LoopbackFixture {
    private long handle;

    @BeforeEach
    void createHandle() {
        handle = api.blasCreate();
    }

    private long upload(float[] values) {
        long d = api.memAlloc(values.length * 4L);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        api.memcpyHtoD(d, b, values.length * 4L);
        return d;
    }

    private float[] download(long d, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(b, d, n * 4L);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(9) - 4; // small integers: sums are exact in float
        return a;
    }

    /** C = alpha op(A) op(B) + beta C, column-major, in Java. */
    private static float[] reference(int ta, int tb, int m, int n, int k, float alpha, float[] a, int lda,
                                     float[] b, int ldb, float beta, float[] c, int ldc) {
        float[] out = c.clone();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0;
                for (int l = 0; l < k; l++) {
                    float x = ta == CUBLAS_OP_N ? a[i + l * lda] : a[l + i * lda];
                    float y = tb == CUBLAS_OP_N ? b[l + j * ldb] : b[j + l * ldb];
                    sum += x * y;
                }
                out[i + j * ldc] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i + j * ldc];
            }
        }
        return out;
    }

    @Test
    void sgemmFollowsTheColumnMajorContractForEveryTransposeAndPaddedLeadingDimensions() {
        int m = 5, n = 3, k = 4;
        for (int ta : new int[] {CUBLAS_OP_N, CUBLAS_OP_T}) {
            for (int tb : new int[] {CUBLAS_OP_N, CUBLAS_OP_T}) {
                int lda = (ta == CUBLAS_OP_N ? m : k) + 2, ldb = (tb == CUBLAS_OP_N ? k : n) + 1, ldc = m + 3;
                float[] a = random(lda * (ta == CUBLAS_OP_N ? k : m), 1), b = random(ldb * (tb == CUBLAS_OP_N ? n : k), 2);
                float[] c = random(ldc * n, 3);
                long da = upload(a), db = upload(b), dc = upload(c);
                api.blasSgemm(handle, ta, tb, m, n, k, 2f, da, lda, db, ldb, -1f, dc, ldc);
                assertArrayEquals(reference(ta, tb, m, n, k, 2f, a, lda, b, ldb, -1f, c, ldc), download(dc, c.length),
                        "op(A)=" + ta + " op(B)=" + tb);
            }
        }
    }

    @Test
    void betaZeroDoesNotReadC() {
        float[] a = random(6, 4), b = random(6, 5), c = new float[4];
        java.util.Arrays.fill(c, Float.NaN);
        long da = upload(a), db = upload(b), dc = upload(c);
        api.blasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 3, 1f, da, 2, db, 3, 0f, dc, 2);
        assertArrayEquals(reference(0, 0, 2, 2, 3, 1f, a, 2, b, 3, 0f, new float[4], 2), download(dc, 4));
    }

    @Test
    void dgemmAndStridedBatchesComputeEachBatch() {
        int m = 3, n = 2, k = 4, batch = 3;
        float[] a = random(m * k * batch, 6), b = random(k * n * batch, 7), c = new float[m * n * batch];
        long da = upload(a), db = upload(b), dc = upload(c);
        api.blasSgemmStridedBatched(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, 1f, da, m, (long) m * k,
                db, k, (long) k * n, 0f, dc, m, (long) m * n, batch);
        float[] got = download(dc, c.length);
        for (int q = 0; q < batch; q++) {
            float[] aq = java.util.Arrays.copyOfRange(a, q * m * k, (q + 1) * m * k);
            float[] bq = java.util.Arrays.copyOfRange(b, q * k * n, (q + 1) * k * n);
            assertArrayEquals(reference(0, 0, m, n, k, 1f, aq, m, bq, k, 0f, new float[m * n], m),
                    java.util.Arrays.copyOfRange(got, q * m * n, (q + 1) * m * n), "batch " + q);
        }
        // double precision: 2x2 by hand
        ByteBuffer buf = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        long d = api.memAlloc(32), e = api.memAlloc(32);
        buf.asDoubleBuffer().put(new double[] {1, 2, 3, 4}); // column-major [[1,3],[2,4]]
        api.memcpyHtoD(d, buf, 32);
        api.blasDgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1.0, d, 2, d, 2, 0.0, e, 2);
        ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(out, e, 32);
        double[] sq = new double[4];
        out.asDoubleBuffer().get(sq);
        assertArrayEquals(new double[] {7, 10, 15, 22}, sq, "[[1,3],[2,4]]^2 = [[7,15],[10,22]]");
    }

    @Test
    void versionStreamAndMathModeReachCublas() {
        assertTrue(api.hasBlas());
        assertEquals(130000, api.blasVersion(), "libcublas.so.13 is preferred over .12");
        long stream = api.streamCreate();
        api.blasSetStream(handle, stream);
        api.blasSetMathMode(handle, CudaApi.CUBLAS_TF32_TENSOR_OP_MATH);
        CublasException e = assertThrows(CublasException.class, () -> api.blasSetMathMode(handle, 99));
        assertEquals(CublasStatus.INVALID_VALUE, e.code());
    }

    @Test
    void invalidSizesAreCublasErrorsNamingTheCall() {
        long d = upload(new float[16]);
        CublasException e = assertThrows(CublasException.class,
                () -> api.blasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 4, 2, 2, 1f, d, 3, d, 2, 0f, d, 4));
        assertEquals("cublasSgemm_v2", e.call());
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", e.errorName());
        assertTrue(e.getMessage().contains("lda=3"), e.getMessage());
    }

    @Test
    void operandsOutsideDeviceMemoryAreRefusedBeforeCublas() {
        long a = upload(new float[4]), c = upload(new float[4]);
        long small = upload(new float[2]);
        CudaException e = assertThrows(CudaException.class,
                () -> api.blasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1f, a, 2, small, 2, 0f, c, 2));
        assertEquals(CudaStatus.INVALID_VALUE, e.code());
        assertTrue(e.getMessage().contains("matrix B") && e.getMessage().contains("past the end"), e.getMessage());
        api.memFree(c);
        e = assertThrows(CudaException.class, () -> api.blasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1f, a, 2, a, 2, 0f, c, 2));
        assertTrue(e.getMessage().contains("matrix C") && e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void aDestroyedHandleIsRefused() {
        api.blasDestroy(handle);
        long d = upload(new float[4]);
        CudaException e = assertThrows(CudaException.class,
                () -> api.blasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 1, 1f, d, 2, d, 1, 0f, d, 2));
        assertEquals(CudaStatus.INVALID_HANDLE, e.code());
        assertTrue(e.getMessage().contains("cuBLAS handle"), e.getMessage());
    }
}
