package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.core.Device;
import io.flambeau.golden.GoldenOpsSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The golden PyTorch cases on the CUDA backend driven through the FFM binding and the loopback
 * driver, kernels running on the simulated device's interpreter: every byte the backend sends to
 * CUDA crosses the real C ABI, checked against cuda.h.
 */
@ExtendWith(GoldenPrerequisites.Loopback.class)
class LoopbackGoldenOpsTest extends GoldenOpsSuite {
    private static FfmCudaApi api;
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        Loopback.require();
        Loopback.configure(1, 13000, 1L << 30);
        Loopback.execute(SimulatorExecutor.create());
        api = FfmCudaApiFactory.openNew();
        backend = CudaBackendUnderTest.install(api);
    }

    @AfterAll
    static void remove() {
        try {
            if (backend != null) CudaBackendUnderTest.remove(backend);
            if (api != null) api.close();
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
