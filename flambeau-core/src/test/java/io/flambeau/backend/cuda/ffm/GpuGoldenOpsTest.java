package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.core.Device;
import io.flambeau.golden.GoldenOpsSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Tag;

/**
 * The golden PyTorch cases on a real GPU through the FFM binding and the system's libcuda
 * (surefire execution gpu-tests). Skipped, with the reason, where no driver or GPU is found.
 */
@Tag("gpu")
@ExtendWith(GoldenPrerequisites.Gpu.class)
class GpuGoldenOpsTest extends GoldenOpsSuite {
    private static CheckedCudaApi api;
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        try {
            api = FfmCudaApiFactory.openNew();
        } catch (CudaUnavailableException e) {
            Assumptions.abort("no usable GPU: " + e.getMessage());
        }
        backend = CudaBackendUnderTest.install(api);
    }

    @AfterAll
    static void remove() {
        if (backend != null) CudaBackendUnderTest.remove(backend);
        if (api != null) api.close();
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
