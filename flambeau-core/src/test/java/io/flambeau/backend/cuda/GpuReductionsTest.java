package io.flambeau.backend.cuda;

import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.ffm.FfmCudaApiFactory;
import io.flambeau.core.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a real GPU (surefire execution gpu-tests): all-element float32 sums and means through the
 * vector kernel (sum_dense_f32) and the generic one, from aligned and unaligned starts, up to 2^24
 * elements, equal the CPU's. The data are small integers, so every f64 partial sum is exact and any
 * grouping of the additions gives the CPU's value. Skipped, with the reason, where no GPU is found.
 */
@Tag("gpu")
class GpuReductionsTest {
    private static CudaBackend gpu;
    private static String noGpu;

    @BeforeAll
    static void open() {
        try {
            CudaApi api = new FfmCudaApiFactory().create();
            gpu = new CudaBackend(api, 0);
        } catch (RuntimeException | LinkageError e) {
            noGpu = "no usable GPU: " + e.getMessage();
        }
    }

    /** Each test skips with the reason (an abort in {@code @BeforeAll} would hide them from the count). */
    @BeforeEach
    void needsTheGpu() {
        Assumptions.assumeTrue(gpu != null, () -> noGpu);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
    }

    private static Twin integers(TwinViews tw, int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) Math.floor(tw.rnd.nextGaussian() * 10);
        return tw.dense(data, new long[] {n});
    }

    private static void sumsAgree(TwinViews tw, Twin all, long start, long len) {
        Twin x = new Twin(new View(all.cpu().storage(), start, new long[] {len}, new long[] {1}),
                new View(all.gpu().storage(), start, new long[] {len}, new long[] {1}));
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MEAN}) {
            Twin out = tw.empty(DType.FLOAT32, new long[0]);
            TwinViews.CPU.reduce(op, x.cpu(), -1, out.cpu());
            gpu.reduce(op, x.gpu(), -1, out.gpu());
            tw.assertSame(op + " of " + len + " floats from element " + start, out, 0);
        }
    }

    @Test
    void denseSumsFromEveryStartAndTailEqualTheCpu() {
        TwinViews tw = new TwinViews(gpu, 21);
        Twin all = integers(tw, (int) CudaReduce.DENSE_SUM_MIN + 64);
        long before = gpu.counters().launches("sum_dense_f32");
        for (int start = 0; start < 8; start++) {
            for (int tail = 0; tail < 4; tail++) sumsAgree(tw, all, start, CudaReduce.DENSE_SUM_MIN + 4 * start + tail);
        }
        assertEquals(2 * 2 * 4, gpu.counters().launches("sum_dense_f32") - before, "aligned starts 0 and 4 take the vector kernel");
    }

    @Test
    void sixteenMillionElementsEqualTheCpu() {
        TwinViews tw = new TwinViews(gpu, 22);
        Twin all = integers(tw, (1 << 24) + 3);
        sumsAgree(tw, all, 0, (1 << 24) + 3);
        sumsAgree(tw, all, 1, 1 << 24);
    }
}
