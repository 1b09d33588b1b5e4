package io.flambeau.backend.cuda.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bugs a backend can have, and the loud, precise failure the simulator gives for each: bad memory
 * accesses, races, divergent barriers, bad launches, and PTX outside the supported subset.
 */
class FaultDetectionTest {
    private final SimHarness sim = new SimHarness();

    private static CudaException fails(int status, Executable e) {
        CudaException ex = assertThrows(CudaException.class, e);
        assertEquals(status, ex.code(), ex.getMessage());
        return ex;
    }

    private static void mentions(CudaException ex, String... parts) {
        for (String p : parts) assertTrue(ex.getMessage().contains(p), "message lacks '" + p + "': " + ex.getMessage());
    }

    private static int lineOf(String ptx, String text) {
        String[] lines = ptx.split("\n");
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(text)) return i + 1;
        throw new AssertionError(text);
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Test
    void storePastTheEndIsAnIllegalAddressNamingKernelLineThreadAndAddress() {
        int n = 8;
        long in = sim.upload(new float[n + 1]), out = sim.api.memAlloc(n * 4L);
        long f = sim.function(TestKernels.COPY, "copy");
        CudaException ex = fails(CudaStatus.ILLEGAL_ADDRESS,
                () -> sim.launch(f, 1, 32, new KernelArgs().ptr(in).ptr(out).u32(n + 1)));
        mentions(ex, "cuLaunchKernel failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", "kernel 'copy'",
                "line " + lineOf(TestKernels.COPY, "st.global.f32"), "thread (8,0,0)", "block (0,0,0)",
                "0x" + Long.toHexString(out + n * 4L), "0 bytes past the end");
    }

    @Test
    void misalignedLoadFails() {
        long in = sim.upload(new float[] {1, 2, 3}), out = sim.api.memAlloc(4);
        long f = sim.function(TestKernels.LOAD_AT, "load_at");
        sim.launch(f, 1, 1, new KernelArgs().ptr(in).u64(4).ptr(out));
        assertEquals(2f, sim.floats(out, 1)[0]);
        CudaException ex = fails(CudaStatus.MISALIGNED_ADDRESS, () -> sim.launch(f, 1, 1, new KernelArgs().ptr(in).u64(2).ptr(out)));
        mentions(ex, "not 4-byte aligned", "line " + lineOf(TestKernels.LOAD_AT, "ld.global.f32"));
    }

    @Test
    void freedNullAndTruncatedPointersFail() {
        long in = sim.upload(new float[] {1}), out = sim.api.memAlloc(4);
        long f = sim.function(TestKernels.LOAD_AT, "load_at");
        sim.api.memFree(in);
        mentions(fails(CudaStatus.ILLEGAL_ADDRESS, () -> sim.launch(f, 1, 1, new KernelArgs().ptr(in).u64(0).ptr(out))), "freed");
        mentions(fails(CudaStatus.ILLEGAL_ADDRESS, () -> sim.launch(f, 1, 1, new KernelArgs().ptr(0).u64(0).ptr(out))), "null pointer");
        long live = sim.upload(new float[] {1});
        mentions(fails(CudaStatus.ILLEGAL_ADDRESS, () -> sim.launch(f, 1, 1,
                new KernelArgs().ptr(live & 0xFFFF_FFFFL).u64(0).ptr(out))), "32-bit");
    }

    // ---- synchronisation ------------------------------------------------------------------------

    @Test
    void missingBarrierIsReportedAsASharedMemoryRace() {
        long in = sim.upload(new float[256]), partial = sim.api.memAlloc(4);
        long f = sim.function(TestKernels.BLOCK_SUM_RACY, "block_sum_racy");
        CudaException ex = fails(CudaStatus.LAUNCH_FAILED, () -> sim.launch(f, 1, 256, new KernelArgs().ptr(in).ptr(partial).u32(256)));
        mentions(ex, "shared-memory data race", "no bar.sync in between", "line " + lineOf(TestKernels.BLOCK_SUM_RACY, "ld.shared.f32 %f2"));
        // lock-step execution would have hidden the bug: without the detector the sum comes out right
        SimHarness lax = new SimHarness(SimulatedCudaConfig.builder().raceCheck(false).build());
        float[] ones = new float[256];
        java.util.Arrays.fill(ones, 1f);
        long in2 = lax.upload(ones), p2 = lax.api.memAlloc(4);
        lax.launch(lax.function(TestKernels.BLOCK_SUM_RACY, "block_sum_racy"), 1, 256, new KernelArgs().ptr(in2).ptr(p2).u32(256));
        assertEquals(256f, lax.floats(p2, 1)[0]);
    }

    @Test
    void threadsWaitingAtDifferentBarriersFail() {
        long f = sim.function(TestKernels.DIVERGENT_BARRIER, "divergent_barrier");
        mentions(fails(CudaStatus.LAUNCH_FAILED, () -> sim.launch(f, 1, 64, new KernelArgs().ptr(0))), "barrier divergence");
        sim.launch(f, 1, 1, new KernelArgs().ptr(0)); // one thread: no divergence
    }

    @Test
    void shuffleWithAnInactiveLaneInTheMaskFails() {
        String ptx = TestKernels.elementwise("""
                ld.global.u32 %r1, [%ia];
                setp.eq.u32 %p1, %r1, 0;
                @%p1 bra SKIP;
                shfl.sync.down.b32 %r2, %r1, 1, 31, -1;
                st.global.u32 [%o], %r2;
                SKIP:
                """);
        long[] a = new long[32];
        a[3] = 1;
        CudaException ex = fails(CudaStatus.LAUNCH_FAILED, () -> sim.elementwise(ptx, a, null, 1));
        mentions(ex, "member mask", "not executing this instruction");
    }

    // ---- arithmetic and runaway kernels ---------------------------------------------------------

    @Test
    void integerDivisionByZeroFails() {
        long out = sim.api.memAlloc(4);
        long f = sim.function(TestKernels.DIVIDE, "divide");
        sim.launch(f, 1, 1, new KernelArgs().u32(7).u32(2).ptr(out));
        assertEquals(3, sim.ints(out, 1)[0]);
        mentions(fails(CudaStatus.LAUNCH_FAILED, () -> sim.launch(f, 1, 1, new KernelArgs().u32(7).u32(0).ptr(out))), "division by zero");
    }

    @Test
    void endlessLoopTimesOut() {
        SimHarness small = new SimHarness(SimulatedCudaConfig.builder().instructionBudget(100_000).build());
        long f = small.function(TestKernels.SPIN, "spin");
        mentions(fails(CudaStatus.LAUNCH_TIMEOUT, () -> small.launch(f, 1, 32, new KernelArgs())), "kernel 'spin'");
    }

    // ---- launch configuration -------------------------------------------------------------------

    @Test
    void launchConfigurationAndParametersAreValidated() {
        long f = sim.function(TestKernels.VADD, "vadd");
        long p = sim.api.memAlloc(64);
        KernelArgs ok = new KernelArgs().ptr(p).ptr(p).ptr(p).u64(4);
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.api.launchKernel(f, 1, 1, 1, 32, 33, 1, 0, 0, ok)), "1056 threads");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.api.launchKernel(f, 1, 1, 1, 1025, 1, 1, 0, 0, ok)), "block dimension x = 1025");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.api.launchKernel(f, 0, 1, 1, 32, 1, 1, 0, 0, ok)), "grid dimension x");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.api.launchKernel(f, 1, 1, 1, 32, 1, 65, 0, 0, ok)), "block dimension z");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.api.launchKernel(f, 1, 1, 1, 32, 1, 1, 64 * 1024, 0, ok)), "dynamic shared");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.launch(f, 1, 32, new KernelArgs().ptr(p).ptr(p).ptr(p).u32(4))),
                "parameter 3 'n'", "takes 8 bytes", "u32 of 4 bytes");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.launch(f, 1, 32, new KernelArgs().ptr(p).ptr(p).u64(4))),
                "takes 4 parameters", "but 3 arguments");
        long params = sim.function(TestKernels.PARAMS, "params");
        mentions(fails(CudaStatus.INVALID_VALUE, () -> sim.launch(params, 1, 1,
                new KernelArgs().ptr(p).s32(1).f64(2).s32(3).u64(4))), "parameter 1 'a'", ".f32 but argument 1 is s32");
        mentions(fails(CudaStatus.INVALID_HANDLE, () -> sim.launch(f + 1, 1, 32, ok)), "unknown function");
    }

    // ---- PTX refused at load --------------------------------------------------------------------

    private static String kernel(String body) {
        return TestKernels.HEADER + """
                .visible .entry k(.param .u64 p)
                {
                    .reg .pred %p<4>;
                    .reg .b32 %r<8>;
                    .reg .f32 %f<8>;
                    .reg .b64 %rd<8>;
                BODY
                    ret;
                }
                """.replace("BODY", body.indent(4));
    }

    private CudaException refused(String ptx, int status, String... parts) {
        CudaException ex = fails(status, () -> sim.api.moduleLoadData(ptx));
        assertEquals("cuModuleLoadDataEx", ex.call());
        assertTrue(ex.jitLog() != null && ex.jitLog().startsWith("ptxas application ptx input, line "), ex.getMessage());
        mentions(ex, parts);
        return ex;
    }

    @Test
    void unsupportedPtxIsRefusedAtLoadWithItsLine() {
        String unknown = kernel("frobnicate.u32 %r1, %r2;");
        CudaException ex = refused(unknown, CudaStatus.INVALID_PTX, "CUDA_ERROR_INVALID_PTX (218)", "'frobnicate'");
        assertTrue(ex.jitLog().contains("line " + lineOf(unknown, "frobnicate")), ex.jitLog());
        refused(kernel("add.cc.u32 %r1, %r2, %r3;"), CudaStatus.INVALID_PTX, "unsupported modifier '.cc'");
        refused(kernel("add.u32 %r1, %tid.x, 1;"), CudaStatus.INVALID_PTX, "may only be read by mov or cvt");
        refused(kernel("add.u32 %r1, %f1, 1;"), CudaStatus.INVALID_PTX, "declared .f32");
        refused(kernel("add.f32 %f1, %f2, 1;"), CudaStatus.INVALID_PTX, "float literal");
        refused(kernel("add.u32 %r1, %r9, 1;"), CudaStatus.INVALID_PTX, "undeclared register %r9");
        refused(kernel("cvt.f32.s32 %f1, %r1;"), CudaStatus.INVALID_PTX, "needs .rn, .rz, .rm or .rp");
        refused(kernel("max.NaN.f32 %f1, %f2, %f3;"), CudaStatus.INVALID_PTX, "requires .target sm_80");
        refused(kernel("bra NOWHERE;"), CudaStatus.INVALID_PTX, "unknown label 'NOWHERE'");
        refused(kernel("ld.local.f32 %f1, [%rd1];"), CudaStatus.INVALID_PTX, ".local");
        refused(kernel("ld.param.u64 %rd1, [p+8];"), CudaStatus.INVALID_PTX, "outside parameter 'p'");
    }

    @Test
    void floatAddWithoutRoundingModifierIsRefusedUnlessAllowed() {
        String ptx = kernel("add.f32 %f1, %f2, %f3;");
        refused(ptx, CudaStatus.INVALID_PTX, "write add.rn.f32");
        SimHarness lax = new SimHarness(SimulatedCudaConfig.builder().requireExplicitRounding(false).build());
        lax.api.moduleLoadData(ptx);
    }

    @Test
    void ptxNewerThanTheDriverOrTargetAboveTheDeviceIsRefused() {
        String v90 = TestKernels.VADD.replace(".version 7.0", ".version 9.0");
        refused(v90, CudaStatus.UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)", "9.0");
        new SimHarness(SimulatedCudaConfig.builder().driverVersion(13000).build()).api.moduleLoadData(v90);
        refused(TestKernels.VADD.replace("sm_75", "sm_80"), CudaStatus.INVALID_PTX, "sm_80");
    }

    @Test
    void unknownKernelNameIsNotFound() {
        long m = sim.api.moduleLoadData(TestKernels.VADD);
        mentions(fails(CudaStatus.NOT_FOUND, () -> sim.api.moduleGetFunction(m, "vsub")), "[vadd]");
    }
}
