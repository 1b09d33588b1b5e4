package io.flambeau.nn;

import io.flambeau.Tensor;

/** {@code 1 / (1 + exp(−x))} elementwise, as a module. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.sigmoid(input(x)); }
}
