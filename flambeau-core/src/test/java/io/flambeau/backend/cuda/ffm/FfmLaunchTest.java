package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cuLaunchKernel's kernelParams as the driver sees them: the loopback hands each launch to a
 * recorder, which reads every argument back with the sizes the PTX declares.
 */
class FfmLaunchTest extends LoopbackFixture {
    private static final String HEADER = ".version 7.0\n.target sm_75\n.address_size 64\n\n";

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

    private RecordingExecutor recorder;

    @BeforeEach
    void record() {
        recorder = new RecordingExecutor();
        Loopback.execute(recorder);
    }

    private void assertReceived(KernelArgs args, RecordingExecutor.Launch launch) {
        assertEquals(args.count(), launch.args().size(), "parameter count");
        for (int i = 0; i < args.count(); i++) {
            assertArrayEquals(args.bytes(i), launch.args().get(i), "parameter " + i + " " + args);
        }
    }

    @Test
    void fourParametersArriveWithTheirValues() {
        long module = api.moduleLoadData(FOUR);
        long f = api.moduleGetFunction(module, "four");
        long out = api.memAlloc(256);
        KernelArgs args = new KernelArgs().ptr(out).u32(1000).f32(1.5f).f64(-2.25);
        long stream = api.streamCreate();
        api.launchKernel(f, 3, 2, 1, 128, 1, 1, 64, stream, args);
        assertEquals(1, recorder.launches.size());
        RecordingExecutor.Launch l = recorder.launches.getFirst();
        assertEquals("four", l.kernel());
        assertArrayEquals(new int[] {3, 2, 1, 128, 1, 1, 64}, l.dims(), "grid, block, shared bytes");
        assertEquals(stream, l.stream());
        assertReceived(args, l);
    }

    @Test
    void sixteenParametersWithArraysKeepOrderSizesAndAlignment() {
        long module = api.moduleLoadData(SIXTEEN);
        long f = api.moduleGetFunction(module, "sixteen");
        long buf = api.memAlloc(1024);
        byte[] small = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        KernelArgs args = new KernelArgs().ptr(buf).u32(0xFFFFFFFF).f32(Float.NaN).s64(-5)
                .longs(2, 3, 4).ptr(buf + 512).s32(-7).f64(Math.PI)
                .bytes(small, 4).u32(42).u64(1L << 40).f32(-0.0f)
                .ptr(buf + 1024).u32(7).longs(12, 4, 1, 0).ptr(0);
        api.launchKernel(f, 1, 1, 1, 32, 1, 1, 0, 0, args);
        assertReceived(args, recorder.launches.getFirst());
    }

    @Test
    void aKernelWithoutParametersGetsANullArray() {
        long module = api.moduleLoadData(HEADER + ".visible .entry none()\n{\n    ret;\n}\n");
        api.launchKernel(api.moduleGetFunction(module, "none"), 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs());
        assertEquals(0, recorder.launches.getFirst().args().size());
    }

    @Test
    void aFreedPointerArgumentIsRefusedBeforeTheLaunch() {
        long f = api.moduleGetFunction(api.moduleLoadData(FOUR), "four");
        long out = api.memAlloc(256);
        api.memFree(out);
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs().ptr(out).u32(1).f32(0).f64(0)));
        assertEquals(CudaStatus.INVALID_VALUE, e.code());
        assertTrue(e.getMessage().contains("kernel 'four' argument 0") && e.getMessage().contains("freed"), e.getMessage());
        assertEquals(0, Loopback.live("launches"), "nothing reached the driver");
    }

    @Test
    void anOversizedBlockIsTheDriversInvalidValueNamingTheLaunch() {
        long f = api.moduleGetFunction(api.moduleLoadData(FOUR), "four");
        long out = api.memAlloc(256);
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 2048, 1, 1, 0, 0, new KernelArgs().ptr(out).u32(1).f32(0).f64(0)));
        assertEquals("cuLaunchKernel", e.call());
        assertEquals("CUDA_ERROR_INVALID_VALUE", e.errorName());
        assertTrue(e.getMessage().contains("block (2048, 1, 1) = 2048 threads per block"), e.getMessage());
    }

    @Test
    void aFunctionOfAnUnloadedModuleIsRefused() {
        long module = api.moduleLoadData(FOUR);
        long f = api.moduleGetFunction(module, "four");
        api.moduleUnload(module);
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs().ptr(0).u32(1).f32(0).f64(0)));
        assertEquals(CudaStatus.INVALID_HANDLE, e.code());
        assertEquals(0, Loopback.live("modules"));
    }

    @Test
    void anExecutorFailureIsALaunchFailureNotACrash() {
        Loopback.execute((module, kernel, dims, stream, params) -> {
            throw new IllegalStateException("simulated fault");
        });
        long f = api.moduleGetFunction(api.moduleLoadData(FOUR), "four");
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs().ptr(0).u32(1).f32(0).f64(0)));
        assertEquals(CudaStatus.LAUNCH_FAILED, e.code());
        assertTrue(Loopback.lastHookFailure() instanceof IllegalStateException);
    }
}
