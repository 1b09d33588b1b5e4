package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failing status becomes a typed exception naming the call, the code and the driver's text
 * (from {@code cuGetErrorName}/{@code cuGetErrorString} through JCuda), and an unusable driver a
 * {@link JCudaUnavailableException} with what was found and what is needed.
 */
class JCudaErrorMappingTest extends JCudaLoopbackFixture {
    @Test
    void aFailingStatusNamesTheCallCodeAndTheDriversText() {
        LoopbackAccess.failNext("cuStreamCreate", CudaStatus.OUT_OF_MEMORY);
        CudaException e = assertThrows(CudaException.class, () -> api.streamCreate());
        assertEquals("cuStreamCreate", e.call());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        assertEquals("out of memory", e.errorString());
        assertEquals("cuStreamCreate failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", e.getMessage());
    }

    @Test
    void versionedEntryPointsAreNamedAsTheDriverExportsThem() {
        LoopbackAccess.failNext("cuMemAlloc_v2", CudaStatus.OUT_OF_MEMORY);
        assertEquals("cuMemAlloc_v2", assertThrows(CudaException.class, () -> api.memAlloc(64)).call());
        CudaException tooBig = assertThrows(CudaException.class, () -> api.memAlloc(LoopbackAccess.DEFAULT_MEMORY + 1));
        assertEquals(CudaStatus.OUT_OF_MEMORY, tooBig.code());
        long d = api.memAlloc(64);
        api.memFree(d);
        CudaException freed = assertThrows(CudaException.class, () -> api.memcpyHtoD(d, ByteBuffer.allocate(8), 8));
        assertEquals("cuMemcpyHtoD_v2", freed.call());
        assertEquals(CudaStatus.INVALID_VALUE, freed.code());
    }

    @Test
    void aCodeTheDriverDoesNotNameFallsBackToTheTable() {
        LoopbackAccess.failNext("cuCtxSynchronize", 4242);
        CudaException e = assertThrows(CudaException.class, () -> api.ctxSynchronize());
        assertEquals("CUresult(4242)", e.errorName());
        assertEquals(4242, e.code());
        assertEquals("CUDA_ERROR_MISALIGNED_ADDRESS", api.errorName(716));
        assertEquals("misaligned address", api.errorString(716));
        assertEquals("CUDA_ERROR_LAUNCH_TIMEOUT", api.errorName(CudaStatus.LAUNCH_TIMEOUT));
    }

    @Test
    void withoutACurrentContextTheDriverSaysSo() {
        api.ctxSetCurrent(0);
        assertEquals("CUDA_ERROR_INVALID_CONTEXT", assertThrows(CudaException.class, () -> api.memAlloc(16)).errorName());
        long s = 0x1234;
        assertEquals(CudaStatus.INVALID_CONTEXT, assertThrows(CudaException.class, () -> api.ctxSetCurrent(s)).code());
    }

    @Test
    void aDriverOlderThanJCudasCudaIsRefusedSayingWhatWasFoundAndWhatIsNeeded() {
        LoopbackAccess.configure(1, 11080, LoopbackAccess.DEFAULT_MEMORY);
        JCudaUnavailableException e = assertThrows(JCudaUnavailableException.class, JCudaApi::open);
        assertEquals(CudaUnavailableException.Reason.DRIVER_TOO_OLD, e.reason());
        assertTrue(e.found().contains("CUDA 11.8") && e.found().contains("11080"), e.found());
        assertTrue(e.needed().contains("CUDA 12.0 or newer"), e.needed());
        assertTrue(e.getMessage().contains("flambeau.cuda.binding=ffm"), "says what else works: " + e.getMessage());
    }

    @Test
    void noDeviceAndStubDriverAreTheirOwnReasons() {
        LoopbackAccess.configure(0, 13000, LoopbackAccess.DEFAULT_MEMORY);
        JCudaUnavailableException none = assertThrows(JCudaUnavailableException.class, JCudaApi::open);
        assertEquals(CudaUnavailableException.Reason.NO_DEVICE, none.reason());
        assertTrue(none.found().contains("CUDA_ERROR_NO_DEVICE"), none.found());
        LoopbackAccess.configure(1, 13000, LoopbackAccess.DEFAULT_MEMORY);
        LoopbackAccess.failNext("cuInit", CudaStatus.STUB_LIBRARY);
        assertEquals(CudaUnavailableException.Reason.STUB_DRIVER,
                assertThrows(JCudaUnavailableException.class, JCudaApi::open).reason());
    }
}
