package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.flambeau.backend.cuda.OnSimulatedCuda.GPU;

/** The device work of one training step, counted on the simulated device after warm-up. */
class GpuStepCountsTest {
    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    /** Counts of one step after {@code warmup} steps (kernels compiled, allocator cache filled). */
    static DeviceCounters countStep(TrainingSteps.Step step, int warmup) {
        for (int i = 0; i < warmup; i++) step.run();
        DeviceCounters before = Cuda.counters(GPU);
        step.run();
        return Cuda.counters(GPU).minus(before);
    }

    @Test
    void spiralStepBaseline() {
        DeviceCounters c = countStep(TrainingSteps.spiral(GPU, 100), 3);
        System.out.println("spiral h=100: " + c);
    }
}
