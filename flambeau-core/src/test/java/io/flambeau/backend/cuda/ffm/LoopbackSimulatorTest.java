package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path a GPU launch takes, without a GPU: FfmCudaApi marshals the arguments, the loopback
 * driver receives them through the real cuLaunchKernel ABI, and the simulated device's interpreter
 * runs the PTX on the loopback's memory.
 */
class LoopbackSimulatorTest extends LoopbackFixture {
    static final String AXPY = """
            .version 7.0
            .target sm_75
            .address_size 64

            .visible .entry axpy(
                .param .u64 x,
                .param .u64 y,
                .param .f32 a,
                .param .u64 n
            )
            {
                .reg .pred %p<2>;
                .reg .f32 %f<4>;
                .reg .b32 %r<4>;
                .reg .b64 %rd<9>;

                ld.param.u64 %rd1, [x];
                ld.param.u64 %rd2, [y];
                ld.param.f32 %f1, [a];
                ld.param.u64 %rd3, [n];
                cvta.to.global.u64 %rd1, %rd1;
                cvta.to.global.u64 %rd2, %rd2;
                mov.u32 %r1, %ctaid.x;
                mov.u32 %r2, %ntid.x;
                mov.u32 %r3, %tid.x;
                mul.wide.u32 %rd4, %r1, %r2;
                cvt.u64.u32 %rd5, %r3;
                add.s64 %rd4, %rd4, %rd5;
                setp.ge.u64 %p1, %rd4, %rd3;
                @%p1 bra DONE;
                shl.b64 %rd6, %rd4, 2;
                add.s64 %rd7, %rd1, %rd6;
                add.s64 %rd8, %rd2, %rd6;
                ld.global.f32 %f2, [%rd7];
                ld.global.f32 %f3, [%rd8];
                fma.rn.f32 %f3, %f1, %f2, %f3;
                st.global.f32 [%rd8], %f3;
            DONE:
                ret;
            }
            """;

    private SimulatorExecutor simulator;

    @BeforeEach
    void simulate() {
        simulator = SimulatorExecutor.create();
        Loopback.execute(simulator);
    }

    private long upload(float[] v) {
        long d = api.memAlloc(v.length * 4L);
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        api.memcpyHtoD(d, b, v.length * 4L);
        return d;
    }

    @Test
    void aKernelRunsOnLoopbackMemoryThroughTheInterpreter() {
        int n = 1000;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5f;
            y[i] = 1 - i;
        }
        long dx = upload(x), dy = upload(y);
        long f = api.moduleGetFunction(api.moduleLoadData(AXPY), "axpy");
        api.launchKernel(f, (n + 255) / 256, 1, 1, 256, 1, 1, 0, 0, new KernelArgs().ptr(dx).ptr(dy).f32(3f).u64(n));
        ByteBuffer out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(out, dy, n * 4L);
        for (int i = 0; i < n; i++) assertEquals(Math.fma(3f, x[i], y[i]), out.getFloat(4 * i), "element " + i);
    }

    @Test
    void anOutOfBoundsAccessInTheKernelIsAnIllegalAddress() {
        long dx = upload(new float[16]), dy = upload(new float[16]);
        long f = api.moduleGetFunction(api.moduleLoadData(AXPY), "axpy");
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 64, 1, 1, 0, 0, new KernelArgs().ptr(dx).ptr(dy).f32(1f).u64(64)));
        assertEquals(CudaStatus.ILLEGAL_ADDRESS, e.code());
        assertEquals("cuLaunchKernel", e.call());
        assertTrue(simulator.lastError().getMessage().contains("kernel 'axpy'"), simulator.lastError().getMessage());
    }
}
