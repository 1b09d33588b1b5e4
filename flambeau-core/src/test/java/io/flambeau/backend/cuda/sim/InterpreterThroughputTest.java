package io.flambeau.backend.cuda.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.Test;

/**
 * Prints how fast the interpreter runs typical kernels (thread-instructions per second), so that a
 * slowdown in the conformance suite can be traced. Printed, not asserted: CI machines vary.
 */
class InterpreterThroughputTest {
    /** Each thread runs a 200-iteration fma loop: dispatch cost amortised over the block. */
    static final String FMA_LOOP = TestKernels.HEADER + """
            .visible .entry fma_loop(.param .u64 out, .param .u32 iters)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<6>;
                .reg .f32 %f<4>;
                .reg .b64 %rd<4>;

                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ctaid.x;
                mov.u32 %r3, %ntid.x;
                mad.lo.s32 %r4, %r2, %r3, %r1;
                cvt.rn.f32.u32 %f1, %r4;
                mov.f32 %f2, 0f3F000000;
                ld.param.u32 %r5, [iters];
            LOOP:
                fma.rn.f32 %f2, %f2, 0f3F7FFFFF, %f1;
                sub.s32 %r5, %r5, 1;
                setp.ne.s32 %p1, %r5, 0;
                @%p1 bra LOOP;
                ld.param.u64 %rd1, [out];
                mul.wide.u32 %rd2, %r4, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.f32 [%rd3], %f2;
                ret;
            }
            """;

    @Test
    void reportThroughput() {
        SimHarness sim = new SimHarness();
        int n = 1 << 20;
        long a = sim.api.memAlloc(n * 4L), b = sim.api.memAlloc(n * 4L), c = sim.api.memAlloc(n * 4L);
        sim.api.memsetD32Async(a, Float.floatToIntBits(1f), n, 0);
        sim.api.memsetD32Async(b, Float.floatToIntBits(2f), n, 0);
        long vadd = sim.function(TestKernels.VADD, "vadd");
        long fma = sim.function(FMA_LOOP, "fma_loop");
        long sum = sim.function(TestKernels.BLOCK_SUM, "block_sum");
        long partial = sim.api.memAlloc(n / 256 * 4L);
        for (int warm = 0; warm < 3; warm++) {
            sim.launch(vadd, 160, 256, new KernelArgs().ptr(a).ptr(b).ptr(c).u64(n));
            sim.launch(fma, 64, 256, new KernelArgs().ptr(c).u32(50));
            sim.launch(sum, n / 256, 256, new KernelArgs().ptr(a).ptr(partial).u32(n));
        }
        report(sim, "vadd, 1M elements, grid-stride", () -> sim.launch(vadd, 160, 256, new KernelArgs().ptr(a).ptr(b).ptr(c).u64(n)));
        assertEquals(3f, sim.floats(c, 1)[0]);
        report(sim, "fma loop, 16K threads x 200", () -> sim.launch(fma, 64, 256, new KernelArgs().ptr(c).u32(200)));
        report(sim, "shared-memory block sum, 1M", () -> sim.launch(sum, n / 256, 256, new KernelArgs().ptr(a).ptr(partial).u32(n)));
        report(sim, "fma loop, 1 warp x 20000", () -> sim.launch(fma, 1, 32, new KernelArgs().ptr(c).u32(20000)));
        report(sim, "100 small launches (1K elements)", () -> {
            for (int i = 0; i < 100; i++) sim.launch(vadd, 4, 256, new KernelArgs().ptr(a).ptr(b).ptr(c).u64(1000));
        });
    }

    private static void report(SimHarness sim, String what, Runnable r) {
        long i0 = sim.cuda.instructionsExecuted(), t0 = System.nanoTime();
        r.run();
        long dt = System.nanoTime() - t0, di = sim.cuda.instructionsExecuted() - i0;
        System.out.printf("[sim throughput] %-36s %,12d thread-instructions in %7.1f ms = %6.1f M/s%n",
                what, di, dt / 1e6, di / (dt / 1e3));
    }
}
