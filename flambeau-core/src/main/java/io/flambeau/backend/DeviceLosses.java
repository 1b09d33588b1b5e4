package io.flambeau.backend;

/**
 * A backend with fused classification losses (CUDA and the CPU): each forward and each backward is
 * one kernel over the rows instead of a chain of elementwise ops, gathers and their gradients.
 * Scores are (N, C) float32 or float64 views of any strides, targets (N) int64 class indices,
 * checked by the kernel against {@code [-C, C)} (a negative index counts from the end, as the
 * composed {@code scores[arange(N), targets]} does); a bad one is an {@code IndexException} of op
 * {@code index}, dim 1, which a device may report at its next synchronisation.
 */
public interface DeviceLosses {
    /**
     * The margin hinge's terms: {@code out[i, j] = max(0, s[i, j] - (s[i, t_i] - delta))}, NaN kept;
     * out is dense (N, C) of the scores' dtype.
     */
    void marginHingeTerms(View scores, View targets, double delta, View out);

    /**
     * The gradient of the terms for upstream {@code grad} (N, C, any strides): {@code m[i, j] grad[i, j]}
     * where {@code m} is 1 when the term's argument is {@code >= 0} (0 for NaN), minus the row's sum of
     * those at column {@code t_i}; out is dense (N, C).
     */
    void marginHingeTermsBackward(View scores, View targets, double delta, View grad, View out);

    /**
     * Cross-entropy's per-row terms: {@code out[i] = -log_softmax(s[i])[t_i] / d}, with {@code d} = N
     * ({@code summed} false: the loss is their sum) or 1 ({@code summed}: the caller divides the sum
     * by the count of kept targets); a row whose target is {@code ignoreIndex} is 0. out is dense (N)
     * of the scores' dtype.
     */
    void crossEntropyTerms(View scores, View targets, long ignoreIndex, boolean summed, View out);

    /**
     * The gradient of {@link #crossEntropyTerms} for upstream {@code grad} (N, any stride):
     * {@code (softmax(s[i])[j] - [j = t_i]) grad[i] / d}, 0 on ignored rows; out is dense (N, C).
     */
    void crossEntropyTermsBackward(View scores, View targets, long ignoreIndex, boolean summed, View grad, View out);
}
