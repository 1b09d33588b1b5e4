package io.flambeau.autograd;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code backward(gradient)} refuses a gradient on another device than the output, naming both (PyTorch's words). */
class BackwardGradientDeviceTest {
    static final Device GPU = Device.cuda(0);

    @BeforeAll
    static void simulatedGpu() { SimCuda.install(); }

    @Test
    void aGpuGradientForACpuOutputIsRefused() {
        Tensor w = Torch.tensor(new float[] {1, 2, 3}).requiresGrad_();
        Tensor y = w.mul(2);
        DeviceException e = assertThrows(DeviceException.class, () -> y.backward(Torch.ones(3).to(GPU)));
        assertEquals("backward: invalid gradient at index 0 - expected device cpu but got cuda:0; move the gradient"
                + " to the output's device first (gradient.to(cpu))", e.getMessage());
        assertNull(w.grad(), "nothing was accumulated");
        y.backward(Torch.ones(3));
        assertEquals(Device.CPU, w.grad().device());
        assertArrayEquals(new float[] {2, 2, 2}, w.grad().toFloatArray());
    }

    @Test
    void aCpuGradientForAGpuOutputIsRefused() {
        Tensor w = Torch.tensor(new float[] {1, 2, 3}).to(GPU).requiresGrad_();
        Tensor y = w.mul(3);
        DeviceException e = assertThrows(DeviceException.class, () -> y.backward(Torch.ones(3), true));
        assertEquals("backward: invalid gradient at index 0 - expected device cuda:0 but got cpu; move the gradient"
                + " to the output's device first (gradient.to(cuda:0))", e.getMessage());
        assertNull(w.grad());
        y.backward(Torch.ones(3).to(GPU));
        assertEquals(GPU, w.grad().device());
        assertArrayEquals(new float[] {3, 3, 3}, w.grad().toFloatArray());
    }
}
