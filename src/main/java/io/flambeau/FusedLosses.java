package io.flambeau;

import io.flambeau.autograd.LossFunctions;
import io.flambeau.ops.Losses;
import io.flambeau.ops.RawTensor;

/**
 * The classification losses behind {@code nn.F}, run as fused kernels on a device that has them
 * (CUDA: one kernel for the terms and one sum forward, one kernel backward, the targets checked
 * inside the kernel) and composed from indexing and elementwise ops elsewhere. Both forms compute
 * the same values in the same order and have the same gradients.
 */
public final class FusedLosses {
    private FusedLosses() {}

    /**
     * {@code sum over i, j of max(0, S[i, j] - (S[i, C[i]] - delta))} for scores S (N, K) and int64
     * categories C (N): the course's margin hinge, whose j = C[i] terms are delta each.
     */
    public static Tensor marginHinge(Tensor scores, Tensor categories, double delta) {
        RawTensor s = scores.variable().data, c = categories.variable().data;
        if (Losses.fused(s, c)) return new Tensor(LossFunctions.marginHingeTerms(scores.variable(), c, delta)).sum();
        long n = scores.shape().get(0);
        Tensor correct = scores.get(Torch.arange(0L, n, 1L, scores.device()), categories).unsqueeze(1);
        return scores.sub(correct.sub(delta)).clampMin(0).sum();
    }
}
