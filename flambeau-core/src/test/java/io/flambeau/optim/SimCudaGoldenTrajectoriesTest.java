package io.flambeau.optim;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PyTorch optimizer trajectories replayed with the parameter on {@code cuda:0}, the simulated
 * GPU: the loss, its gradient, the optimizer state and every update are computed by the CUDA
 * backend's kernels and must land where PyTorch's did, to the same tolerance as on the CPU.
 */
class SimCudaGoldenTrajectoriesTest extends GoldenTrajectoriesTest {
    @BeforeAll
    static void simulatedGpu() {
        SimCuda.install();
    }

    @Override
    protected Device device() { return OnSimulatedCuda.GPU; }
}
