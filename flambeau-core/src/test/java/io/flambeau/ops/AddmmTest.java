package io.flambeau.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;
import io.flambeau.nn.F;
import org.junit.jupiter.api.Test;

/**
 * {@code addmm} and the linear layer built on it, checked against the unfused form (matmul, then
 * add) that the rest of the suite verifies against PyTorch: values, gradients, the shapes of a
 * small network (which take the CPU's skinny product forms) and the errors. The ReLU gradient
 * rule ({@code threshold_backward}) is checked here too, since the same network uses it.
 */
class AddmmTest {

    /** (n, m, p) shapes: short k, narrow n, a square one, and tiny ones. */
    protected int[][] shapes() {
        return new int[][] {{300, 2, 1000}, {300, 1000, 3}, {64, 48, 40}, {3, 5, 4}, {1, 7, 1}};
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        assertTrue(expected.allclose(actual, 1e-5, 1e-5), what + ": expected " + expected + "\nbut got " + actual);
    }

    @Test
    void addmmEqualsMatmulThenAddForEveryBiasShape() {
        Torch.manualSeed(1);
        for (int[] s : shapes()) {
            int n = s[0], m = s[1], p = s[2];
            Tensor a = Torch.randn(n, m), b = Torch.randn(m, p);
            for (Tensor bias : new Tensor[] {Torch.randn(p), Torch.randn(1, p), Torch.randn(n, 1), Torch.randn(n, p), Torch.randn()}) {
                assertClose(a.matmul(b).add(bias), Torch.addmm(bias, a, b), "addmm " + n + "x" + m + "x" + p
                        + " bias " + bias.shape());
            }
            // transposed operands, as a linear layer passes its weight
            Tensor w = Torch.randn(p, m), bias = Torch.randn(p);
            assertClose(a.matmul(w.t()).add(bias), Torch.addmm(bias, a, w.t()), "addmm with a transposed weight");
            assertClose(a.matmul(w.t()).add(bias), F.linear(a, w, bias), "linear");
        }
    }

    @Test
    void linearFoldsLeadingDimsAndAcceptsAVector() {
        Torch.manualSeed(2);
        Tensor w = Torch.randn(4, 3), bias = Torch.randn(4);
        Tensor x3 = Torch.randn(2, 5, 3);
        assertClose(x3.matmul(w.t()).add(bias), F.linear(x3, w, bias), "linear (2,5,3)");
        Tensor transposed = Torch.randn(5, 2, 3).transpose(0, 1); // not contiguous: folded by a copy
        assertClose(transposed.matmul(w.t()).add(bias), F.linear(transposed, w, bias), "linear of a transposed input");
        Tensor v = Torch.randn(3);
        assertClose(v.matmul(w.t()).add(bias), F.linear(v, w, bias), "linear of a vector");
    }

    /** Backward through {@code fused}, then through {@code plain}, with the same upstream: equal gradients on every input. */
    private static void assertSameGradients(Tensor fused, Tensor plain, Tensor up, String what, Tensor... inputs) {
        fused.backward(up);
        Tensor[] first = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            first[i] = inputs[i].grad().clone();
            inputs[i].grad().zero_();
        }
        plain.backward(up);
        for (int i = 0; i < inputs.length; i++) {
            assertClose(inputs[i].grad(), first[i], "gradient of input " + i + " (" + inputs[i].shape() + "), " + what);
        }
    }

    @Test
    void gradientsMatchTheUnfusedForm() {
        Torch.manualSeed(3);
        for (int[] s : shapes()) {
            int n = s[0], m = s[1], p = s[2];
            Tensor a = Torch.randn(n, m).requiresGrad_(), w = Torch.randn(p, m).requiresGrad_();
            Tensor bias = Torch.randn(p).requiresGrad_(), up = Torch.randn(n, p);
            Tensor fused = Torch.addmm(bias, a, w.t());
            assertEquals("AddmmBackward0", fused.gradFn());
            assertSameGradients(fused, a.matmul(w.t()).add(bias), up, n + "x" + m + "x" + p, a, w, bias);
        }
    }

    @Test
    void addmmReluEqualsAddmmThenRelu() {
        Torch.manualSeed(4);
        for (int[] s : shapes()) {
            int n = s[0], m = s[1], p = s[2];
            Tensor a = Torch.randn(n, m).requiresGrad_(), w = Torch.randn(p, m).requiresGrad_();
            Tensor bias = Torch.randn(p).requiresGrad_(), up = Torch.randn(n, p);
            Tensor fused = bias.addmmRelu(a, w.t());
            assertEquals("ReluBackward0", fused.gradFn());
            Tensor plain = Torch.addmm(bias, a, w.t()).relu();
            String what = n + "x" + m + "x" + p;
            assertClose(plain, fused, "addmmRelu " + what);
            assertSameGradients(fused, plain, up, what, a, w, bias);
        }
    }

    /** Sequential runs a Linear followed by a ReLU as one op: same values and gradients as one after the other. */
    @Test
    void sequentialFusesLinearAndRelu() {
        Torch.manualSeed(5);
        io.flambeau.nn.Linear first = new io.flambeau.nn.Linear(2, 7), second = new io.flambeau.nn.Linear(7, 3);
        io.flambeau.nn.Sequential model = new io.flambeau.nn.Sequential(first, new io.flambeau.nn.ReLU(), second);
        for (Tensor x : new Tensor[] {Torch.randn(6, 2), Torch.randn(4, 5, 2), Torch.randn(2)}) {
            Tensor fused = model.forward(x);
            Tensor plain = second.forward(first.forward(x).relu());
            assertClose(plain, fused, "Sequential on " + x.shape());
            fused.sum().backward();
            Tensor gw = first.weight().tensor().grad().clone(), gb = first.bias().tensor().grad().clone();
            model.zeroGrad();
            plain.sum().backward();
            assertClose(first.weight().tensor().grad(), gw, "first weight gradient on " + x.shape());
            assertClose(first.bias().tensor().grad(), gb, "first bias gradient on " + x.shape());
            model.zeroGrad();
        }
        // no-grad evaluation, as the decision-region pictures do it
        try (var ignored = Torch.noGrad()) {
            Tensor grid = Torch.randn(5, 6, 2);
            assertClose(second.forward(first.forward(grid).relu()), model.forward(grid), "no-grad Sequential");
        }
    }

    @Test
    void errorsNameTheOpShapesAndDtypes() {
        Tensor a = Torch.randn(2, 3), b = Torch.randn(4, 5), bias = Torch.randn(5);
        ShapeException shapes = assertThrows(ShapeException.class, () -> Torch.addmm(bias, a, b));
        assertTrue(shapes.getMessage().contains("addmm") && shapes.getMessage().contains("2x3 and 4x5"), shapes.getMessage());
        ShapeException vector = assertThrows(ShapeException.class, () -> Torch.addmm(bias, Torch.randn(3), Torch.randn(3, 5)));
        assertTrue(vector.getMessage().contains("2-D"), vector.getMessage());
        ShapeException badBias = assertThrows(ShapeException.class,
                () -> Torch.addmm(Torch.randn(4), a, Torch.randn(3, 5)));
        assertTrue(badBias.getMessage().contains("[4]") || badBias.getMessage().contains("(4)"), badBias.getMessage());
        DTypeException dtypes = assertThrows(DTypeException.class,
                () -> Torch.addmm(Torch.randn(5).to(DType.FLOAT64), a, Torch.randn(3, 5)));
        assertTrue(dtypes.getMessage().contains("addmm") && dtypes.getMessage().contains("torch.float64"), dtypes.getMessage());
    }

    @Test
    void reluGradientFollowsThresholdBackward() {
        Tensor x = Torch.tensor(new float[] {-1f, 0f, 2f, Float.NaN}).requiresGrad_();
        x.relu().backward(Torch.tensor(new float[] {5f, 6f, 7f, 8f}));
        // result <= 0 gives 0; a NaN result lets the gradient through, as PyTorch's threshold_backward
        assertArrayEquals(new float[] {0f, 0f, 7f, 8f}, x.grad().toFloatArray());
    }
}
