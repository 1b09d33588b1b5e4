package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.core.Device;
import io.flambeau.golden.GoldenOpsSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The golden cases as on a machine with only the NVIDIA driver: the binding reports no cuBLAS, so
 * the CUDA backend's PTX GEMM kernels compute every matrix product, through the loopback's real
 * cuLaunchKernel ABI and the simulator.
 */
@ExtendWith(GoldenPrerequisites.Loopback.class)
class LoopbackPtxGemmGoldenOpsTest extends GoldenOpsSuite {
    private static FfmCudaApi api;
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        Loopback.require();
        Loopback.configure(1, 13000, 1L << 30);
        Loopback.execute(SimulatorExecutor.create());
        FfmCudaApiFactory.openNew().close(); // cuInit and the library checks
        api = new FfmCudaApi(false);
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
