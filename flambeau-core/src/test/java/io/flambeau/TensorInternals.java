package io.flambeau;

import io.flambeau.autograd.Variable;

/**
 * The autograd variable behind a tensor, for the ownership tests that follow storages and graphs
 * ({@link Tensor}'s accessor is package-private: nothing outside the library's top package needs it).
 */
public final class TensorInternals {
    private TensorInternals() {}

    public static Variable variable(Tensor t) { return t.variable(); }
}
