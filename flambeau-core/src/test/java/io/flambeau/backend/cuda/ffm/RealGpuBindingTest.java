package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binding against the machine's real driver and GPU (surefire execution gpu-tests, its own JVM
 * without the loopback). Skipped, with the reason, where no driver or GPU is found.
 */
@Tag("gpu")
class RealGpuBindingTest {
    private CheckedCudaApi api;

    @BeforeEach
    void open() {
        try {
            api = FfmCudaApiFactory.openNew();
        } catch (CudaUnavailableException e) {
            Assumptions.abort("no usable GPU: " + e.getMessage());
        }
        api.ctxSetCurrent(api.primaryCtxRetain(0));
    }

    @AfterEach
    void close() {
        if (api != null) api.close();
    }

    @Test
    void memoryRoundTripsAndMemsetsOnTheGpu() {
        long d = api.memAlloc(1 << 20);
        ByteBuffer src = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < src.capacity(); i++) src.put(i, (byte) (i * 7));
        api.memcpyHtoD(d, src, src.capacity());
        api.memsetD8Async(d + 16, (byte) 0x5A, 16, 0);
        ByteBuffer back = ByteBuffer.allocate(1 << 20);
        api.memcpyDtoH(back, d, back.capacity());
        for (int i = 0; i < back.capacity(); i++) {
            assertEquals(i >= 16 && i < 32 ? (byte) 0x5A : (byte) (i * 7), back.get(i), "byte " + i);
        }
    }

    @Test
    void theDriverJitCompilesAndRunsOurPtx() {
        int n = 100_000;
        ByteBuffer x = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            x.putFloat(4 * i, i * 0.25f);
            y.putFloat(4 * i, 1f);
        }
        long dx = api.memAlloc(n * 4L), dy = api.memAlloc(n * 4L);
        api.memcpyHtoD(dx, x, n * 4L);
        api.memcpyHtoD(dy, y, n * 4L);
        long f = api.moduleGetFunction(api.moduleLoadData(LoopbackSimulatorTest.AXPY), "axpy");
        long stream = api.streamCreate();
        api.launchKernel(f, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, new KernelArgs().ptr(dx).ptr(dy).f32(2f).u64(n));
        api.streamSynchronize(stream);
        api.memcpyDtoH(y, dy, n * 4L);
        for (int i = 0; i < n; i++) assertEquals(Math.fma(2f, i * 0.25f, 1f), y.getFloat(4 * i), "element " + i);
    }

    @Test
    void aRealJitErrorCarriesPtxasLogBesideTheNumberedLine() {
        String bad = LoopbackSimulatorTest.AXPY.replace("fma.rn.f32 %f3, %f1, %f2, %f3;", "fma.rn.f32 %f3, %f1, %f9, %f3;");
        CudaException e = assertThrows(CudaException.class, () -> api.moduleLoadData(bad));
        assertEquals(CudaStatus.INVALID_PTX, e.code());
        assertTrue(e.jitLog().contains("line"), e.jitLog());
        assertTrue(e.getMessage().contains("> ") && e.getMessage().contains("%f9"), e.getMessage());
    }

    @Test
    void cublasSgemmMatchesTheColumnMajorContract() {
        Assumptions.assumeTrue(api.hasBlas(), "cuBLAS not installed: the PTX GEMM covers matrix products");
        long h = api.blasCreate();
        ByteBuffer b = ByteBuffer.allocateDirect(32).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 2, 3, 4}) b.putFloat(v); // column-major [[1,3],[2,4]]
        long a = api.memAlloc(16), c = api.memAlloc(16);
        api.memcpyHtoD(a, b.flip(), 16);
        api.blasSgemm(h, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_T, 2, 2, 2, 1f, a, 2, a, 2, 0f, c, 2);
        ByteBuffer out = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(out, c, 16);
        // A·Aᵀ = [[10,14],[14,20]]
        assertEquals(10f, out.getFloat(0));
        assertEquals(14f, out.getFloat(4));
        assertEquals(14f, out.getFloat(8));
        assertEquals(20f, out.getFloat(12));
        assertTrue(api.blasVersion() >= 110000, "cuBLAS " + api.blasVersion());
    }
}
