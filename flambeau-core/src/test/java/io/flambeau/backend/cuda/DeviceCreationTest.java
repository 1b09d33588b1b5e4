package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static io.flambeau.backend.cuda.OnSimulatedCuda.GPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tensors made from nothing on a GPU are written there by kernels: nothing is uploaded, nothing waits. */
class DeviceCreationTest {
    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    private static DeviceCounters counted(Supplier<Tensor> make) {
        make.get(); // compile the kernel first
        DeviceCounters before = Cuda.counters(GPU);
        make.get();
        return Cuda.counters(GPU).minus(before);
    }

    @Test
    void rangesAndConstantsUploadNothing() {
        for (Supplier<Tensor> make : java.util.List.<Supplier<Tensor>>of(
                () -> Torch.arange(0L, 300L, 1L, GPU),
                () -> Torch.full(new long[] {3, 4}, 2.5, DType.FLOAT32, GPU),
                () -> Torch.full(new long[] {5}, 0, DType.INT64, GPU))) {
            DeviceCounters c = counted(make);
            assertEquals(0, c.synchronizations() + c.deviceToHost() + c.hostToDevice(), c.toString());
        }
        DeviceCounters range = counted(() -> Torch.arange(0L, 300L, 1L, GPU));
        assertEquals(0, range.hostToDevice(), range.toString());
        assertEquals(1, range.launches("arange_s64"), range.toString());
    }

    @Test
    void rangesOnTheGpuHaveTheCpusValuesBitForBit() {
        assertArrayEquals(Torch.arange(-7L, 40L, 3L, Device.CPU).toLongArray(), Torch.arange(-7L, 40L, 3L, GPU).toLongArray());
        Device previous = io.flambeau.DeviceSelection.defaultDevice();
        try {
            io.flambeau.DeviceSelection.setDefaultDevice(GPU);
            float[] gpu = Torch.arange(0.1, 7.3, 0.07).toFloatArray();
            double[] gpu64 = Torch.arange(-1.0, 2.0, 0.013, DType.FLOAT64).toDoubleArray();
            io.flambeau.DeviceSelection.setDefaultDevice(Device.CPU);
            assertArrayEquals(Torch.arange(0.1, 7.3, 0.07).toFloatArray(), gpu);
            assertArrayEquals(Torch.arange(-1.0, 2.0, 0.013, DType.FLOAT64).toDoubleArray(), gpu64);
        } finally {
            io.flambeau.DeviceSelection.setDefaultDevice(previous);
        }
    }
}
