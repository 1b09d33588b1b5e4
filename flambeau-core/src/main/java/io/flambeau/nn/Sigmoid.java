package io.flambeau.nn;

import io.flambeau.Tensor;

/**
 * {@code 1 / (1 + exp(−x))} elementwise, as a module.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(2, 1), new Sigmoid());   // a probability per row
 * }</pre>
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.sigmoid(input(x)); }
}
