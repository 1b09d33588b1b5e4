package io.flambeau.nn;

import io.flambeau.Tensor;

/**
 * {@code max(0, x)} elementwise, as a module.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(2, 100), new ReLU(), new Linear(100, 3));
 * }</pre>
 */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return F.relu(input(x)); }
}
