package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JCuda binding on a real GPU: copies, kernels with 4 and 16 parameters run by the hardware,
 * cuBLAS SGEMM against a host reference, and the driver's own error statuses. Runs in the gpu-tests
 * JVM (the system's libcuda.so.1); skipped with the reason when JCuda finds no usable GPU.
 */
@Tag("gpu")
class JCudaGpuTest {
    private static final String HEADER = ".version 7.0\n.target sm_75\n.address_size 64\n\n";

    /** out[i] = alpha * in[i] for i < n. */
    static final String SCALE = HEADER + """
            .visible .entry scale(.param .u64 out, .param .u64 in, .param .u32 n, .param .f32 alpha)
            {
                .reg .pred %p;
                .reg .b32 %r<6>;
                .reg .f32 %f<3>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [out];
                ld.param.u64 %rd2, [in];
                ld.param.u32 %r1, [n];
                ld.param.f32 %f1, [alpha];
                mov.u32 %r2, %ctaid.x;
                mov.u32 %r3, %ntid.x;
                mov.u32 %r4, %tid.x;
                mad.lo.s32 %r5, %r2, %r3, %r4;
                setp.ge.u32 %p, %r5, %r1;
                @%p bra DONE;
                cvta.to.global.u64 %rd3, %rd1;
                cvta.to.global.u64 %rd4, %rd2;
                mul.wide.u32 %rd5, %r5, 4;
                add.s64 %rd6, %rd4, %rd5;
                ld.global.f32 %f2, [%rd6];
                mul.f32 %f2, %f2, %f1;
                add.s64 %rd7, %rd3, %rd5;
                st.global.f32 [%rd7], %f2;
            DONE:
                ret;
            }
            """;

    private static JCudaApi api;
    private static long context;
    /** Why this machine cannot run these tests (null when it can); each test is skipped with it. */
    private static String unavailable;

    /** out[i - 1] = p{i} for the fifteen .u32 parameters after {@code out}: their order as the GPU saw it. */
    static String sixteenParameters() {
        StringBuilder sb = new StringBuilder(HEADER).append(".visible .entry sixteen(.param .u64 out");
        for (int i = 1; i < 16; i++) sb.append(", .param .u32 p").append(i);
        sb.append(")\n{\n    .reg .b32 %r<2>;\n    .reg .b64 %rd<2>;\n    ld.param.u64 %rd1, [out];\n")
                .append("    cvta.to.global.u64 %rd1, %rd1;\n");
        for (int i = 1; i < 16; i++) {
            sb.append("    ld.param.u32 %r1, [p").append(i).append("];\n")
                    .append("    st.global.u32 [%rd1+").append(4 * (i - 1)).append("], %r1;\n");
        }
        return sb.append("    ret;\n}\n").toString();
    }

    @BeforeAll
    static void open() {
        try {
            api = JCudaApi.open();
            if (api.deviceCount() == 0) {
                unavailable = "the driver reports no CUDA device";
                return;
            }
            context = api.primaryCtxRetain(0);
            api.ctxSetCurrent(context);
        } catch (CudaUnavailableException e) {
            unavailable = e.getMessage();
        }
    }

    /** Per test rather than in {@code @BeforeAll}, so that every skipped test reports the reason. */
    @BeforeEach
    void requireGpu() {
        Assumptions.assumeTrue(unavailable == null, () -> "no GPU for the JCuda binding: " + unavailable);
        api.ctxSetCurrent(context);
    }

    @AfterAll
    static void close() {
        if (api == null || context == 0) return;
        api.ctxSynchronize();
        api.ctxSetCurrent(0);
        api.primaryCtxRelease(0);
    }

    private static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.flip();
    }

    private static float[] download(long d, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(b, d, 4L * n);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void copiesRoundTripOneMebibyte() {
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        long d = api.memAlloc(data.length);
        api.memcpyHtoD(d, ByteBuffer.wrap(data), data.length);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        api.memcpyDtoH(back, d, data.length);
        assertArrayEquals(data, back.array());
        api.memFree(d);
    }

    @Test
    void aKernelWithFourParametersRuns() {
        int n = 1000;
        float[] in = new float[n];
        for (int i = 0; i < n; i++) in[i] = i - 500;
        long x = api.memAlloc(4L * n), y = api.memAlloc(4L * n);
        api.memcpyHtoD(x, floats(in), 4L * n);
        long module = api.moduleLoadData(SCALE);
        long f = api.moduleGetFunction(module, "scale");
        long stream = api.streamCreate();
        api.launchKernel(f, (n + 127) / 128, 1, 1, 128, 1, 1, 0, stream, new KernelArgs().ptr(y).ptr(x).u32(n).f32(2.5f));
        api.streamSynchronize(stream);
        float[] out = download(y, n);
        for (int i = 0; i < n; i++) assertEquals(2.5f * in[i], out[i], "element " + i);
        api.streamDestroy(stream);
        api.moduleUnload(module);
        api.memFree(x);
        api.memFree(y);
    }

    @Test
    void aKernelWithSixteenParametersSeesThemInOrder() {
        long out = api.memAlloc(64);
        long f = api.moduleGetFunction(api.moduleLoadData(sixteenParameters()), "sixteen");
        KernelArgs args = new KernelArgs().ptr(out);
        int[] expected = new int[15];
        for (int i = 1; i < 16; i++) {
            expected[i - 1] = i * 1000 + i;
            args.u32(expected[i - 1]);
        }
        api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, args);
        ByteBuffer b = ByteBuffer.allocate(60).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(b, out, 60);
        int[] got = new int[15];
        b.asIntBuffer().get(got);
        assertArrayEquals(expected, got);
        api.memFree(out);
    }

    @Test
    void sgemmMatchesAHostReference() {
        Assumptions.assumeTrue(api.hasBlas(), () -> "no cuBLAS 12 for JCublas2: " + api.blasUnavailableReason());
        int m = 64, n = 48, k = 32;
        Random r = new Random(7);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        long da = api.memAlloc(4L * a.length), db = api.memAlloc(4L * b.length), dc = api.memAlloc(4L * m * n);
        api.memcpyHtoD(da, floats(a), 4L * a.length);
        api.memcpyHtoD(db, floats(b), 4L * b.length);
        long h = api.blasCreate();
        api.blasSetMathMode(h, CudaApi.CUBLAS_DEFAULT_MATH);
        api.blasSgemm(h, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, m, n, k, 1f, da, m, db, k, 0f, dc, m);
        float[] c = download(dc, m * n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double want = 0;
                for (int l = 0; l < k; l++) want += (double) a[i + l * m] * b[l + j * k];
                assertEquals(want, c[i + j * m], 1e-4, "C[" + i + "," + j + "]");
            }
        }
        api.blasDestroy(h);
        api.memFree(da);
        api.memFree(db);
        api.memFree(dc);
    }

    @Test
    void theDriversErrorsAreTyped() {
        long module = api.moduleLoadData(SCALE);
        CudaException e = assertThrows(CudaException.class, () -> api.moduleGetFunction(module, "missing"));
        assertEquals(CudaStatus.NOT_FOUND, e.code());
        assertEquals("CUDA_ERROR_NOT_FOUND", e.errorName());
        CudaException jit = assertThrows(CudaException.class, () -> api.moduleLoadData(HEADER + ".visible .entry broken(\n{\n"));
        assertEquals("cuModuleLoadDataEx", jit.call());
        assertTrue(jit.jitLog() != null && !jit.jitLog().isEmpty(), "the JIT log: " + jit.getMessage());
        api.moduleUnload(module);
    }
}
