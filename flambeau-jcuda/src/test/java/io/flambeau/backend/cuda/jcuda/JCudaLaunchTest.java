package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module loads and launches through JCuda: the kernelParams array JCuda builds from
 * {@link KernelArgs}, read back by the loopback with the sizes the PTX declares.
 */
class JCudaLaunchTest extends JCudaLoopbackFixture {
    static final String HEADER = ".version 7.0\n.target sm_75\n.address_size 64\n\n";

    static final String FOUR = HEADER + """
            .visible .entry four(
                .param .u64 out,
                .param .u32 n,
                .param .f32 alpha,
                .param .f64 beta
            )
            {
                ret;
            }
            """;

    static final String SIXTEEN = HEADER + """
            .visible .entry sixteen(
                .param .u64 p0, .param .u32 p1, .param .f32 p2, .param .s64 p3,
                .param .align 8 .b8 shape[24], .param .u64 p5, .param .s32 p6, .param .f64 p7,
                .param .align 4 .b8 small[12], .param .u32 p9, .param .u64 p10, .param .f32 p11,
                .param .u64 p12, .param .u32 p13, .param .align 8 .b8 strides[32], .param .u64 p15
            )
            {
                ret;
            }
            """;

    private RecordedLaunches recorder;

    @BeforeEach
    void record() {
        recorder = new RecordedLaunches();
        LoopbackAccess.execute(recorder);
    }

    private static void assertReceived(KernelArgs args, RecordedLaunches.Launch launch) {
        assertEquals(args.count(), launch.args().size(), "parameter count");
        for (int i = 0; i < args.count(); i++) {
            assertArrayEquals(args.bytes(i), launch.args().get(i), "parameter " + i + " of " + args);
        }
    }

    @Test
    void launchWithFourParameters() {
        long f = api.moduleGetFunction(api.moduleLoadData(FOUR), "four");
        long out = api.memAlloc(256);
        KernelArgs args = new KernelArgs().ptr(out).u32(1000).f32(1.5f).f64(-2.25);
        long stream = api.streamCreate();
        api.launchKernel(f, 3, 2, 1, 128, 1, 1, 64, stream, args);
        assertEquals(1, recorder.launches.size());
        RecordedLaunches.Launch l = recorder.launches.getFirst();
        assertEquals("four", l.kernel());
        assertArrayEquals(new int[] {3, 2, 1, 128, 1, 1, 64}, l.dims(), "grid, block, shared bytes");
        assertEquals(stream, l.stream());
        assertReceived(args, l);
    }

    @Test
    void launchWithSixteenParametersIncludingByValueArrays() {
        long f = api.moduleGetFunction(api.moduleLoadData(SIXTEEN), "sixteen");
        long buf = api.memAlloc(1024);
        byte[] small = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        KernelArgs args = new KernelArgs().ptr(buf).u32(0xFFFFFFFF).f32(Float.NaN).s64(-5)
                .longs(2, 3, 4).ptr(buf + 512).s32(-7).f64(Math.PI)
                .bytes(small, 4).u32(42).u64(1L << 40).f32(-0.0f)
                .ptr(buf + 1024).u32(7).longs(12, 4, 1, 0).ptr(0);
        api.launchKernel(f, 1, 1, 1, 32, 1, 1, 0, 0, args);
        assertReceived(args, recorder.launches.getFirst());
        assertEquals(0, recorder.launches.getFirst().stream(), "stream 0 is the legacy default stream");
    }

    @Test
    void aFailedModuleLoadCarriesTheJitLog() {
        CudaException e = assertThrows(CudaException.class,
                () -> api.moduleLoadData(".version 99.0\n.target sm_75\n.address_size 64\n"));
        assertEquals("cuModuleLoadDataEx", e.call());
        assertEquals(CudaStatus.UNSUPPORTED_PTX_VERSION, e.code());
        assertTrue(e.jitLog() != null && !e.jitLog().isEmpty(), "the JIT error log: " + e.getMessage());
        assertTrue(e.getMessage().contains("JIT log:"), e.getMessage());
    }

    @Test
    void anUnknownKernelIsNotFoundNamingIt() {
        long module = api.moduleLoadData(FOUR);
        CudaException e = assertThrows(CudaException.class, () -> api.moduleGetFunction(module, "five"));
        assertEquals("cuModuleGetFunction", e.call());
        assertEquals("CUDA_ERROR_NOT_FOUND", e.errorName());
        assertTrue(e.getMessage().contains("'five'"), e.getMessage());
        api.moduleUnload(module);
        assertEquals(0, LoopbackAccess.live("modules"));
    }

    @Test
    void aRefusedLaunchNamesTheGeometryAndArguments() {
        long f = api.moduleGetFunction(api.moduleLoadData(FOUR), "four");
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 2048, 1, 1, 0, 0, new KernelArgs().ptr(0).u32(1).f32(0).f64(0)));
        assertEquals("cuLaunchKernel", e.call());
        assertEquals("CUDA_ERROR_INVALID_VALUE", e.errorName());
        assertTrue(e.getMessage().contains("block (2048, 1, 1)"), e.getMessage());
        assertTrue(recorder.launches.isEmpty());
    }
}
