package io.flambeau.backend.cuda;

import io.flambeau.backend.CounterRng;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.core.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gather/scatter by absolute offsets (with repeated offsets accumulating through atomics) and the
 * counter-based random numbers, which must be the CPU's numbers for the same seed and counter.
 */
class CudaIndexingRandomTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void device() {
        gpu = SimCuda.install();
    }

    @Test
    void takeGathersFromAbsoluteOffsetsForEveryDtype() {
        TwinViews tw = new TwinViews(gpu, 31);
        for (DType t : DType.values()) {
            Twin src = tw.random(t, new long[] {5, 6}, TwinViews.Layout.DENSE, true);
            long[] offsets = new long[12];
            for (int i = 0; i < offsets.length; i++) offsets[i] = tw.rnd.nextInt(30);
            Twin idx = tw.dense(offsets, new long[] {3, 4});
            // offsets read through a transposed view, output dense
            Twin idxT = new Twin(new View(idx.cpu().storage(), 0, new long[] {4, 3}, new long[] {1, 4}),
                    new View(idx.gpu().storage(), 0, new long[] {4, 3}, new long[] {1, 4}));
            Twin out = tw.empty(t, new long[] {4, 3});
            TwinViews.CPU.take(src.cpu(), idxT.cpu(), out.cpu());
            gpu.take(src.gpu(), idxT.gpu(), out.gpu());
            tw.assertSame("take " + t, out, 0);
        }
    }

    @Test
    void putStoresAndAccumulatesRepeatedOffsets() {
        TwinViews tw = new TwinViews(gpu, 32);
        long[] offsets = {3, 0, 3, 7, 3, 1, 0, 9};
        for (DType t : DType.values()) {
            for (boolean accumulate : new boolean[] {false, true}) {
                Twin dst = tw.random(t, new long[] {10}, TwinViews.Layout.DENSE, false);
                long[] o = accumulate ? offsets : new long[] {3, 0, 7, 1, 9}; // no repeats: the stored value is unique
                Twin idx = tw.dense(o, new long[] {o.length});
                Twin vals = tw.random(t, new long[] {o.length}, TwinViews.Layout.STEPPED, false);
                TwinViews.CPU.put(dst.cpu(), idx.cpu(), vals.cpu(), accumulate);
                gpu.put(dst.gpu(), idx.gpu(), vals.gpu(), accumulate);
                tw.assertClose("put " + t + (accumulate ? " accumulate" : ""), dst, 0, t == DType.FLOAT32 ? 1e-6 : 1e-15);
            }
        }
    }

    @Test
    void putAccumulatesABroadcastValue() {
        TwinViews tw = new TwinViews(gpu, 33);
        Twin dst = tw.dense(new double[4], new long[] {4});
        Twin idx = tw.dense(new long[] {2, 2, 2, 0}, new long[] {4});
        Twin one = tw.dense(new double[] {1.5}, new long[] {1});
        Twin vals = new Twin(new View(one.cpu().storage(), 0, new long[] {4}, new long[] {0}),
                new View(one.gpu().storage(), 0, new long[] {4}, new long[] {0}));
        gpu.put(dst.gpu(), idx.gpu(), vals.gpu(), true);
        assertArrayEquals(new double[] {1.5, 0, 4.5, 0}, (double[]) gpu.download(dst.gpu()));
    }

    @Test
    void randomNumbersAreTheCpusForTheSameSeed() {
        TwinViews tw = new TwinViews(gpu, 34);
        long[] seeds = {0, 1, 42, -7, Long.MAX_VALUE};
        for (long seed : seeds) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Twin u = tw.empty(t, new long[] {3, 70});
                TwinViews.CPU.random(CounterRng.Kind.UNIFORM, u.cpu(), seed, 5, -2, 3);
                gpu.random(CounterRng.Kind.UNIFORM, u.gpu(), seed, 5, -2, 3);
                tw.assertSame("uniform " + t + " seed " + seed, u, 0);
                Twin nrm = tw.empty(t, new long[] {3, 70});
                TwinViews.CPU.random(CounterRng.Kind.NORMAL, nrm.cpu(), seed, 1000, 0.5, 2);
                gpu.random(CounterRng.Kind.NORMAL, nrm.gpu(), seed, 1000, 0.5, 2);
                assertNormalsClose(nrm, "normal " + t + " seed " + seed);
            }
            for (DType t : new DType[] {DType.INT64, DType.FLOAT32}) {
                Twin ints = tw.empty(t, new long[] {200});
                TwinViews.CPU.random(CounterRng.Kind.INTEGER, ints.cpu(), seed, 0, -5, 17);
                gpu.random(CounterRng.Kind.INTEGER, ints.gpu(), seed, 0, -5, 17);
                tw.assertSame("integer " + t + " seed " + seed, ints, 0);
            }
        }
    }

    /** Normals go through log and cos: within 1e-6 of the CPU's (in practice about 1e-15 before rounding). */
    private static void assertNormalsClose(Twin t, String what) {
        double[] c = toDoubles(TwinViews.CPU.download(t.cpu())), g = toDoubles(gpu.download(t.gpu()));
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], g[i], 1e-6 * Math.max(1, Math.abs(c[i])), what + ": element " + i);
        }
    }

    @Test
    void randomIntoAStridedViewFollowsRowMajorOrder() {
        TwinViews tw = new TwinViews(gpu, 35);
        Twin base = tw.empty(DType.FLOAT32, new long[] {4, 6});
        Twin strided = new Twin(new View(base.cpu().storage(), 1, new long[] {4, 3}, new long[] {6, 2}),
                new View(base.gpu().storage(), 1, new long[] {4, 3}, new long[] {6, 2}));
        Twin dense = tw.empty(DType.FLOAT32, new long[] {4, 3});
        TwinViews.CPU.random(CounterRng.Kind.UNIFORM, dense.cpu(), 9, 0, 0, 1);
        gpu.random(CounterRng.Kind.UNIFORM, strided.gpu(), 9, 0, 0, 1);
        assertArrayEquals((float[]) TwinViews.CPU.download(dense.cpu()), (float[]) gpu.download(strided.gpu()));
    }

    private static double[] toDoubles(Object a) {
        if (a instanceof double[] d) return d;
        float[] f = (float[]) a;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
