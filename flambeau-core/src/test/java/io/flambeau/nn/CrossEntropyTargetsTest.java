package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.IndexException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Class targets of the classification losses: out-of-range ones refused as PyTorch does, and
 * {@code ignore_index} as in PyTorch's {@code cross_entropy}. The expected values are PyTorch's
 * formulas evaluated here in double: loss = mean over kept rows of (logsumexp(s_i) − s_i[t_i]),
 * gradient (softmax(s_i) − onehot(t_i)) / kept for kept rows and 0 for ignored rows.
 */
class CrossEntropyTargetsTest {
    private static final double[][] SCORES = {
            {0.5, -1.25, 2.0}, {1.5, 0.25, -0.75}, {-2.0, 0.5, 1.0}, {0.125, 0.0, -0.5}, {3.0, -1.0, 0.5}};

    private static Tensor scores() {
        return Torch.tensor(SCORES).requiresGrad_();
    }

    @Test
    void defaultIgnoreIndexLeavesRowsOutOfTheMeanAndTheirGradientZero() {
        long[] t = {2, -100, 0, -100, 1};
        Tensor s = scores();
        Tensor loss = F.crossEntropy(s, Torch.tensor(t));
        assertEquals(expectedLoss(t, -100), loss.item(), 1e-12);
        loss.backward();
        assertArrayEquals(expectedGrad(t, -100), s.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void chosenIgnoreIndex() {
        long[] t = {1, 1, 2, 0, 1};
        Tensor s = scores();
        Tensor loss = F.crossEntropy(s, Torch.tensor(t), 1);
        assertEquals(expectedLoss(t, 1), loss.item(), 1e-12);
        loss.backward();
        assertArrayEquals(expectedGrad(t, 1), s.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void nothingIgnoredIsThePlainMean() {
        long[] t = {0, 1, 2, 0, 1};
        Tensor s = scores();
        Tensor loss = F.crossEntropy(s, Torch.tensor(t));
        assertEquals(expectedLoss(t, -100), loss.item(), 1e-12);
        loss.backward();
        assertArrayEquals(expectedGrad(t, -100), s.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void everyTargetIgnoredIsNaNAsPyTorch() {
        Tensor loss = F.crossEntropy(scores(), Torch.tensor(new long[] {-100, -100, -100, -100, -100}));
        assertTrue(Double.isNaN(loss.item()), "PyTorch's mean over no targets is nan, got " + loss.item());
    }

    @Test
    void targetsOutOfRangeAreRefusedByEveryClassificationLoss() {
        Tensor s = Torch.tensor(SCORES);
        for (long bad : new long[] {-1, 3, -101, 7}) {
            Tensor t = Torch.tensor(new long[] {0, 1, bad, 2, 0});
            String expected = "Target " + bad + " is out of bounds";
            IndexException e = assertThrows(IndexException.class, () -> F.crossEntropy(s, t).item());
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("cross_entropy")
                    && e.getMessage().contains("[0, 3)"), e.getMessage());
            e = assertThrows(IndexException.class, () -> F.multiMarginLoss(s, t));
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("multi_margin_loss"), e.getMessage());
            // a GPU checks the targets in the loss kernel: the error surfaces at the next synchronisation
            e = assertThrows(IndexException.class, () -> F.marginHinge(s, t, 0.5).item());
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("margin_hinge"), e.getMessage());
        }
        // -100 is only cross_entropy's ignore index: the margin losses have none, as PyTorch's multi_margin_loss
        Tensor ignored = Torch.tensor(new long[] {0, -100, 1, 2, 0});
        assertThrows(IndexException.class, () -> F.multiMarginLoss(s, ignored));
        assertThrows(IndexException.class, () -> F.marginHinge(s, ignored, 0.0).item());
        assertThrows(IndexException.class, () -> F.crossEntropy(s, ignored, 0).item()); // another ignore index: -100 is bad
    }

    @Test
    void floatScoresKeepTheirDtype() {
        Tensor loss = F.crossEntropy(Torch.tensor(SCORES).to(DType.FLOAT32), Torch.tensor(new long[] {2, -100, 0, 1, 1}));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(expectedLoss(new long[] {2, -100, 0, 1, 1}, -100), loss.item(), 1e-6);
    }

    private static double expectedLoss(long[] t, long ignore) {
        double sum = 0;
        int kept = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignore) continue;
            sum += logSumExp(SCORES[i]) - SCORES[i][(int) t[i]];
            kept++;
        }
        return sum / kept;
    }

    private static double[] expectedGrad(long[] t, long ignore) {
        int c = SCORES[0].length, kept = 0;
        for (long v : t) if (v != ignore) kept++;
        double[] g = new double[t.length * c];
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignore) continue;
            double lse = logSumExp(SCORES[i]);
            for (int j = 0; j < c; j++) g[i * c + j] = (Math.exp(SCORES[i][j] - lse) - (j == t[i] ? 1 : 0)) / kept;
        }
        return g;
    }

    private static double logSumExp(double[] row) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : row) m = Math.max(m, v);
        for (double v : row) s += Math.exp(v - m);
        return m + Math.log(s);
    }
}
