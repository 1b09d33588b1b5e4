package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The activation modules and {@link Sequential}. */
class ActivationsAndSequentialTest {
    private static final float[] X = {-2, -0.5f, 0, 1.5f};

    private static float[] apply(Module m) { return m.forward(Torch.tensor(X)).toFloatArray(); }

    @Test
    void activationsComputeTheirFunctions() {
        assertArrayEquals(new float[] {0, 0, 0, 1.5f}, apply(new ReLU()), 0);
        assertArrayEquals(new float[] {-0.4f, -0.1f, 0, 1.5f}, apply(new LeakyReLU(0.2)), 1e-7f);
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0, 1.5f}, apply(new LeakyReLU()), 1e-7f);
        float[] tanh = apply(new Tanh()), sigmoid = apply(new Sigmoid());
        for (int i = 0; i < X.length; i++) {
            assertEquals(Math.tanh(X[i]), tanh[i], 1e-6);
            assertEquals(1 / (1 + Math.exp(-X[i])), sigmoid[i], 1e-6);
        }
    }

    /**
     * Values printed by PyTorch 1.13.1: {@code nn.GELU()(x)} and {@code nn.GELU(approximate='tanh')(x)}; within
     * 1e-6, since PyTorch computes float32 GELU in float32 (2 ulps off at x = 2) and Flambeau in double, rounded once.
     */
    @Test
    void geluInBothFormsMatchesPyTorch() {
        Tensor x = Torch.tensor(new float[] {-1.5f, -0.25f, 0, 2});
        assertArrayEquals(new float[] {-0.10021086037158966f, -0.10032343119382858f, 0, 1.9544999599456787f},
                new GELU().forward(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.10042843222618103f, -0.10032464563846588f, 0, 1.9545977115631104f},
                new GELU("tanh").forward(x).toFloatArray(), 1e-6f);
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        io.flambeau.core.DataException e = org.junit.jupiter.api.Assertions.assertThrows(io.flambeau.core.DataException.class,
                () -> F.gelu(x, "erf"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("approximate argument must be either none or tanh"),
                e.getMessage());
    }

    @Test
    void activationsPrintLikePyTorch() {
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("LeakyReLU(negative_slope=1e-05)", new LeakyReLU(1e-5).toString());
        assertEquals("LeakyReLU(negative_slope=1.0)", new LeakyReLU(1).toString());
    }

    @Test
    void sequentialChainsAndNamesByPosition() {
        Linear first = new Linear(2, 4);
        Linear last = new Linear(4, 1);
        Sequential s = new Sequential(first, new ReLU(), last);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(3, s.size());
        assertSame(last, s.get(-1));
        Tensor x = Torch.tensor(new float[][] {{1, -1}, {0.5f, 2}});
        Tensor manual = last.forward(first.forward(x).relu());
        assertArrayEquals(manual.toFloatArray(), s.forward(x).toFloatArray(), 0);
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=2, out_features=4, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=4, out_features=1, bias=True)\n"
                + ")", s.toString());
        s.add(new Sigmoid());
        assertEquals(4, s.size());
        assertEquals("Sequential()", new Sequential().toString());
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("0.01", PythonRepr.of(0.01));
        assertEquals("0.0001", PythonRepr.of(1e-4));
        assertEquals("1e-05", PythonRepr.of(1e-5));
        assertEquals("-2.5e-07", PythonRepr.of(-2.5e-7));
        assertEquals("123.0", PythonRepr.of(123));
        assertEquals("1e+16", PythonRepr.of(1e16));
        assertEquals("1234567890123456.0", PythonRepr.of(1234567890123456.0));
        assertEquals("0.1", PythonRepr.of(0.1));
        assertEquals("-0.0", PythonRepr.of(-0.0));
    }
}
