package io.flambeau.backend.cuda.sim;

import static io.flambeau.backend.cuda.api.CudaApi.CUBLAS_OP_N;
import static io.flambeau.backend.cuda.api.CudaApi.CUBLAS_OP_T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** cuBLAS's column-major GEMM contract, checked against a naive reference written from the definition. */
class SimulatedBlasTest {
    private final SimHarness sim = new SimHarness();
    private final long h;
    private final Random rnd = new Random(42);

    SimulatedBlasTest() {
        h = sim.api.blasCreate();
    }

    /** A column-major rows x cols matrix with leading dimension ld; padding rows hold NaN. */
    private float[] matrix(int rows, int cols, int ld) {
        float[] m = new float[ld * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < ld; i++) m[i + j * ld] = i < rows ? rnd.nextInt(19) - 9 + rnd.nextFloat() : Float.NaN;
        }
        return m;
    }

    /** C = alpha op(A) op(B) + beta C by the definition, in double. */
    private static double[] reference(int ta, int tb, int m, int n, int k, double alpha, float[] a, int lda,
                                      float[] b, int ldb, double beta, float[] c, int ldc) {
        double[] out = new double[ldc * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < ldc; i++) {
                if (i >= m) {
                    out[i + j * ldc] = c[i + j * ldc];
                    continue;
                }
                double s = 0;
                for (int l = 0; l < k; l++) {
                    double av = ta == CUBLAS_OP_N ? a[i + l * lda] : a[l + i * lda];
                    double bv = tb == CUBLAS_OP_N ? b[l + j * ldb] : b[j + l * ldb];
                    s += av * bv;
                }
                out[i + j * ldc] = alpha * s + (beta == 0 ? 0 : beta * c[i + j * ldc]);
            }
        }
        return out;
    }

    private static void close(double[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertTrue(Float.isNaN(got[i]), what + " element " + i + " should be untouched NaN padding");
            } else {
                assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), what + " element " + i);
            }
        }
    }

    @Test
    void sgemmFollowsTheColumnMajorContractForEveryTransposeCombination() {
        int m = 5, n = 7, k = 3;
        for (int ta : new int[] {CUBLAS_OP_N, CUBLAS_OP_T}) {
            for (int tb : new int[] {CUBLAS_OP_N, CUBLAS_OP_T}) {
                int aRows = ta == CUBLAS_OP_N ? m : k, aCols = ta == CUBLAS_OP_N ? k : m;
                int bRows = tb == CUBLAS_OP_N ? k : n, bCols = tb == CUBLAS_OP_N ? n : k;
                int lda = aRows + 2, ldb = bRows + 1, ldc = m + 3;
                float[] a = matrix(aRows, aCols, lda), b = matrix(bRows, bCols, ldb), c = matrix(m, n, ldc);
                long pa = sim.upload(a), pb = sim.upload(b), pc = sim.upload(c);
                sim.api.blasSgemm(h, ta, tb, m, n, k, 1.5f, pa, lda, pb, ldb, -0.5f, pc, ldc);
                close(reference(ta, tb, m, n, k, 1.5, a, lda, b, ldb, -0.5, c, ldc), sim.floats(pc, ldc * n),
                        "transa=" + ta + " transb=" + tb);
            }
        }
    }

    @Test
    void rowMajorProductViaTheSwappedOperandTrick() {
        // row-major X (2x3) times Y (3x2): column-major sees X^T and Y^T, so compute (XY)^T = Y^T X^T
        float[] x = {1, 2, 3, 4, 5, 6}, y = {7, 8, 9, 10, 11, 12};
        long px = sim.upload(x), py = sim.upload(y), pz = sim.api.memAlloc(16);
        sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 3, 1f, py, 2, px, 3, 0f, pz, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, sim.floats(pz, 4), "row-major XY");
        // passing the row-major operands in the naive order computes something else
        sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 3, 1f, px, 2, py, 3, 0f, pz, 2);
        assertFalse(java.util.Arrays.equals(new float[] {58, 64, 139, 154}, sim.floats(pz, 4)));
    }

    @Test
    void dgemmAndStridedBatchedMatchTheReference() {
        int m = 4, n = 3, k = 6, batch = 3;
        long sa = m * k + 5, sb = k * n + 2, sc = m * n + 1;
        double[] a = new double[(int) sa * batch], b = new double[(int) sb * batch], c = new double[(int) sc * batch];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        java.util.Arrays.fill(c, 99);
        long pa = sim.upload(a), pb = sim.upload(b), pc = sim.upload(c);
        sim.api.blasDgemmStridedBatched(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, 2.0, pa, k, sa, pb, k, sb, 0.0, pc, m, sc, batch);
        double[] got = sim.doubles(pc, c.length);
        for (int t = 0; t < batch; t++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) s += a[(int) (t * sa) + l + i * k] * b[(int) (t * sb) + l + j * k];
                    assertEquals(2 * s, got[(int) (t * sc) + i + j * m], 1e-12, "batch " + t + " (" + i + "," + j + ")");
                }
            }
            assertEquals(99, got[(int) (t * sc) + m * n], "the gap between batches is untouched");
        }
        float[] fa = {1, 2, 3, 4}, fb = {1, 0, 0, 1, 2, 0, 0, 2};
        long qa = sim.upload(fa), qb = sim.upload(fb), qc = sim.api.memAlloc(32);
        sim.api.blasSgemmStridedBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1f, qa, 2, 0, qb, 2, 4, 0f, qc, 2, 4, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, sim.floats(qc, 8), "stride 0 broadcasts A");
    }

    @Test
    void betaZeroDoesNotReadCAndAlphaZeroBetaOneLeavesItAlone() {
        float[] nanC = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        long pa = sim.upload(1f, 2f, 3f, 4f), pc = sim.upload(nanC);
        sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1f, pa, 2, pa, 2, 0f, pc, 2);
        assertArrayEquals(new float[] {7, 10, 15, 22}, sim.floats(pc, 4));
        sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 0f, 0, 2, 0, 2, 1f, pc, 2);
        assertArrayEquals(new float[] {7, 10, 15, 22}, sim.floats(pc, 4), "A and B are not even read");
    }

    @Test
    void argumentsAreValidatedLikeCublas() {
        long p = sim.api.memAlloc(1024);
        CublasException ex = assertThrows(CublasException.class,
                () -> sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 4, 4, 4, 1f, p, 3, p, 4, 0f, p, 4));
        assertEquals(CublasStatus.INVALID_VALUE, ex.code());
        assertEquals("cublasSgemm_v2", ex.call());
        assertTrue(ex.getMessage().startsWith("cublasSgemm_v2 failed: CUBLAS_STATUS_INVALID_VALUE (7)"), ex.getMessage());
        assertTrue(ex.getMessage().contains("lda = 3 < max(1, m = 4)"), ex.getMessage());
        assertThrows(CublasException.class, () -> sim.api.blasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, 4, 4, 5, 1f, p, 4, p, 5, 0f, p, 4),
                "transa=T needs lda >= k");
        assertThrows(CublasException.class, () -> sim.api.blasSgemm(h, 7, CUBLAS_OP_N, 1, 1, 1, 1f, p, 1, p, 1, 0f, p, 1));
        assertThrows(CublasException.class, () -> sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, -1, 1, 1, 1f, p, 1, p, 1, 0f, p, 1));
        CudaException oob = assertThrows(CudaException.class,
                () -> sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 17, 16, 16, 1f, p, 17, p, 16, 0f, p, 17));
        assertEquals(CudaStatus.ILLEGAL_ADDRESS, oob.code());
        assertTrue(oob.getMessage().contains("matrix C (17 x 16, ld 17)"), oob.getMessage());
        sim.api.blasDestroy(h);
        assertEquals(CublasStatus.NOT_INITIALIZED, assertThrows(CublasException.class,
                () -> sim.api.blasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 1, 1, 1, 1f, p, 1, p, 1, 0f, p, 1)).code());
    }

    @Test
    void tf32MathModeOnlyMattersFromComputeCapability8() {
        float[] a = {1 + 0x1p-20f, 1, 1, 1};
        for (int major : new int[] {7, 8}) {
            SimHarness s = new SimHarness(SimulatedCudaConfig.builder().computeCapability(major, 0).build());
            long hh = s.api.blasCreate();
            s.api.blasSetMathMode(hh, CudaApi.CUBLAS_TF32_TENSOR_OP_MATH);
            long pa = s.upload(a), pc = s.api.memAlloc(16);
            s.api.blasSgemm(hh, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, 1f, pa, 2, pa, 2, 0f, pc, 2);
            float c00 = s.floats(pc, 4)[0];
            if (major == 7) assertEquals((1 + 0x1p-20f) * (1 + 0x1p-20f) + 1, c00, 0f, "FP32 on sm_70");
            else assertNotEquals((1 + 0x1p-20f) * (1 + 0x1p-20f) + 1, c00, "TF32 drops low mantissa bits on sm_80");
        }
    }

    @Test
    void missingCublasIsReported() {
        SimHarness s = new SimHarness(SimulatedCudaConfig.builder().blas(false).build());
        assertFalse(s.api.hasBlas());
        assertEquals(CublasStatus.NOT_INITIALIZED, assertThrows(CublasException.class, s.api::blasCreate).code());
    }
}
