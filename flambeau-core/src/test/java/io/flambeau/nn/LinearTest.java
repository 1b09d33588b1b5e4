package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Linear}: PyTorch's shapes, initialisation range, and y = x·Wᵀ + b. */
class LinearTest {

    @Test
    void shapesFollowPyTorch() {
        Linear l = new Linear(4, 3);
        assertArrayEquals(new long[] {3, 4}, l.weight().shape().toArray());
        assertArrayEquals(new long[] {3}, l.bias().shape().toArray());
        assertEquals(DType.FLOAT32, l.weight().dtype());
        assertEquals(Torch.defaultDevice(), l.weight().device());
        assertTrue(l.weight().requiresGrad() && l.bias().requiresGrad());
        assertArrayEquals(new long[] {5, 3}, l.forward(Torch.zeros(5, 4)).shape().toArray());
        // any leading dimensions (course §3.6)
        assertArrayEquals(new long[] {2, 7, 3}, l.forward(Torch.zeros(2, 7, 4)).shape().toArray());
        assertArrayEquals(new long[] {3}, l.forward(Torch.zeros(4)).shape().toArray());
        Linear noBias = new Linear(4, 3, false);
        assertNull(noBias.bias());
        assertEquals(1, noBias.parameters().size());
    }

    @Test
    void initialisationIsUniformWithinOneOverSqrtIn() {
        Torch.manualSeed(0);
        Linear l = new Linear(16, 64);
        double bound = 1.0 / Math.sqrt(16);
        float[] w = l.weight().tensor().toFloatArray();
        float[] b = l.bias().tensor().toFloatArray();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, sum = 0;
        for (float v : w) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
        for (float v : b) assertTrue(Math.abs(v) <= bound, "bias " + v);
        assertTrue(min >= -bound && max <= bound, "range [" + min + ", " + max + "]");
        // 1024 draws: the extremes come close to the bounds and the mean close to 0
        assertTrue(min < -0.9 * bound && max > 0.9 * bound, "range [" + min + ", " + max + "]");
        assertEquals(0, sum / w.length, 0.05);
        float[] wb = l.weight().tensor().toFloatArray();
        assertNotEquals(wb[0], wb[1]);
    }

    @Test
    void initialisationIsRepeatableWithTheSeed() {
        Torch.manualSeed(42);
        float[] a = new Linear(3, 2).weight().tensor().toFloatArray();
        Torch.manualSeed(42);
        float[] b = new Linear(3, 2).weight().tensor().toFloatArray();
        assertArrayEquals(a, b);
    }

    @Test
    void forwardMatchesManualComputationAndBackpropagates() {
        Linear l = new Linear(3, 2);
        float[][] x = {{1, 2, 3}, {-1, 0.5f, 2}};
        float[] w = l.weight().tensor().toFloatArray();
        float[] b = l.bias().tensor().toFloatArray();
        Tensor y = l.forward(Torch.tensor(x));
        assertTrue(y.requiresGrad());
        float[] got = y.toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 2; o++) {
                double expected = b[o];
                for (int i = 0; i < 3; i++) expected += x[n][i] * w[o * 3 + i];
                assertEquals(expected, got[n * 2 + o], 1e-5);
            }
        }
        y.sum().backward();
        // d(sum y)/dW[o][i] = sum over samples of x[n][i]; d/db[o] = number of samples
        assertArrayEquals(new float[] {0, 2.5f, 5, 0, 2.5f, 5}, l.weight().grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2, 2}, l.bias().grad().toFloatArray(), 0);
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("Linear(in_features=2, out_features=3, bias=True)", new Linear(2, 3).toString());
        assertEquals("Linear(in_features=2, out_features=3, bias=False)", new Linear(2, 3, false).toString());
    }
}
