package io.flambeau.golden;

import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.BeforeAll;

/** The golden PyTorch cases on cuda:0, served by the CUDA backend on the simulated device. */
class SimCudaGoldenOpsTest extends GoldenOpsSuite {
    @BeforeAll
    static void simulatedGpu() {
        SimCuda.install();
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
