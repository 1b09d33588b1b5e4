package io.flambeau.ownership;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;

/**
 * Random programs over tensor lifetimes (see {@link OwnershipStress}), on the CPU (sizes that reach
 * the array pool) and on the simulated GPU (its block cache). Bounded for CI; a longer run:
 * {@code bench/ownership-stress} (environment variable {@code FLAMBEAU_STRESS_PROGRAMS}).
 */
class OwnershipStressTest {
    static final int PROGRAMS = Integer.parseInt(System.getenv().getOrDefault("FLAMBEAU_STRESS_PROGRAMS", "12"));

    @Test
    void randomProgramsOnTheCpu() {
        for (int p = 0; p < PROGRAMS; p++) new OwnershipStress(1000 + p, Device.CPU, new int[] {5, 4096, 8192}).run(300);
    }

    @Test
    void randomProgramsOnTheSimulatedGpu() {
        SimCuda.install();
        for (int p = 0; p < Math.max(1, PROGRAMS / 4); p++) {
            new OwnershipStress(2000 + p, OnSimulatedCuda.GPU, new int[] {5, 300, 1024}).run(200);
        }
    }
}
