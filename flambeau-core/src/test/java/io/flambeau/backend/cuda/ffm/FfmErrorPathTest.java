package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures are typed exceptions that name the call, the code and the driver's text; misuse (freed,
 * foreign, null, destroyed, closed, too big) is refused before native code, so no scenario here can
 * crash the JVM even though the loopback's "device memory" is plain host memory.
 */
class FfmErrorPathTest extends LoopbackFixture {
    @Test
    void aFailingStatusNamesTheCallCodeAndTheDriversText() {
        Loopback.failNext("cuStreamCreate", CudaStatus.OUT_OF_MEMORY);
        CudaException e = assertThrows(CudaException.class, () -> api.streamCreate());
        assertEquals("cuStreamCreate", e.call());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        assertEquals("out of memory", e.errorString());
        assertEquals("cuStreamCreate failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", e.getMessage());
    }

    @Test
    void aCodeTheDriverDoesNotNameFallsBackToTheTable() {
        Loopback.failNext("cuCtxSynchronize", 4242);
        CudaException e = assertThrows(CudaException.class, () -> api.ctxSynchronize());
        assertEquals("CUresult(4242)", e.errorName());
        assertEquals(4242, e.code());
        assertEquals("CUDA_ERROR_MISALIGNED_ADDRESS", api.errorName(716));
        assertEquals("misaligned address", api.errorString(716));
    }

    @Test
    void outOfMemoryIsTypedAndSaysHowMuchWasAsked() {
        CudaException e = assertThrows(CudaException.class, () -> api.memAlloc(Loopback.DEFAULT_MEMORY + 1));
        assertEquals(CudaStatus.OUT_OF_MEMORY, e.code());
        assertTrue(e.getMessage().contains("requested " + (Loopback.DEFAULT_MEMORY + 1) + " bytes"), e.getMessage());
        assertEquals(CudaStatus.INVALID_VALUE, assertThrows(CudaException.class, () -> api.memAlloc(0)).code());
        assertEquals(CudaStatus.INVALID_VALUE, assertThrows(CudaException.class, () -> api.memAlloc(-8)).code());
    }

    @Test
    void freedForeignAndOverrunPointersAreRefused() {
        long d = api.memAlloc(64);
        ByteBuffer host = ByteBuffer.allocate(128);
        CudaException overrun = assertThrows(CudaException.class, () -> api.memcpyDtoH(host, d + 32, 64));
        assertTrue(overrun.getMessage().contains("32 bytes past the end of the 64-byte allocation"), overrun.getMessage());
        api.memFree(d);
        CudaException freed = assertThrows(CudaException.class, () -> api.memcpyHtoD(d, host, 16));
        assertEquals("cuMemcpyHtoD_v2", freed.call());
        assertTrue(freed.getMessage().contains("which was freed"), freed.getMessage());
        CudaException twice = assertThrows(CudaException.class, () -> api.memFree(d));
        assertTrue(twice.getMessage().contains("freed"), twice.getMessage());
        CudaException foreign = assertThrows(CudaException.class, () -> api.memsetD8Async(0xDEAD_BEEF_000L, (byte) 0, 4, 0));
        assertTrue(foreign.getMessage().contains("not in any live allocation"), foreign.getMessage());
        CudaException nul = assertThrows(CudaException.class, () -> api.memsetD32Async(0, 0, 4, 0));
        assertTrue(nul.getMessage().contains("null"), nul.getMessage());
    }

    @Test
    void badHostBuffersAreRefused() {
        long d = api.memAlloc(64);
        assertTrue(assertThrows(CudaException.class, () -> api.memcpyHtoD(d, null, 8)).getMessage().contains("null"));
        CudaException small = assertThrows(CudaException.class, () -> api.memcpyDtoH(ByteBuffer.allocate(8), d, 16));
        assertTrue(small.getMessage().contains("has 8 bytes"), small.getMessage());
        CudaException readOnly = assertThrows(CudaException.class,
                () -> api.memcpyDtoH(ByteBuffer.allocate(16).asReadOnlyBuffer(), d, 16));
        assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
        assertThrows(CudaException.class, () -> api.memsetD32Async(d + 2, 0, 1, 0), "unaligned D32 memset");
    }

    @Test
    void destroyedAndUnknownHandlesAreRefused() {
        long s = api.streamCreate();
        api.streamDestroy(s);
        CudaException e = assertThrows(CudaException.class, () -> api.streamSynchronize(s));
        assertEquals(CudaStatus.INVALID_HANDLE, e.code());
        assertTrue(e.getMessage().contains("stream 0x" + Long.toHexString(s)), e.getMessage());
        assertThrows(CudaException.class, () -> api.streamDestroy(s), "destroying twice");
        assertThrows(CudaException.class, () -> api.eventRecord(777, 0));
        assertThrows(CudaException.class, () -> api.launchKernel(999, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs()));
        CudaException ctx = assertThrows(CudaException.class, () -> api.ctxSetCurrent(0x1234));
        assertEquals(CudaStatus.INVALID_CONTEXT, ctx.code());
    }

    @Test
    void withoutACurrentContextTheDriverSaysSo() {
        api.ctxSetCurrent(0);
        CudaException e = assertThrows(CudaException.class, () -> api.memAlloc(16));
        assertEquals("CUDA_ERROR_INVALID_CONTEXT", e.errorName());
    }

    @Test
    void releasingTheLastContextReferenceInvalidatesItsMemoryAndHandles() {
        long d = api.memAlloc(64);
        long s = api.streamCreate();
        api.primaryCtxRelease(0);
        assertEquals(0, Loopback.live("allocations"), "the driver freed the context's memory");
        assertThrows(CudaException.class, () -> api.memcpyHtoD(d, ByteBuffer.allocate(8), 8));
        assertThrows(CudaException.class, () -> api.streamSynchronize(s));
        assertThrows(CudaException.class, () -> api.ctxSetCurrent(context), "a released context cannot be made current");
        CudaException twice = assertThrows(CudaException.class, () -> api.primaryCtxRelease(0));
        assertEquals(CudaStatus.INVALID_CONTEXT, twice.code());
    }

    @Test
    void pointersOfAnotherDeviceCannotBeLaunchedOn() {
        api.close();
        Loopback.configure(2, 13000, Loopback.DEFAULT_MEMORY);
        api = FfmCudaApiFactory.openNew();
        long ctx0 = api.primaryCtxRetain(0), ctx1 = api.primaryCtxRetain(1);
        api.ctxSetCurrent(ctx1);
        long onDevice1 = api.memAlloc(64);
        api.ctxSetCurrent(ctx0);
        Loopback.execute(new RecordingExecutor());
        long f = api.moduleGetFunction(api.moduleLoadData(FfmLaunchTest.FOUR), "four");
        CudaException e = assertThrows(CudaException.class,
                () -> api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs().ptr(onDevice1).u32(1).f32(0).f64(0)));
        assertTrue(e.getMessage().contains("is memory of cuda:1 but the launch runs on cuda:0"), e.getMessage());
    }

    @Test
    void aClosedBindingRefusesEveryCall() {
        long d = api.memAlloc(64);
        api.close();
        assertEquals(0, Loopback.live("allocations"), "closing released the context and its memory");
        CudaException e = assertThrows(CudaException.class, () -> api.memFree(d));
        assertEquals(CudaStatus.DEINITIALIZED, e.code());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
