package io.flambeau.backend.cuda.ffm;

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
    private static LoopbackDevice device;

    @BeforeAll
    static void install() {
        device = LoopbackDevice.open(FfmCudaApiFactory::openNew);
    }

    @AfterAll
    static void remove() {
        LoopbackDevice.close(device);
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
