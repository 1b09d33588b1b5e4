package io.flambeau.backend.cuda;

import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static io.flambeau.backend.cuda.OnSimulatedCuda.GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device work of one eager training step, counted exactly on the simulated device after
 * warm-up: nothing waits for the host, nothing is uploaded or allocated, and the model's part
 * (forward, loss, backward) is the kernels listed here. zeroGrad sets the gradients to none (no
 * launch), and the optimizer updates every parameter in one multi-tensor launch.
 */
class GpuStepCountsTest {
    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    /** Forward + margin hinge + backward of Linear(2,h)+ReLU → Linear(h,3), 4 parameters. */
    private static final Map<String, Long> SPIRAL_MODEL = Map.of(
            // layer 2's bias broadcast into its output (GEMM beta = 1), and the weights' first gradients
            // copied into the leaves' own buffers (transposed views of the GEMMs' results)
            "ew_copy_f32_to_f32_r2_i32", 3L,
            "ew_add_relu_f32_f32_to_f32_r2_i32", 1L,         // layer 1: bias + ReLU after its GEMM
            "margin_hinge_f32", 1L,                          // the hinge's terms
            "reduce_float", 3L,                              // the loss's sum, the two bias gradients
            "ew_fill_to_f32_dense", 1L,                      // backward's seed
            "margin_hinge_backward_f32", 1L,
            "ew_binary_threshold_backward_f32_f32_to_f32_dense", 1L); // ReLU's gradient

    private static void assertNoHostTraffic(DeviceCounters c, String what) {
        assertEquals(0, c.synchronizations(), what + ": synchronisations\n" + c);
        assertEquals(0, c.hostToDevice(), what + ": host-to-device copies\n" + c);
        assertEquals(0, c.deviceToHost(), what + ": device-to-host copies\n" + c);
        assertEquals(0, c.allocations(), what + ": driver allocations\n" + c);
        assertEquals(0, c.frees(), what + ": driver frees\n" + c);
    }

    @Test
    void spiralStepAtHidden100And1000() {
        for (int hidden : new int[] {100, 1000}) {
            String what = "spiral step, hidden " + hidden;
            StepCounts c = StepCounts.of(TrainingSteps.spiral(GPU, hidden), GPU, 2);
            System.out.println(what + "\n" + c);
            assertNoHostTraffic(c.total(), what);
            assertEquals(new TreeMap<>(SPIRAL_MODEL), c.model().launchesByKernel(), what + ": the model's kernels\n" + c);
            assertEquals(5, c.model().gemms(), what + ": GEMMs (2 forward, 3 backward)");
            assertTrue(c.model().launchesWithGemms() <= 24, what);
            assertEquals(0, c.zeroGrad().launches(), what + ": zeroGrad sets the gradients to none");
            assertEquals(Map.of("mt_adam_f32", 1L), c.optimizer().launchesByKernel(), what + ": Adam, one launch\n" + c);
            assertEquals(17, c.total().launchesWithGemms(), what + ": the whole step\n" + c);
            assertTrue(c.total().launchesWithGemms() <= 24, what + ": the issue's target");
        }
    }

    @Test
    void categoriesStep() {
        StepCounts c = StepCounts.of(TrainingSteps.categories(GPU), GPU, 2);
        System.out.println("categories step\n" + c);
        assertNoHostTraffic(c.total(), "categories step");
        assertEquals(new TreeMap<>(Map.of(
                "ew_copy_f32_to_f32_r2_i32", 2L, "margin_hinge_f32", 1L, "reduce_float", 2L, "ew_fill_to_f32_dense", 1L,
                "margin_hinge_backward_f32", 1L)), c.model().launchesByKernel(), c.toString());
        assertEquals(2, c.model().gemms(), "forward and the weight's gradient");
        assertEquals(Map.of("mt_sgd_f32", 1L), c.optimizer().launchesByKernel(), "SGD, one launch\n" + c);
        assertEquals(10, c.total().launchesWithGemms(), "the whole step, SGD included\n" + c);
    }

    @Test
    void theCountedStepsTrainAsOnTheCpu() {
        for (boolean spiral : new boolean[] {true, false}) {
            TrainingSteps.Step cpu = spiral ? TrainingSteps.spiral(Device.CPU, 100) : TrainingSteps.categories(Device.CPU);
            TrainingSteps.Step gpu = spiral ? TrainingSteps.spiral(GPU, 100) : TrainingSteps.categories(GPU);
            for (int step = 0; step < 4; step++) {
                cpu.run();
                gpu.run();
                double want = cpu.loss(), got = gpu.loss();
                assertEquals(want, got, 1e-5 * Math.max(1, Math.abs(want)), (spiral ? "spiral" : "categories") + " loss " + step);
            }
            // SGD follows the CPU to rounding. Adam moves each parameter by about lr whatever the gradient's
            // size, so where a gradient is cancellation noise (a few 1e-6 where the exact value is about 0,
            // summed in another order on each device) the parameters part by up to a few lr; all others agree.
            float[] want = cpu.parameters(), got = gpu.parameters();
            double bound = spiral ? 2.5 * 1e-3 * 4 : 1e-5;
            int apart = 0;
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs(want[i] - got[i]);
                assertTrue(d <= bound * Math.max(1, Math.abs(want[i])), "parameter " + i + ": " + want[i] + " vs " + got[i]);
                if (d > 1e-5 * Math.max(1, Math.abs(want[i]))) apart++;
            }
            assertTrue(apart <= want.length / 20, apart + " of " + want.length + " parameters differ by more than 1e-5");
        }
    }
}
