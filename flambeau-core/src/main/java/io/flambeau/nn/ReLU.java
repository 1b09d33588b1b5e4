package io.flambeau.nn;

import io.flambeau.Tensor;

/** {@code max(0, x)} elementwise, as a module. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.relu(input(x)); }
}
