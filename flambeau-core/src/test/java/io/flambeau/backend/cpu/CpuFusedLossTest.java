package io.flambeau.backend.cpu;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.ClassTargetMessage;
import io.flambeau.core.DType;
import io.flambeau.core.IndexException;
import io.flambeau.nn.F;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU's fused classification losses ({@link CpuLosses}, the route {@code nn.F} takes on the
 * CPU) against the composed form, written out here from indexing and elementwise ops: values and
 * gradients in both precisions, strided scores, ties, NaN, ignored targets and bad targets.
 */
class CpuFusedLossTest {

    private record Result(double loss, double[] grad, String node) {}

    private static Result run(Tensor scores0, DType t, boolean transposed, BiFunction<Tensor, Tensor, Tensor> loss,
                              long[] cats, double upstream) {
        Tensor leaf = transposed ? scores0.to(t).t().contiguous().detach().requiresGrad_()
                : scores0.to(t).clone().detach().requiresGrad_();
        Tensor s = transposed ? leaf.t() : leaf; // (N, C) with strides (1, N): not dense
        Tensor out = loss.apply(s, Torch.tensor(cats));
        out.mul(upstream).backward();
        double[] g = transposed ? leaf.grad().t().contiguous().toDoubleArray() : leaf.grad().toDoubleArray();
        return new Result(out.item(), g, out.gradFn());
    }

    /** PyTorch's {@code (s - (s[arange, t] - delta).unsqueeze(1)).clamp_min(0).sum()}. */
    private static Tensor composedHinge(Tensor s, Tensor cats, double delta) {
        Tensor correct = s.get(Torch.arange(0L, s.shape().get(0), 1L, s.device()), cats).unsqueeze(1);
        return s.sub(correct.sub(delta)).clampMin(0).sum();
    }

    /** {@code -mean(log_softmax(s)[arange, t])} over the rows whose target is not {@code ignore}. */
    private static Tensor composedCrossEntropy(Tensor s, Tensor cats, long ignore) {
        long[] c = cats.toLongArray();
        long kept = 0;
        double[] w = new double[c.length];
        long[] picked = new long[c.length];
        for (int i = 0; i < c.length; i++) {
            boolean keep = c[i] != ignore;
            w[i] = keep ? 1 : 0;
            picked[i] = keep ? c[i] : 0;
            if (keep) kept++;
        }
        Tensor logp = F.logSoftmax(s, 1).get(Torch.arange(0L, c.length, 1L, s.device()), Torch.tensor(picked));
        return logp.mul(Torch.tensor(w).to(s.dtype())).sum().div((double) kept).neg();
    }

    private static void assertSame(Result fused, Result composed, DType t, String what) {
        double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
        assertEquals(composed.loss, fused.loss, tol * Math.max(1, Math.abs(composed.loss)), what);
        assertArrayEquals(composed.grad, fused.grad, tol, what + " gradient");
    }

    @Test
    void marginHingeMatchesTheComposedFormInBothPrecisionsAndStrides() {
        Torch.manualSeed(11);
        Tensor scores = Torch.randn(9, 4);
        scores.set(new Object[] {2, 1}, 0.25); // ties with the correct score
        scores.set(new Object[] {2, 3}, 0.25);
        scores.set(new Object[] {5, 0}, -0.75); // an argument of exactly 0 at delta 1: the gradient passes
        scores.set(new Object[] {5, 2}, 0.25);
        long[] cats = {0, 3, 1, 2, 3, 2, 0, 1, 1};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double delta : new double[] {0, 1, 0.3}) {
                for (boolean transposed : new boolean[] {false, true}) {
                    String what = t + " δ=" + delta + (transposed ? " transposed" : "");
                    Result fused = run(scores, t, transposed, (s, c) -> F.marginHinge(s, c, delta), cats, 1.5);
                    Result composed = run(scores, t, transposed, (s, c) -> composedHinge(s, c, delta), cats, 1.5);
                    assertSame(fused, composed, t, what);
                }
            }
        }
    }

    @Test
    void crossEntropyMatchesTheComposedFormWithAndWithoutIgnoredTargets() {
        Torch.manualSeed(12);
        Tensor scores = Torch.randn(8, 5).mul(4);
        long[][] targetSets = {{0, 4, 1, 2, 4, 3, 0, 2}, {0, -100, 3, 1, -100, 2, 4, 4}};
        for (long[] cats : targetSets) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (boolean transposed : new boolean[] {false, true}) {
                    String what = t + (transposed ? " transposed " : " ") + java.util.Arrays.toString(cats);
                    Result fused = run(scores, t, transposed, F::crossEntropy, cats, 0.7);
                    Result composed = run(scores, t, transposed, (s, c) -> composedCrossEntropy(s, c, -100), cats, 0.7);
                    assertSame(fused, composed, t, what);
                }
            }
        }
        // an ignore index inside [0, C): rows of that class are left out
        long[] cats = {0, 4, 1, 2, 4, 3, 0, 2};
        Result fused = run(scores, DType.FLOAT64, false, (s, c) -> F.crossEntropy(s, c, 2), cats, 1);
        Result composed = run(scores, DType.FLOAT64, false, (s, c) -> composedCrossEntropy(s, c, 2), cats, 1);
        assertSame(fused, composed, DType.FLOAT64, "ignore 2");
        assertTrue(Double.isNaN(F.crossEntropy(Torch.randn(2, 3), Torch.tensor(new long[] {-100, -100})).item()),
                "PyTorch: nan when every target is ignored");
    }

    @Test
    void theCpuTakesTheFusedRoute() {
        Tensor s = Torch.randn(5, 3);
        Tensor c = Torch.tensor(new long[] {0, 1, 2, 1, 0});
        assertTrue(io.flambeau.FusedLosses.available(s, c), "float scores with int64 targets on the CPU");
        assertTrue(io.flambeau.FusedLosses.available(s.to(DType.FLOAT64), c));
        assertEquals(false, io.flambeau.FusedLosses.available(s, c.to(DType.FLOAT32)), "float targets: composed");
    }

    @Test
    void nanScoresGiveTheComposedFormsNanAndGradient() {
        Tensor scores = Torch.tensor(new float[] {0.5f, Float.NaN, -1f, 2f, 0.25f, 1f}).reshape(2, 3);
        long[] cats = {0, 2};
        Result fused = run(scores, DType.FLOAT32, false, (s, c) -> F.marginHinge(s, c, 1.0), cats, 1);
        Result composed = run(scores, DType.FLOAT32, false, (s, c) -> composedHinge(s, c, 1.0), cats, 1);
        assertTrue(Double.isNaN(fused.loss) && Double.isNaN(composed.loss), fused.loss + " " + composed.loss);
        assertArrayEquals(composed.grad, fused.grad, 1e-6, "gradient beside a NaN");
        Result ce = run(scores, DType.FLOAT32, false, F::crossEntropy, cats, 1);
        assertTrue(Double.isNaN(ce.loss), "cross entropy of a row with a NaN");
    }

    @Test
    void aBadTargetIsTheIndexErrorNamingTheLossTheValueAndTheRow() {
        Tensor s = Torch.randn(4, 3);
        for (long bad : new long[] {3, -1}) {
            Tensor targets = Torch.tensor(new long[] {0, bad, 1, 2});
            IndexException hinge = assertThrows(IndexException.class, () -> F.marginHinge(s, targets, 1.0));
            assertEquals(ClassTargetMessage.outOfBounds("margin_hinge", bad, 1, 3, ClassTargetMessage.NO_IGNORE),
                    hinge.getMessage());
            IndexException ce = assertThrows(IndexException.class, () -> F.crossEntropy(s, targets));
            assertEquals(ClassTargetMessage.outOfBounds("cross_entropy", bad, 1, 3, -100), ce.getMessage());
        }
    }
}
