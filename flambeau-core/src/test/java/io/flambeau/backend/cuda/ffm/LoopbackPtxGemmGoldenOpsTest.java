package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
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
    private static LoopbackDevice device;

    @BeforeAll
    static void install() {
        device = LoopbackDevice.open(() -> {
            FfmCudaApiFactory.openNew().close(); // cuInit and the library checks
            return CheckedCudaApi.of(new FfmCudaApi(false));
        });
    }

    @AfterAll
    static void remove() {
        LoopbackDevice.close(device);
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
