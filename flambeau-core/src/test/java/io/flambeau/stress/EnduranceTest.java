package io.flambeau.stress;

import io.flambeau.Cuda;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Long training loops without a {@code Scope}: memory must stay bounded with only the garbage
 * collector (CPU) or the safety-net cleaner (GPU) releasing what each step leaves behind.
 *
 * <p>{@code mvn test} runs 3,000 CPU steps and 300 simulated-GPU steps, to stay short in CI (on
 * our busy 2-core machine 3,000 CPU steps took 18 s and 300 simulated-GPU steps 34 s: the simulator
 * interprets every kernel); {@code bench/endurance} runs the full 10,000 and 1,000 with the same
 * assertions, through the properties
 * {@code flambeau.endurance.cpuSteps} and {@code flambeau.endurance.gpuSteps}.
 */
class EnduranceTest {
    private static final int CPU_STEPS = Integer.getInteger("flambeau.endurance.cpuSteps", 3_000);
    private static final int GPU_STEPS = Integer.getInteger("flambeau.endurance.gpuSteps", 300);

    @Test
    void cpuStepsWithoutScopeKeepTheHeapFlat() {
        TrainingStep step = new TrainingStep(Device.CPU, 7);
        int warmUp = Math.min(500, CPU_STEPS / 10);
        double first = step.run();
        for (int i = 1; i < warmUp; i++) step.run();
        long start = usedHeapAfterGc();
        long peak = start;
        double last = first;
        for (int i = warmUp; i < CPU_STEPS; i++) {
            last = step.run();
            if (i % 1000 == 0) peak = Math.max(peak, usedHeapAfterGc());
        }
        long end = usedHeapAfterGc();
        System.out.printf("endurance cpu: %d steps, heap after GC %.1f MiB at step %d, %.1f MiB at the end, peak %.1f MiB%n",
                CPU_STEPS, mib(start), warmUp, mib(end), mib(peak));
        assertTrue(last < first, "training went on: loss " + first + " -> " + last);
        assertTrue(end - start < 8L << 20, "heap grew from " + mib(start) + " to " + mib(end) + " MiB");
        assertTrue(peak - start < 16L << 20, "heap peaked at " + mib(peak) + " MiB from " + mib(start));
    }

    @Test
    void simulatedGpuStepsWithoutScopeKeepDeviceMemoryBounded() {
        SimCuda.install();
        Device gpu = Device.cuda(0);
        TrainingStep step = new TrainingStep(gpu, 11);
        double first = step.run();
        long before = Cuda.memoryAllocated(gpu);
        step.run();
        long perStep = Cuda.memoryAllocated(gpu) - before; // what one step leaves to the cleaner, about
        long peak = 0;
        double last = first;
        for (int i = 2; i < GPU_STEPS; i++) {
            last = step.run();
            peak = Math.max(peak, Cuda.memoryAllocated(gpu));
        }
        System.out.printf("endurance gpu: %d steps, device memory allocated %d B after step 1, %d B left per step,"
                + " peak %d B, %d B at the end%n", GPU_STEPS, before, perStep, peak, Cuda.memoryAllocated(gpu));
        assertTrue(last < first, "training went on: loss " + first + " -> " + last);
        // Kept forever, the steps' leftovers would reach GPU_STEPS * perStep; bounded means far below that.
        assertTrue(peak < 6L << 20, "device memory peaked at " + peak + " B (" + perStep + " B left per step)");
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double mib(long b) { return b / (1024.0 * 1024.0); }
}
