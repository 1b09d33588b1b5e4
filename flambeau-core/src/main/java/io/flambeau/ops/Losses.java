package io.flambeau.ops;

import io.flambeau.backend.DeviceLosses;
import io.flambeau.core.DType;

/**
 * The fused loss kernels of a backend that has them ({@code DeviceLosses}), on raw tensors.
 * {@link #fused} says whether a call can take this route; otherwise the losses are composed from
 * ordinary ops by the caller.
 */
public final class Losses {
    private Losses() {}

    /** The fused kernels give a row to one thread: beyond this many classes the composed form is faster. */
    public static final long MAX_FUSED_CLASSES = 1024;

    /** Whether a loss of these (N, C) float scores and (N) int64 targets runs fused. */
    public static boolean fused(RawTensor scores, RawTensor targets) {
        return scores.backend() instanceof DeviceLosses && targets.device().equals(scores.device())
                && scores.dim() == 2 && targets.dim() == 1 && targets.dtype() == DType.INT64
                && scores.shape[1] <= MAX_FUSED_CLASSES
                && (scores.dtype() == DType.FLOAT32 || scores.dtype() == DType.FLOAT64);
    }

    /**
     * {@code -log_softmax(s[i])[t_i] / N} ({@code summed}: without the division), 0 where the target
     * is {@code ignoreIndex}, (N): cross-entropy's terms.
     */
    public static RawTensor crossEntropyTerms(RawTensor scores, RawTensor targets, long ignoreIndex, boolean summed) {
        RawTensor out = RawTensor.empty(new long[] {scores.shape[0]}, scores.dtype(), scores.device());
        ((DeviceLosses) scores.backend()).crossEntropyTerms(scores.view(), targets.view(), ignoreIndex, summed, out.view());
        return out;
    }

    /** The gradient of {@link #crossEntropyTerms} with respect to the scores, for upstream {@code grad} (N). */
    public static RawTensor crossEntropyTermsBackward(RawTensor scores, RawTensor targets, long ignoreIndex,
                                                      boolean summed, RawTensor grad) {
        RawTensor out = RawTensor.empty(scores.shape.clone(), scores.dtype(), scores.device());
        RawTensor g = Elementwise.cast(grad, scores.dtype());
        ((DeviceLosses) scores.backend()).crossEntropyTermsBackward(scores.view(), targets.view(), ignoreIndex, summed,
                Elementwise.bview(g, new long[] {scores.shape[0]}), out.view());
        return out;
    }

    /** {@code max(0, s[i, j] - (s[i, t_i] - delta))}, (N, C). */
    public static RawTensor marginHingeTerms(RawTensor scores, RawTensor targets, double delta) {
        RawTensor out = RawTensor.empty(scores.shape.clone(), scores.dtype(), scores.device());
        ((DeviceLosses) scores.backend()).marginHingeTerms(scores.view(), targets.view(), delta, out.view());
        return out;
    }

    /** The gradient of {@link #marginHingeTerms} with respect to the scores, for upstream {@code grad}. */
    public static RawTensor marginHingeTermsBackward(RawTensor scores, RawTensor targets, double delta, RawTensor grad) {
        RawTensor out = RawTensor.empty(scores.shape.clone(), scores.dtype(), scores.device());
        RawTensor g = Elementwise.cast(grad, scores.dtype());
        ((DeviceLosses) scores.backend()).marginHingeTermsBackward(scores.view(), targets.view(), delta,
                Elementwise.bview(g, scores.shape), out.view());
        return out;
    }
}
