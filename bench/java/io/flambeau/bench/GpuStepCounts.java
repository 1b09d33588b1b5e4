package io.flambeau.bench;

import io.flambeau.Cuda;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.backend.cuda.StepCounts;
import io.flambeau.backend.cuda.TrainingSteps;
import io.flambeau.core.Device;

/**
 * What one eager training step asks of the device, counted with {@code Cuda.counters}: the spiral
 * step at hidden 100 and 1000 and the categories step, after warm-up, by part (zeroGrad, forward +
 * loss + backward, optimizer) and by kernel name. Runs on the simulated device unless
 * {@code --gpu} asks for the real {@code cuda:0}; the counts are the same on both, being taken at
 * the driver boundary.
 */
public final class GpuStepCounts {
    private GpuStepCounts() {}

    public static void main(String[] args) {
        boolean real = java.util.Arrays.asList(args).contains("--gpu");
        Device gpu = Device.cuda(0);
        if (real) {
            if (!Cuda.isAvailable()) {
                System.out.println("# no GPU: " + Cuda.unavailableReason());
                System.exit(3);
            }
        } else {
            SimCuda.install();
        }
        System.out.println("# device work per training step on " + gpu + (real ? "" : " (simulated)") + ", after warm-up");
        for (int hidden : new int[] {100, 1000}) {
            System.out.println("\n## spiral step, Linear(2," + hidden + ")+ReLU -> Linear(" + hidden + ",3), margin hinge, Adam");
            System.out.println(StepCounts.of(TrainingSteps.spiral(gpu, hidden), gpu, 2));
        }
        System.out.println("\n## categories step, Linear(2,3), margin hinge with delta 1, SGD");
        System.out.println(StepCounts.of(TrainingSteps.categories(gpu), gpu, 2));
    }
}
