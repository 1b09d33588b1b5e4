package io.flambeau;

import io.flambeau.autograd.LossFunctions;
import io.flambeau.ops.Losses;

/**
 * The classification losses behind {@code nn.F} as fused kernels, on a device that has them (CUDA:
 * forward one kernel for the per-row or per-element terms and one sum, backward one kernel, the
 * targets checked inside the kernel). {@code nn.F}'s margin hinge takes this route when {@link #available} and
 * composes the loss from indexing and elementwise ops otherwise; both give the same values, to
 * rounding, and the same gradients.
 */
public final class FusedLosses {
    private FusedLosses() {}

    /** Whether fused kernels serve (N, C) float scores with (N) int64 targets on the same device. */
    public static boolean available(Tensor scores, Tensor targets) {
        return Losses.fused(scores.variable().data, targets.variable().data);
    }

    /** {@code sum over i, j of max(0, S[i, j] - (S[i, C[i]] - delta))}: the course's margin hinge. */
    public static Tensor marginHinge(Tensor scores, Tensor categories, double delta) {
        return new Tensor(LossFunctions.marginHingeTerms(scores.variable(), categories.variable().data, delta)).sum();
    }

    /**
     * Mean over rows of {@code -log_softmax(scores)[i, targets[i]]}, every target a class in
     * {@code [0, C)} (checked in the kernel). There is no ignore index on this path, so
     * {@code nn.F.crossEntropy}, whose default ignores −100 as PyTorch's, composes the loss instead;
     * call this one for targets known to be classes.
     */
    public static Tensor crossEntropy(Tensor scores, Tensor targets) {
        return new Tensor(LossFunctions.crossEntropyTerms(scores.variable(), targets.variable().data)).sum();
    }
}
