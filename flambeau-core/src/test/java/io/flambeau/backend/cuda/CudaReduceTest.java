package io.flambeau.backend.cuda;

import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.TwinViews.Layout;
import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.core.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reductions against the CPU backend: every op over all elements and along every dim, every dtype
 * that supports it, strided inputs, NaN propagation (the first NaN wins an arg-reduction) and ties
 * (the first index wins), one-block and two-stage all-element reductions.
 */
class CudaReduceTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void device() {
        gpu = SimCuda.install();
    }

    private static long[] without(long[] shape, int dim) {
        if (dim < 0) return new long[0];
        long[] r = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) r[j++] = shape[i];
        return r;
    }

    private static void check(TwinViews tw, ReduceOp op, Twin x, int dim, String what) {
        DType outType = op.isArg() ? DType.INT64 : op == ReduceOp.MEAN && !x.dtype().isFloating() ? DType.FLOAT64 : x.dtype();
        Twin out = tw.empty(outType, without(x.shape(), dim));
        TwinViews.CPU.reduce(op, x.cpu(), dim, out.cpu());
        gpu.reduce(op, x.gpu(), dim, out.gpu());
        boolean summing = op == ReduceOp.SUM || op == ReduceOp.MEAN;
        tw.assertClose(what, out, 0, summing && outType.isFloating() ? 1e-5 : 0);
    }

    @Test
    void everyReductionMatchesTheCpuOverAllElementsAndAlongEachDim() {
        TwinViews tw = new TwinViews(gpu, 11);
        for (DType t : DType.values()) {
            for (ReduceOp op : ReduceOp.values()) {
                for (Layout layout : Layout.values()) {
                    long[] shape = tw.randomShape(3);
                    boolean specials = t.isFloating() && op != ReduceOp.SUM && op != ReduceOp.MEAN;
                    Twin x = tw.random(t, shape, layout, specials);
                    for (int dim = -1; dim < shape.length; dim++) {
                        check(tw, op, x, dim, op + " " + t + " " + layout + " dim " + dim);
                    }
                }
            }
        }
    }

    @Test
    void largeReductionsUseTwoStagesAndKeepFirstIndexTies() {
        TwinViews tw = new TwinViews(gpu, 12);
        int n = 20_000;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) Math.floor(tw.rnd.nextGaussian() * 10);
        data[1234] = 99;
        data[17777] = 99; // a later tie must lose
        Twin x = tw.dense(data, new long[] {n});
        for (ReduceOp op : ReduceOp.values()) check(tw, op, x, -1, "20000 elements " + op);
        data[9000] = Float.NaN;
        data[15000] = Float.NaN;
        Twin withNan = tw.dense(data, new long[] {n});
        for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.ARGMAX, ReduceOp.MIN, ReduceOp.ARGMIN, ReduceOp.SUM}) {
            check(tw, op, withNan, -1, "20000 elements with NaN " + op);
        }
        View idx = CudaBackend.dense(gpu.allocate(DType.INT64, 1), new long[0]);
        gpu.reduce(ReduceOp.ARGMAX, withNan.gpu(), -1, idx);
        assertArrayEquals(new long[] {9000}, (long[]) gpu.download(idx), "the first NaN is the argmax");
    }

    @Test
    void longRowsAndManyShortRowsAlongADim() {
        TwinViews tw = new TwinViews(gpu, 13);
        for (long[] shape : new long[][] {{3, 3000}, {2000, 3}, {7, 1, 300}}) {
            Twin x = tw.random(DType.FLOAT64, shape, Layout.DENSE, false);
            for (int dim = 0; dim < shape.length; dim++) {
                for (ReduceOp op : ReduceOp.values()) check(tw, op, x, dim, op + " of " + java.util.Arrays.toString(shape) + " dim " + dim);
            }
        }
    }

    @Test
    void meanOfIntegersAndSumsIntoAnotherDtype() {
        TwinViews tw = new TwinViews(gpu, 14);
        Twin x = tw.random(DType.INT64, new long[] {4, 5}, Layout.PERMUTED, false);
        check(tw, ReduceOp.MEAN, x, 1, "mean of int64");
        Twin out = tw.empty(DType.FLOAT32, new long[] {4});
        TwinViews.CPU.reduce(ReduceOp.SUM, x.cpu(), 1, out.cpu());
        gpu.reduce(ReduceOp.SUM, x.gpu(), 1, out.gpu());
        tw.assertSame("int64 summed into float32", out, 0);
        Twin empty = tw.empty(DType.FLOAT32, new long[] {0, 3});
        for (ReduceOp op : ReduceOp.values()) check(tw, op, empty, 0, "empty " + op);
        assertEquals(0, gpu.memoryAllocated() % 512, "allocations come in 512-byte classes");
    }
    /**
     * Small integers as float32: every f64 partial sum of them is exact, so any grouping of the
     * additions gives the CPU's value, and a sum on the device must equal it exactly.
     */
    static float[] integers(TwinViews tw, int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) Math.floor(tw.rnd.nextGaussian() * 10);
        return data;
    }

    /** The float32 SUM and MEAN of {@code len} elements of {@code all} from {@code start} equal the CPU's exactly. */
    static void denseSumsEqualTheCpu(CudaBackend device, TwinViews tw, Twin all, long start, long len) {
        Twin x = new Twin(new View(all.cpu().storage(), start, new long[] {len}, new long[] {1}),
                new View(all.gpu().storage(), start, new long[] {len}, new long[] {1}));
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MEAN}) {
            Twin out = tw.empty(DType.FLOAT32, new long[0]);
            TwinViews.CPU.reduce(op, x.cpu(), -1, out.cpu());
            device.reduce(op, x.gpu(), -1, out.gpu());
            tw.assertSame(op + " of " + len + " floats from element " + start, out, 0);
        }
    }

    @Test
    void denseFloat32SumsFromAnyStartAndLengthMatchTheCpuExactly() {
        TwinViews tw = new TwinViews(gpu, 15);
        int n = (int) CudaReduce.DENSE_SUM_MIN + 40;
        float[] data = integers(tw, n);
        Twin all = tw.dense(data, new long[] {n});
        for (int start = 0; start < 8; start++) {
            for (int tail = 0; tail < 4; tail++) {
                long len = CudaReduce.DENSE_SUM_MIN + 4 * start + tail;
                long before = gpu.counters().launches("sum_dense_f32");
                denseSumsEqualTheCpu(gpu, tw, all, start, len);
                // the allocator's blocks start on 512 bytes: element `start` is 16-byte aligned when start % 4 == 0
                assertEquals(start % 4 == 0 ? 2 : 0, gpu.counters().launches("sum_dense_f32") - before,
                        "the vector kernel runs for aligned starts only (start " + start + ")");
            }
        }
        data[n - 1] = Float.NaN;
        Twin withNan = tw.dense(data, new long[] {n});
        check(tw, ReduceOp.SUM, withNan, -1, "a NaN in the vector tail");
        data[n - 1] = Float.POSITIVE_INFINITY;
        data[7] = Float.NEGATIVE_INFINITY;
        check(tw, ReduceOp.SUM, tw.dense(data, new long[] {n}), -1, "inf - inf");
    }
}
