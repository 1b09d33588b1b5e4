package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.CudaAvailability;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.tools.Doctor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor's report and exit status on the loopback driver: unusable, failing, passing. */
class DoctorOnLoopbackTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Doctor doctor = new Doctor(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @BeforeEach
    void loopback() { Loopback.require(); }

    @AfterEach
    void noDevice() { Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY); }

    private String report() { return bytes.toString(StandardCharsets.UTF_8); }

    @Test
    void withoutADeviceItSaysWhyAndExitsTwo() {
        Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, FfmCudaApiFactory::openNew);
        int status = doctor.run(failed(e));
        assertEquals(2, status, report());
        assertTrue(report().contains("CUDA is not usable here: NVIDIA driver found but no CUDA device"), report());
        assertTrue(report().contains("Flambeau will run on the CPU"), report());
    }

    @Test
    void aDeviceThatCannotRunKernelsFailsWithAdviceAndExitsOne() {
        Loopback.configure(1, 12040, Loopback.DEFAULT_MEMORY); // no executor: launches are CUDA_ERROR_NOT_SUPPORTED
        try (FfmCudaApi api = FfmCudaApiFactory.openNew()) {
            int status = doctor.run(CudaAvailability.of(api));
            String r = report();
            assertEquals(1, status, r);
            assertTrue(r.contains("version      CUDA 12.4 (cuDriverGetVersion 12040)"), r);
            assertTrue(r.contains("PTX accepted up to ISA 8.4"), r);
            assertTrue(r.contains("cuda:0  Flambeau Loopback Device 0 (host memory), compute capability 7.5, 0.3 GiB, 4 multiprocessors"), r);
            assertTrue(r.contains("found        13.0.0 (cublasGetVersion 130000)"), r);
            assertTrue(r.contains("[PASS] load the built-in kernel"), r);
            assertTrue(r.contains("[FAIL] launch the built-in kernel") && r.contains("CUDA_ERROR_NOT_SUPPORTED"), r);
            assertTrue(r.contains("what to do:"), r);
            assertTrue(r.contains("[PASS] cuBLAS SGEMM"), r);
            assertEquals(0, api.liveAllocations(), "the self-test frees what it allocates");
        }
    }

    @Test
    void onTheSimulatedDeviceEveryCheckPassesAndItExitsZero() {
        Loopback.configure(1, 13000, Loopback.DEFAULT_MEMORY);
        Loopback.execute(SimulatorExecutor.create());
        try (FfmCudaApi api = FfmCudaApiFactory.openNew()) {
            int status = doctor.run(CudaAvailability.of(api));
            assertEquals(0, status, report());
            assertTrue(report().contains("[PASS] launch the built-in kernel (axpy, 1M floats)"), report());
            assertTrue(report().contains("All checks passed"), report());
        }
    }

    private static CudaAvailability failed(CudaUnavailableException e) {
        return CudaAvailability.failed(e);
    }
}
