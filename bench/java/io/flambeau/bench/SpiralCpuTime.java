package io.flambeau.bench;

import io.flambeau.DeviceSelection;
import io.flambeau.core.Device;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The spiral training step timed in this process's CPU time as well as in wall time, one line each:
 * {@code spiral_step_hN_cpu} and {@code spiral_step_hN_wall}, microseconds per step, the best of 7
 * rounds after {@link CpuFigures#bestSeconds}'s warm-up, each round long enough (at least half a
 * second) for the process CPU clock, which the kernel may count in 10 ms ticks. On a machine shared with other
 * jobs, wall time mostly measures how long the scheduler kept this process waiting; CPU time (all
 * of its threads, the garbage collector's included) measures the work, so it is the figure that
 * compares two kernel sets there. Arguments: the hidden sizes (default 100 1000).
 */
public final class SpiralCpuTime {
    private SpiralCpuTime() {}

    public static void main(String[] args) {
        DeviceSelection.setDefaultDevice(Device.CPU);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String[] sizes = args.length == 0 ? new String[] {"100", "1000"} : args;
        for (String size : sizes) {
            int h = Integer.parseInt(size);
            SpiralWorkload w = new SpiralWorkload(h);
            double perStep = CpuFigures.bestSeconds(w::step, 20); // after a warm-up until the JIT is quiet
            int steps = (int) Math.max(20, Math.ceil(0.5 / perStep));
            double bestCpu = Double.MAX_VALUE, bestWall = Double.MAX_VALUE;
            for (int round = 0; round < 7; round++) {
                long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                for (int k = 0; k < steps; k++) w.step();
                bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e3 / steps);
                bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e3 / steps);
            }
            System.out.printf(Locale.ROOT, "spiral_step_h%d_cpu %.3f us%n", h, bestCpu);
            System.out.printf(Locale.ROOT, "spiral_step_h%d_wall %.3f us%n", h, bestWall);
        }
    }
}
