package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.ffm.FfmCudaApiFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a real GPU (surefire execution gpu-tests): float32 sums and means of 2^24 elements, past what
 * the simulator runs in a test, equal the CPU's exactly ({@link CudaReduceTest#denseSumsEqualTheCpu}).
 * The starts and tails of the vector kernel are {@link CudaReduceTest}'s, which gpu-check runs on
 * the GPU too (flambeau-core/gpu-suites.txt). Skipped, with the reason, where no GPU is found.
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

    @Test
    void sixteenMillionElementsEqualTheCpu() {
        TwinViews tw = new TwinViews(gpu, 22);
        int n = (1 << 24) + 3;
        Twin all = tw.dense(CudaReduceTest.integers(tw, n), new long[] {n});
        CudaReduceTest.denseSumsEqualTheCpu(gpu, tw, all, 0, n);     // the vector kernel, then a tail of 3
        CudaReduceTest.denseSumsEqualTheCpu(gpu, tw, all, 1, 1 << 24); // unaligned: the generic kernel
    }
}
