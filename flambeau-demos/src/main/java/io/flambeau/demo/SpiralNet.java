package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Module;

/**
 * The two-layer network of course 5.6 in the course's standard form (5.4): a Module subclass
 * whose layers are fields (found as members, so {@code parameters()} hands them to the optimizer)
 * and whose forward pass reads like the course's: layer 1, ReLU, layer 2 giving one score per
 * category. Works on any leading dimensions: (n, 2) points or the (200, 200, 2) grid.
 */
final class SpiralNet extends Module {
    final Linear layer1;
    final Linear layer2;

    SpiralNet(int hidden, int categories) {
        layer1 = new Linear(2, hidden);
        layer2 = new Linear(hidden, categories);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = layer1.forward(x);
        x = F.relu(x);
        return layer2.forward(x);
    }
}
