package io.flambeau.backend;

/**
 * A backend with a fused backward for a network's first layer, {@code out = relu(a·b + bias)}
 * when a's own gradient is not wanted (a is the data): with {@code d = out <= 0 ? 0 : g}
 * (threshold_backward, a NaN output passing g), {@code gbias} (n, or null when not wanted) gets d
 * summed over its rows and {@code gb} (k, n) gets {@code aᵀ·d}, in one pass that never writes d.
 * The CPU has it: there the unfused route writes d out and reads it back twice, and that traffic,
 * not the arithmetic, is the first layer's backward when it has few input features.
 */
public interface FirstLayerGrads {
    /**
     * g and out are (m, n), a is (m, k); gbias and gb are fresh and dense. Returns false, having
     * written nothing, when the backend has no such pass for these views (dtype, layout, k): the
     * caller then runs threshold_backward, the sum and the product, which give the same values.
     */
    boolean reluLinearGrads(View g, View out, View a, View gbias, View gb);
}
