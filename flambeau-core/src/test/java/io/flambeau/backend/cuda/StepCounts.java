package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;

/** The device work of one training step, by part: zeroGrad, forward + loss + backward, the optimizer's step. */
public record StepCounts(DeviceCounters zeroGrad, DeviceCounters model, DeviceCounters optimizer) {

    /** The whole step. */
    public DeviceCounters total() {
        DeviceCounters zero = DeviceCounters.zero();
        return plus(plus(zeroGrad, model), optimizer).minus(zero);
    }

    /** Counts one step of {@code step} on {@code device} after {@code warmup} uncounted steps. */
    public static StepCounts of(TrainingSteps.Step step, Device device, int warmup) {
        for (int i = 0; i < warmup; i++) step.run();
        DeviceCounters[] at = new DeviceCounters[4];
        at[0] = Cuda.counters(device);
        step.run(() -> at[1] = Cuda.counters(device), () -> at[2] = Cuda.counters(device), () -> at[3] = Cuda.counters(device));
        return new StepCounts(at[1].minus(at[0]), at[2].minus(at[1]), at[3].minus(at[2]));
    }

    private static DeviceCounters plus(DeviceCounters a, DeviceCounters b) {
        return a.minus(DeviceCounters.zero().minus(b));
    }

    @Override
    public String toString() {
        return "whole step: " + total() + "\nzeroGrad: " + zeroGrad + "\nforward + loss + backward: " + model
                + "\noptimizer step: " + optimizer;
    }
}
