package io.flambeau.autograd;

import io.flambeau.ops.Losses;
import io.flambeau.ops.RawTensor;

/** Differentiable fused losses: one kernel forward, one backward (see {@code ops.Losses}). */
public final class LossFunctions {
    private LossFunctions() {}

    /** The margin hinge's (N, C) terms; the targets get no gradient. */
    public static Variable marginHingeTerms(Variable scores, RawTensor targets, double delta) {
        RawTensor out = Losses.marginHingeTerms(scores.data, targets, delta);
        if (!Graph.needsGrad(scores)) return new Variable(out);
        String node = "MarginHingeBackward0";
        SavedTensor s = new SavedTensor(scores.data), t = new SavedTensor(targets);
        return Graph.record(node, out,
                g -> new RawTensor[] {Losses.marginHingeTermsBackward(s.get(node), t.get(node), delta, g)}, scores);
    }

    /**
     * Cross-entropy's (N) terms, {@code -log_softmax(s[i])[t_i] / N} ({@code summed}: not divided),
     * 0 where the target is {@code ignoreIndex}; the targets get no gradient.
     */
    public static Variable crossEntropyTerms(Variable scores, RawTensor targets, long ignoreIndex, boolean summed) {
        RawTensor out = Losses.crossEntropyTerms(scores.data, targets, ignoreIndex, summed);
        if (!Graph.needsGrad(scores)) return new Variable(out);
        String node = "CrossEntropyBackward0";
        SavedTensor s = new SavedTensor(scores.data), t = new SavedTensor(targets);
        return Graph.record(node, out,
                g -> new RawTensor[] {Losses.crossEntropyTermsBackward(s.get(node), t.get(node), ignoreIndex, summed, g)},
                scores);
    }
}
