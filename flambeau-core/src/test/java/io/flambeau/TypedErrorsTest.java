package io.flambeau;

import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import io.flambeau.core.FlambeauException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse that used to reach the user as a JVM exception (NullPointerException, ClassCastException)
 * or as a message naming an op inside the one called: each is a typed error naming the user's call.
 */
class TypedErrorsTest {
    @BeforeAll
    static void simulatedGpu() { SimCuda.install(); }

    private static <T extends FlambeauException> void assertMessage(Class<T> type, String expected, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(expected, e.getMessage());
    }

    private static Tensor t() { return Torch.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}); }

    @Test
    void aNullTensorArgumentIsNamed() {
        Tensor t = t();
        assertMessage(DataException.class, "add(): argument 'other' must be a Tensor, not null", () -> t.add(null));
        assertMessage(DataException.class, "mul_(): argument 'other' must be a Tensor, not null", () -> t.mul_(null));
        assertMessage(DataException.class, "matmul(): argument 'other' must be a Tensor, not null", () -> t.matmul(null));
        assertMessage(DataException.class, "lt(): argument 'other' must be a Tensor, not null", () -> t.lt(null));
        assertMessage(DataException.class, "addmm(): argument 'mat2' must be a Tensor, not null",
                () -> Torch.zeros(2).addmm(t, null));
        assertMessage(DataException.class, "allclose(): argument 'other' must be a Tensor, not null",
                () -> t.allclose(null, 1e-5, 1e-8));
        Tensor w = Torch.ones(2).requiresGrad_();
        assertMessage(DataException.class, "backward(): argument 'gradient' must be a Tensor, not null",
                () -> w.mul(2).backward(null));
    }

    @Test
    void aNullInCatOrStackIsNamedWithItsPosition() {
        Tensor t = t();
        assertMessage(DataException.class, "cat(): expected Tensor as element 1 in argument 0, but got null",
                () -> Torch.cat(Arrays.asList(t, null)));
        assertMessage(DataException.class, "stack(): expected Tensor as element 0 in argument 0, but got null",
                () -> Torch.stack(Arrays.asList(null, t), 1));
        assertMessage(DataException.class, "cat(): argument 'tensors' must be a list of Tensors, not null",
                () -> Torch.cat(null));
    }

    @Test
    void aNullInputToAModuleIsNamed() {
        assertMessage(DataException.class, "Linear.forward(): argument 'input' must be a Tensor, not null",
                () -> new Linear(2, 3).forward(null));
        assertMessage(DataException.class, "Sequential.forward(): argument 'input' must be a Tensor, not null",
                () -> new Sequential(new Linear(2, 3), new ReLU()).forward(null));
        assertMessage(DataException.class, "ReLU.forward(): argument 'input' must be a Tensor, not null",
                () -> new ReLU().forward(null));
        assertMessage(DataException.class, "softmax(): argument 'input' must be a Tensor, not null",
                () -> F.softmax(null, 0));
    }

    @Test
    void charDataIsRefusedAsText() {
        DataException e = assertThrows(DataException.class, () -> Torch.tensor(new char[] {'a', 'b'}));
        assertTrue(e.getMessage().startsWith("tensor: cannot convert char data (char[])"), e.getMessage());
        e = assertThrows(DataException.class, () -> Torch.tensor(List.of(new char[] {'a'})));
        assertTrue(e.getMessage().startsWith("tensor: cannot convert char data"), e.getMessage());
        e = assertThrows(DataException.class, () -> Torch.tensor(new char[][] {{'a'}}));
        assertTrue(e.getMessage().startsWith("tensor: cannot convert char data"), e.getMessage());
    }

    @Test
    void softmaxNamesItselfForABadDim() {
        assertMessage(IndexException.class, "softmax: Dimension out of range (expected to be in range of [-2, 1], but got 5)",
                () -> F.softmax(t(), 5));
        assertMessage(IndexException.class, "log_softmax: Dimension out of range (expected to be in range of [-2, 1], but got -3)",
                () -> F.logSoftmax(t(), -3));
    }

    @Test
    void stackNamesItself() {
        Tensor cpu = t().to(Device.CPU), gpu = t().to(Device.cuda(0));
        DeviceException e = assertThrows(DeviceException.class, () -> Torch.stack(List.of(cpu, gpu)));
        assertTrue(e.getMessage().startsWith("stack: "), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> Torch.stack(List.of(cpu, Torch.zeros(3))));
        assertTrue(s.getMessage().startsWith("stack: "), s.getMessage());
    }

    @Test
    void allcloseBroadcastsBothSidesAndNamesItself() {
        ShapeException e = assertThrows(ShapeException.class, () -> t().allclose(Torch.zeros(4), 1e-5, 1e-8));
        assertTrue(e.getMessage().startsWith("allclose: shapes [2, 3] and [4] cannot be broadcast together"), e.getMessage());
        assertTrue(t().allclose(Torch.tensor(new float[] {1, 2, 3}).add(Torch.zeros(2, 1)).add(Torch.tensor(
                new float[][] {{0, 0, 0}, {3, 3, 3}})), 1e-5, 1e-8));
        assertTrue(Torch.tensor(new float[] {2, 2}).allclose(Torch.full(new long[] {3, 1}, 2.0), 1e-5, 1e-8),
                "the left side broadcasts too, as torch.allclose");
    }

    @Test
    void arangeWithANanBoundSaysSo() {
        assertMessage(DataException.class, "arange: unsupported range: 0.0 -> nan; bounds must be finite",
                () -> Torch.arange(0.0, Double.NaN));
        assertMessage(DataException.class, "arange: unsupported range: -inf -> 1.0; bounds must be finite",
                () -> Torch.arange(Double.NEGATIVE_INFINITY, 1.0));
        assertMessage(DataException.class, "arange: unsupported range: 0.0 -> nan; bounds must be finite",
                () -> Torch.arange(0.0, Double.NaN, 1.0, DType.INT64));
        assertMessage(DataException.class, "arange: step must be finite, got nan", () -> Torch.arange(0.0, 1.0, Double.NaN));
    }

    @Test
    void aMissingGpuIsNotReportedAsAMissingDriverWhenOthersWork() {
        DeviceException e = assertThrows(DeviceException.class, () -> t().to("cuda:5"));
        assertTrue(e.getMessage().startsWith("device cuda:5 cannot be used: there is no such device; available devices: ["),
                e.getMessage());
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
        assertEquals(Device.cuda(0), t().to("cuda:0").device());
    }
}
