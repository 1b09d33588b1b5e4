package io.flambeau.backend.cpu;

import io.flambeau.backend.View;
import io.flambeau.core.ClassTargetMessage;
import io.flambeau.core.DType;
import io.flambeau.core.IndexException;

/**
 * The fused classification losses of {@code backend.DeviceLosses} on the CPU: one pass over the
 * rows of the (N, C) scores for the forward terms and one for their gradient, instead of the
 * composed form's gathers, broadcasts, masks and reductions (a dozen kernels and their
 * bookkeeping for a few hundred elements in a small network's training step).
 *
 * <p>The arithmetic is the composed form's, in the scores' precision (float32 results are
 * rounded after each operation; double then float rounding is exact for one +, -, * or /), so the
 * values are those of the composed form to rounding. A target outside {@code [0, C)} (other than
 * the ignore index) is the {@link IndexException} the composed form's check throws, naming the
 * loss, the value and its row; it is thrown before anything is written.
 */
final class CpuLosses {
    private CpuLosses() {}

    /** {@code out[i, j] = max(0, s[i, j] - (s[i, t_i] - delta))}, NaN kept; out dense (N, C). */
    static void marginHingeTerms(View scores, View targets, double delta, View out) {
        marginHinge(scores, targets, delta, null, out);
    }

    /**
     * {@code out[i, j] = x >= 0 ? g[i, j] : 0} with {@code x} the term's argument, and at column
     * {@code t_i} that value minus the row's sum of them (the gradient through {@code s[i, t_i]}).
     */
    static void marginHingeTermsBackward(View scores, View targets, double delta, View grad, View out) {
        marginHinge(scores, targets, delta, grad, out);
    }

    private static void marginHinge(View scores, View targets, double delta, View grad, View out) {
        Rows s = new Rows(scores);
        long rows = scores.shape()[0], cols = scores.shape()[1];
        Rows t = checkedTargets("margin_hinge", targets, rows, cols, ClassTargetMessage.NO_IGNORE);
        CpuStorage o = (CpuStorage) out.storage();
        long oOff = out.offset();
        boolean single = s.single;
        double d = round(single, delta);
        Rows g = grad == null ? null : new Rows(grad);
        for (long i = 0; i < rows; i++) {
            long target = t.target(i);
            double threshold = round(single, s.get(i, target) - d);
            long orow = oOff + i * cols;
            double sum = 0;
            for (long j = 0; j < cols; j++) {
                double x = round(single, s.get(i, j) - threshold);
                if (g == null) {
                    o.writeD(orow + j, x < 0 ? 0 : x);
                } else {
                    double m = x >= 0 ? g.get(i, j) : 0;
                    o.writeD(orow + j, m);
                    sum = round(single, sum + m);
                }
            }
            if (g != null) {
                long at = orow + target;
                o.writeD(at, round(single, o.readD(at) - sum));
            }
        }
    }

    /**
     * Cross-entropy's per-row terms {@code -log_softmax(s[i])[t_i] / d} ({@code d} = N, or 1 when
     * {@code summed}), 0 on rows whose target is {@code ignoreIndex}; out dense (N).
     */
    static void crossEntropyTerms(View scores, View targets, long ignoreIndex, boolean summed, View out) {
        crossEntropy(scores, targets, ignoreIndex, summed, null, out);
    }

    /** {@code (softmax(s[i])[j] - [j = t_i]) g[i] / d}, 0 on ignored rows; out dense (N, C). */
    static void crossEntropyTermsBackward(View scores, View targets, long ignoreIndex, boolean summed, View grad,
                                          View out) {
        crossEntropy(scores, targets, ignoreIndex, summed, grad, out);
    }

    private static void crossEntropy(View scores, View targets, long ignoreIndex, boolean summed, View grad, View out) {
        Rows s = new Rows(scores);
        long rows = scores.shape()[0], cols = scores.shape()[1];
        Rows t = checkedTargets("cross_entropy", targets, rows, cols, ignoreIndex);
        CpuStorage o = (CpuStorage) out.storage();
        long oOff = out.offset();
        boolean single = s.single;
        double count = summed ? 1 : rows;
        Rows gr = grad == null ? null : new Rows(grad);
        for (long i = 0; i < rows; i++) {
            long target = t.target(i);
            if (target == ignoreIndex) { // the row's term, or its gradient row, is 0
                if (grad == null) o.writeD(oOff + i, 0);
                else for (long j = 0; j < cols; j++) o.writeD(oOff + i * cols + j, 0);
                continue;
            }
            // log_softmax as the composed form computes it: x - max - log(sum(exp(x - max)))
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (long j = 0; j < cols; j++) {
                double x = s.get(i, j);
                if (x != x) nan = true;
                else if (x > max) max = x;
            }
            if (nan) max = Double.NaN;
            double sumExp = 0;
            for (long j = 0; j < cols; j++) sumExp += round(single, Math.exp(round(single, s.get(i, j) - max)));
            double logSum = round(single, Math.log(round(single, sumExp)));
            if (grad == null) {
                double logp = round(single, round(single, s.get(i, target) - max) - logSum);
                o.writeD(oOff + i, round(single, -logp / count));
            } else {
                double g = gr.get1(i);
                double scale = round(single, g / count);
                long orow = oOff + i * cols;
                for (long j = 0; j < cols; j++) {
                    double p = round(single, Math.exp(round(single, round(single, s.get(i, j) - max) - logSum)));
                    double dp = j == target ? round(single, p - 1) : p;
                    o.writeD(orow + j, round(single, dp * scale));
                }
            }
        }
    }

    /** The targets, after a check that each is a class in {@code [0, cols)} or {@code ignoreIndex}. */
    private static Rows checkedTargets(String op, View targets, long rows, long cols, long ignoreIndex) {
        Rows t = new Rows(targets);
        for (long i = 0; i < rows; i++) {
            long v = t.target(i);
            if (v != ignoreIndex && (v < 0 || v >= cols)) {
                throw new IndexException(ClassTargetMessage.outOfBounds(op, v, i, cols, ignoreIndex));
            }
        }
        return t;
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }

    /** Element reads of an (N, C) or (N) view at any strides, either storage form. */
    private static final class Rows {
        final CpuStorage storage;
        final long offset, s0, s1;
        final boolean single;

        Rows(View v) {
            storage = (CpuStorage) v.storage();
            offset = v.offset();
            s0 = v.strides()[0];
            s1 = v.rank() > 1 ? v.strides()[1] : 0;
            single = v.dtype() == DType.FLOAT32;
        }

        double get(long i, long j) {
            return storage.readD(offset + i * s0 + j * s1);
        }

        double get1(long i) {
            return storage.readD(offset + i * s0);
        }

        long target(long i) {
            return storage.readL(offset + i * s0);
        }
    }
}
