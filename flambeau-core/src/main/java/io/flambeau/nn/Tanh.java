package io.flambeau.nn;

import io.flambeau.Tensor;

/**
 * Hyperbolic tangent elementwise, as a module.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 1));
 * }</pre>
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.tanh(input(x)); }
}
