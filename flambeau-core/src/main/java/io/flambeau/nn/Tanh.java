package io.flambeau.nn;

import io.flambeau.Tensor;

/** Hyperbolic tangent elementwise, as a module. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.tanh(input(x)); }
}
