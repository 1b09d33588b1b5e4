package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's fused {@code matmulBiasRelu} (bias and ReLU applied as the product is stored)
 * gives exactly the bits of the unfused composition {@code relu(addmm(bias, x, w))}: on the
 * course's shapes (each kernel form: short k, narrow n, packed), on random shapes and layouts,
 * and with NaN, -0.0 and infinities in the inputs (RELU keeps NaN and -0.0, as PyTorch does).
 */
class FusedLinearReluTest {

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", relu(addmm) gives " + e[i]);
            }
        }
    }

    private static Tensor randn(Random r, long rows, long cols) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Torch.tensor(v).reshape(rows, cols);
    }

    /** A linear layer's form: x (m, k), weight (n, k) read transposed, bias (n). */
    private static void checkLinear(String what, Tensor x, Tensor weight, Tensor bias) {
        Tensor fused = bias.addmmRelu(x, weight.t());
        Tensor composed = bias.addmm(x, weight.t()).relu();
        assertSameBits(what, composed, fused);
    }

    @Test
    void courseShapesGiveTheUnfusedBits() {
        Random r = new Random(12);
        long[][] shapes = { // m, k, n: the spiral's layers at h = 100 and 1000, the grid, a packed hidden layer
            {300, 2, 100}, {300, 2, 1000}, {300, 100, 3}, {300, 1000, 3}, {40000, 2, 1000}, {300, 100, 100},
            {300, 1000, 1000}, {4, 2, 1000}, {1, 2, 100}};
        for (long[] s : shapes) {
            String what = "m=" + s[0] + " k=" + s[1] + " n=" + s[2];
            checkLinear(what, randn(r, s[0], s[1]), randn(r, s[2], s[1]), randn(r, 1, s[2]).reshape(s[2]));
        }
    }

    @Test
    void randomShapesAndLayoutsGiveTheUnfusedBits() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + r.nextInt(trial % 3 == 0 ? 300 : 40), k = 1 + r.nextInt(trial % 2 == 0 ? 9 : 70);
            int n = 1 + r.nextInt(trial % 4 == 0 ? 5 : 90);
            String what = "trial " + trial + " m=" + m + " k=" + k + " n=" + n;
            Tensor x = randn(r, m, k), bias = randn(r, 1, n).reshape(n);
            // weight (n, k) read transposed (a Linear), or a dense (k, n) mat2
            if (r.nextBoolean()) checkLinear(what, x, randn(r, n, k), bias);
            else {
                Tensor w = randn(r, k, n);
                assertSameBits(what + " dense mat2", bias.addmm(x, w).relu(), bias.addmmRelu(x, w));
            }
            // a transposed x, and a full (m, n) bias, which no fused form takes
            Tensor xt = randn(r, k, m).t();
            assertSameBits(what + " transposed x", bias.addmm(xt, randn(new Random(trial), n, k).t()).relu(),
                    bias.addmmRelu(xt, randn(new Random(trial), n, k).t()));
            Tensor full = randn(r, m, n);
            Tensor w = randn(r, k, n);
            assertSameBits(what + " full bias", full.addmm(x, w).relu(), full.addmmRelu(x, w));
        }
    }

    @Test
    void nanNegativeZeroAndInfinitiesPassAsRelu() {
        Random r = new Random(3);
        float[] specials = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f};
        long[][] shapes = {{300, 2, 1000}, {300, 1000, 3}, {300, 100, 100}, {9, 3, 20}, {40, 17, 2}};
        for (long[] s : shapes) {
            int m = (int) s[0], k = (int) s[1], n = (int) s[2];
            float[] xv = randn(r, m, k).toFloatArray(), bv = new float[n];
            for (int i = 0; i < xv.length; i += 7) xv[i] = specials[(i / 7) % specials.length];
            for (int j = 0; j < n; j++) bv[j] = specials[j % specials.length]; // -0.0 bias + 0 product stays -0.0
            Tensor x = Torch.tensor(xv).reshape(m, k), bias = Torch.tensor(bv);
            checkLinear("specials m=" + m + " k=" + k + " n=" + n, x, randn(r, n, k), bias);
            // a zero input row times any weight is ±0; with a -0.0 bias relu must keep -0.0
            checkLinear("zeros m=" + m, Torch.zeros(m, k), randn(r, n, k), bias);
            checkLinear("negative zeros m=" + m, Torch.zeros(m, k).neg(), randn(r, n, k).abs(), bias);
        }
        // -0.0 bias + (-0.0 · 1) sums to -0.0 on the short-k form; relu keeps it, as the unary RELU does
        float[] negZero = new float[16];
        java.util.Arrays.fill(negZero, -0.0f);
        float[] out = Torch.tensor(negZero).addmmRelu(Torch.zeros(200, 2).neg(), Torch.ones(2, 16)).toFloatArray();
        float[] relu = Torch.tensor(negZero).relu().toFloatArray();
        assertEquals(Float.floatToRawIntBits(relu[0]), Float.floatToRawIntBits(out[0]), "relu(-0.0) as the unary RELU");
        float[] nan = Torch.tensor(new float[] {Float.NaN}).addmmRelu(Torch.ones(1, 1), Torch.ones(1, 1)).toFloatArray();
        assertEquals(Float.NaN, nan[0], "relu(NaN) is NaN, as torch");
    }

    /**
     * The gradients of the fused node (ReluBackward0 over the fused product) are the bits of Linear
     * then ReLU recorded as two nodes, NaN and zero results included.
     */
    @Test
    void gradientsGiveTheUnfusedBits() {
        Random r = new Random(11);
        long[][] shapes = {{300, 2, 100}, {300, 2, 1000}, {300, 100, 3}, {300, 100, 100}, {33, 5, 17}, {1, 3, 1}, {70, 1, 129}};
        for (long[] s : shapes) {
            int m = (int) s[0], k = (int) s[1], n = (int) s[2];
            float[] xv = randn(r, m, k).toFloatArray();
            for (int i = 0; i < xv.length; i += 13) xv[i] = i % 2 == 0 ? Float.NaN : 0f;
            Tensor x = Torch.tensor(xv).reshape(m, k), w0 = randn(r, n, k), b0 = randn(r, 1, n).reshape(n);
            float[] upv = randn(r, m, n).toFloatArray();
            for (int i = 0; i < upv.length; i += 11) upv[i] = Float.NaN;
            Tensor up = Torch.tensor(upv).reshape(m, n);
            Tensor[] fused = grads(x, w0, b0, up, true), composed = grads(x, w0, b0, up, false);
            String what = "m=" + m + " k=" + k + " n=" + n;
            assertSameBits(what + " bias grad", composed[0], fused[0]);
            assertSameBits(what + " weight grad", composed[1], fused[1]);
            assertSameBits(what + " input grad", composed[2], fused[2]);
        }
    }

    /**
     * A first layer (the data needs no gradient), where the backward is one fused pass: the bias
     * and weight gradients are the bits of Linear then ReLU as two nodes, for a bias of (n) and of
     * (1, n), and with the bias frozen.
     */
    @Test
    void firstLayerGradientsGiveTheUnfusedBits() {
        Random r = new Random(17);
        long[][] shapes = {{300, 2, 100}, {300, 2, 1000}, {300, 4, 16}, {33, 3, 17}, {70, 1, 129}, {20, 2, 7}};
        for (long[] s : shapes) {
            int m = (int) s[0], k = (int) s[1], n = (int) s[2];
            Tensor x = randn(r, m, k), w0 = randn(r, n, k);
            float[] upv = randn(r, m, n).toFloatArray();
            for (int i = 0; i < upv.length; i += 11) upv[i] = Float.NaN;
            Tensor up = Torch.tensor(upv).reshape(m, n);
            for (Tensor b0 : new Tensor[] {randn(r, 1, n).reshape(n), randn(r, 1, n)}) {
                String what = "m=" + m + " k=" + k + " n=" + n + " bias " + b0.shape();
                for (boolean frozenBias : new boolean[] {false, true}) {
                    Tensor[] fused = firstLayerGrads(x, w0, b0, up, true, frozenBias);
                    Tensor[] composed = firstLayerGrads(x, w0, b0, up, false, frozenBias);
                    if (frozenBias) assertEquals(null, fused[0], what + ": a frozen bias gets no gradient");
                    else assertSameBits(what + " bias grad", composed[0], fused[0]);
                    assertSameBits(what + " weight grad", composed[1], fused[1]);
                }
            }
        }
    }

    /** {bias.grad, weight.grad} of sum(up * relu(x·wᵀ + b)) for an x without gradient, fused or as two nodes. */
    private static Tensor[] firstLayerGrads(Tensor x, Tensor w0, Tensor b0, Tensor up, boolean fused, boolean frozenBias) {
        Tensor w = w0.detach().requiresGrad_(), b = frozenBias ? b0.detach() : b0.detach().requiresGrad_();
        Tensor y = fused ? b.addmmRelu(x, w.t()) : b.addmm(x, w.t()).relu();
        y.backward(up);
        return new Tensor[] {b.grad(), w.grad()};
    }

    /** {bias.grad, weight.grad, x.grad} of sum(up * relu(x·wᵀ + b)), fused or as two nodes. */
    private static Tensor[] grads(Tensor x0, Tensor w0, Tensor b0, Tensor up, boolean fused) {
        Tensor x = x0.detach().requiresGrad_(), w = w0.detach().requiresGrad_(), b = b0.detach().requiresGrad_();
        Tensor y = fused ? b.addmmRelu(x, w.t()) : b.addmm(x, w.t()).relu();
        y.backward(up);
        return new Tensor[] {b.grad(), w.grad(), x.grad()};
    }
}
