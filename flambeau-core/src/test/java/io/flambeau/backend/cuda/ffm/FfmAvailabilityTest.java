package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.CudaAvailability;
import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.api.CudaUnavailableException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reason lines device selection logs: no device, driver too old, stub driver, cuBLAS missing. */
class FfmAvailabilityTest {
    @BeforeEach
    void loopback() { Loopback.require(); }

    @AfterEach
    void noDevice() { Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY); }

    @Test
    void noDevice_isTheReasonLine() {
        Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, FfmCudaApiFactory::openNew);
        assertEquals(Reason.NO_DEVICE, e.reason());
        assertEquals("NVIDIA driver found but no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)", e.reasonLine());
        assertTrue(e.getMessage().contains("nvidia-smi"), e.getMessage());
    }

    @Test
    void aDriverOlderThanCuda11IsTooOldForPtx70() {
        Loopback.configure(1, 10020, Loopback.DEFAULT_MEMORY);
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, FfmCudaApiFactory::openNew);
        assertEquals(Reason.DRIVER_TOO_OLD, e.reason());
        assertEquals("NVIDIA driver too old: it supports CUDA 10.2, Flambeau needs CUDA 11.0 or newer", e.reasonLine());
        assertTrue(e.getMessage().contains("PTX 7.0") && e.getMessage().contains("R450"), e.getMessage());
    }

    @Test
    void theToolkitsStubIsNotADriver() {
        Loopback.configure(1, 13000, Loopback.DEFAULT_MEMORY);
        Loopback.failNext("cuInit", CudaStatus.STUB_LIBRARY);
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, FfmCudaApiFactory::openNew);
        assertEquals(Reason.STUB_DRIVER, e.reason());
        assertTrue(e.getMessage().contains("stubs"), e.getMessage());
    }

    @Test
    void theServiceFindsTheFfmBindingAndProbeReportsTheReason() {
        List<CudaApiFactory> factories = new ArrayList<>();
        ServiceLoader.load(CudaApiFactory.class).forEach(factories::add);
        assertTrue(factories.stream().anyMatch(f -> f instanceof FfmCudaApiFactory && f.name().equals("ffm")), factories.toString());
        Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        CudaAvailability a = CudaAvailability.probe();
        assertFalse(a.usable());
        assertEquals("NVIDIA driver found but no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)", a.reasonLine());
    }

    @Test
    void anUnknownBindingNameIsTheReason() {
        String old = System.setProperty(CudaAvailability.BINDING_PROPERTY, "nope");
        try {
            assertEquals("flambeau.cuda.binding=nope names no CUDA binding on the class path", CudaAvailability.probe().reasonLine());
        } finally {
            if (old == null) System.clearProperty(CudaAvailability.BINDING_PROPERTY);
            else System.setProperty(CudaAvailability.BINDING_PROPERTY, old);
        }
    }

    @Test
    void withoutCublasTheNoteSaysPtxGemmAndBlasCallsAreTyped() {
        Loopback.configure(1, 13000, Loopback.DEFAULT_MEMORY);
        FfmCudaApiFactory.openNew().close();
        try (CheckedCudaApi noBlas = CheckedCudaApi.of(new FfmCudaApi(false))) {
            CudaAvailability a = CudaAvailability.of(noBlas);
            assertTrue(a.usable());
            assertEquals("cuBLAS not found (libcublas.so.13 / .12), matrix products use Flambeau's PTX GEMM", a.note());
            CublasException e = assertThrows(CublasException.class, noBlas::blasCreate);
            assertEquals(CublasStatus.NOT_INITIALIZED, e.code());
            assertTrue(e.getMessage().contains("cuBLAS was not found"), e.getMessage());
        }
    }
}
