package io.flambeau;

import io.flambeau.autograd.LossFunctions;
import io.flambeau.ops.Losses;

/**
 * The classification losses behind {@code nn.F} as fused kernels, on a device that has them (CUDA,
 * and the CPU, where one pass over the rows replaces a dozen small kernels;
 * forward one kernel for the per-row or per-element terms and one sum, backward one kernel, the
 * targets checked inside the kernel). {@code nn.F}'s margin hinge takes this route when {@link #available} and
 * composes the loss from indexing and elementwise ops otherwise; both give the same values, to
 * rounding, and the same gradients.
 *
 * <pre>{@code
 * Tensor scores = Torch.randn(300, 3).requiresGrad_();
 * Tensor classes = Torch.randint(0, 3, 300);
 * if (FusedLosses.available(scores, classes)) {
 *     Tensor loss = FusedLosses.crossEntropy(scores, classes);
 *     loss.backward();
 * }
 * }</pre>
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
     * {@code [0, C)} (checked in the kernel): one kernel for the terms and one sum forward, one
     * kernel backward.
     */
    public static Tensor crossEntropy(Tensor scores, Tensor targets) {
        return new Tensor(LossFunctions.crossEntropyTerms(scores.variable(), targets.variable().data,
                io.flambeau.core.ClassTargetMessage.NO_IGNORE, false)).sum();
    }

    /**
     * PyTorch's {@code cross_entropy(..., ignore_index)}: the mean over the targets that are not
     * {@code ignoreIndex} (NaN when all are), ignored rows getting a zero gradient. Every other
     * target must be a class (checked in the kernel). The count of kept targets is computed on the
     * device, so nothing waits for the host: the terms' kernel and their sum, the count (a compare,
     * a sum, a cast) and one division forward; the division's and the terms' kernels backward.
     */
    public static Tensor crossEntropy(Tensor scores, Tensor targets, long ignoreIndex) {
        Tensor kept = targets.ne((double) ignoreIndex).sum().to(scores.dtype());
        Tensor total = new Tensor(LossFunctions.crossEntropyTerms(scores.variable(), targets.variable().data,
                ignoreIndex, true)).sum();
        return total.div(kept);
    }
}
