package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.StepCounts;
import io.flambeau.backend.cuda.TrainingSteps;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Through the FFM binding and the loopback driver the counters see what they see on the simulated
 * device: they wrap the binding, whichever it is, at the CUDA context.
 */
@ExtendWith(GoldenPrerequisites.Loopback.class)
class LoopbackCountersTest {
    private static LoopbackDevice device;

    @BeforeAll
    static void install() {
        device = LoopbackDevice.open(FfmCudaApiFactory::openNew);
    }

    @AfterAll
    static void remove() {
        LoopbackDevice.close(device);
    }

    @Test
    void theCategoriesStepCountsAsOnTheSimulatedDevice() {
        Device gpu = Device.cuda(0);
        StepCounts c = StepCounts.of(TrainingSteps.categories(gpu), gpu, 2);
        DeviceCounters total = c.total();
        assertEquals(0, total.synchronizations() + total.hostToDevice() + total.deviceToHost() + total.allocations(),
                total.toString());
        assertEquals(10, total.launchesWithGemms(), "as GpuStepCountsTest counts on the simulated device\n" + c);
        assertEquals(1, total.launches("margin_hinge_f32"), total.toString());
        assertEquals(2, total.gemms(), total.toString());
    }
}
