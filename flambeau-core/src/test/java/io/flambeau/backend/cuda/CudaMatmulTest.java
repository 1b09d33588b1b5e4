package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched matmul against the CPU backend, through cuBLAS (the row-major/column-major identity,
 * transposed operands passed with OP_T, broadcast batches with stride 0, views that need a copy)
 * and through the PTX fallback kernels of a device without cuBLAS; int64 always takes the kernels.
 */
class CudaMatmulTest {
    private static CudaBackend blas;
    private static CudaBackend noBlas;

    @BeforeAll
    static void devices() {
        blas = SimCuda.install();
        // the PTX fallback needs a device without cuBLAS: the simulator's (on a real GPU, not here)
        noBlas = SimCuda.ON_GPU ? null : SimCuda.fresh(SimulatedCudaConfig.builder().blas(false).build());
    }

    @AfterAll
    static void close() {
        if (noBlas != null) noBlas.close();
    }

    /** (batch, rows, cols) operand with one of several layouts. */
    private static Twin operand(TwinViews tw, DType t, long batch, long r, long c, int layout) {
        long n = batch * r * c;
        return switch (layout) {
            case 0 -> tw.random(t, new long[] {batch, r, c}, TwinViews.Layout.DENSE, false);
            case 1 -> { // stored (batch, c, r): a transposed view, column-major for cuBLAS
                Twin base = tw.dense(tw.data(t, (int) n, false), new long[] {batch, c, r});
                yield new Twin(new View(base.cpu().storage(), 0, new long[] {batch, r, c}, new long[] {r * c, 1, r}),
                        new View(base.gpu().storage(), 0, new long[] {batch, r, c}, new long[] {r * c, 1, r}));
            }
            case 2 -> { // one matrix broadcast over the batch
                Twin base = tw.dense(tw.data(t, (int) (r * c), false), new long[] {r, c});
                yield new Twin(new View(base.cpu().storage(), 0, new long[] {batch, r, c}, new long[] {0, c, 1}),
                        new View(base.gpu().storage(), 0, new long[] {batch, r, c}, new long[] {0, c, 1}));
            }
            default -> tw.random(t, new long[] {batch, r, c}, TwinViews.Layout.STEPPED, false); // needs a copy
        };
    }

    private static void compare(CudaBackend gpu, long seed) {
        TwinViews tw = new TwinViews(gpu, seed);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            for (int la = 0; la < 4; la++) {
                for (int lb = 0; lb < 4; lb++) {
                    long batch = 1 + tw.rnd.nextInt(3), m = 1 + tw.rnd.nextInt(20), k = 1 + tw.rnd.nextInt(20), n = 1 + tw.rnd.nextInt(20);
                    Twin a = operand(tw, t, batch, m, k, la), b = operand(tw, t, batch, k, n, lb);
                    Twin out = tw.empty(t, new long[] {batch, m, n});
                    TwinViews.CPU.matmul(a.cpu(), b.cpu(), out.cpu());
                    gpu.matmul(a.gpu(), b.gpu(), out.gpu());
                    String what = "matmul " + t + " layouts " + la + "/" + lb + " (" + batch + "," + m + "," + k + "," + n + ")";
                    if (t == DType.INT64) tw.assertSame(what, out, 0);
                    else tw.assertNear(what, out, t == DType.FLOAT32 ? 1e-6 : 1e-14);
                }
            }
        }
    }

    @Test
    void cublasPathMatchesTheCpuForEveryLayout() {
        assertTrue(blas.usesBlas());
        long before = blas.counters().launches("gemm_f32");
        compare(blas, 21);
        assertTrue(before == blas.counters().launches("gemm_f32"), "float GEMMs went to cuBLAS, not the fallback");
    }

    @Test
    void ptxFallbackMatchesTheCpuForEveryLayout() {
        Assumptions.assumeTrue(noBlas != null, "a device without cuBLAS is simulated only");
        assertFalse(noBlas.usesBlas());
        compare(noBlas, 22);
    }

    @Test
    void largerTilesAndEmptyInnerDim() {
        for (CudaBackend gpu : noBlas == null ? new CudaBackend[] {blas} : new CudaBackend[] {blas, noBlas}) {
            TwinViews tw = new TwinViews(gpu, 23);
            Twin a = operand(tw, DType.FLOAT32, 2, 37, 45, 1), b = operand(tw, DType.FLOAT32, 2, 45, 33, 0);
            Twin out = tw.empty(DType.FLOAT32, new long[] {2, 37, 33});
            TwinViews.CPU.matmul(a.cpu(), b.cpu(), out.cpu());
            gpu.matmul(a.gpu(), b.gpu(), out.gpu());
            tw.assertNear("37x45x33 on " + gpu, out, 1e-6);
            Twin e1 = tw.empty(DType.FLOAT64, new long[] {1, 3, 0}), e2 = tw.empty(DType.FLOAT64, new long[] {1, 0, 2});
            Twin z = tw.empty(DType.FLOAT64, new long[] {1, 3, 2});
            TwinViews.CPU.matmul(e1.cpu(), e2.cpu(), z.cpu());
            gpu.matmul(e1.gpu(), e2.gpu(), z.gpu());
            tw.assertSame("k = 0 gives zeros", z, 0);
        }
    }

    @Test
    void tf32IsOptInAndFp32IsExactByDefault() {
        try (CudaBackend ampere = SimCuda.fresh(SimulatedCudaConfig.builder().computeCapability(8, 0).build())) {
            TwinViews tw = new TwinViews(ampere, 24);
            Twin a = operand(tw, DType.FLOAT32, 1, 16, 64, 0), b = operand(tw, DType.FLOAT32, 1, 64, 16, 0);
            Twin out = tw.empty(DType.FLOAT32, new long[] {1, 16, 16});
            TwinViews.CPU.matmul(a.cpu(), b.cpu(), out.cpu());
            ampere.matmul(a.gpu(), b.gpu(), out.gpu());
            tw.assertNear("full FP32 by default", out, 1e-6);
            try {
                CudaBackend.setAllowTf32(true);
                ampere.matmul(a.gpu(), b.gpu(), out.gpu());
                tw.assertNear("TF32 keeps about 3 decimal digits", out, 1e-2);
                assertThrows(AssertionError.class, () -> tw.assertNear("TF32 is not FP32", out, 1e-6));
            } finally {
                CudaBackend.setAllowTf32(false);
            }
        }
    }
}
