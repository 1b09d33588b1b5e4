package io.flambeau.bench;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Sequential;
import io.flambeau.nn.ReLU;
import io.flambeau.optim.Adam;
import io.flambeau.core.Device;
import io.flambeau.testutil.SpiralPoints;

/**
 * The course's §5.6 training step as a benchmark workload: 300 spiral points in 3 classes,
 * Linear(2,h) + ReLU + Linear(h,3), the margin hinge with δ = 1, forward + backward + Adam step;
 * and the evaluation of the decision regions over a 200×200 grid.
 */
final class SpiralWorkload {
    final Tensor points;      // (300, 2)
    final Tensor classes;     // (300) int64
    final Tensor grid;        // (200, 200, 2)
    final Sequential model;
    final Adam optimizer;

    SpiralWorkload(int hidden) {
        Torch.manualSeed(0);
        SpiralPoints data = SpiralPoints.on(Torch.defaultDevice()); // where the model and the grid are made
        points = data.points();
        classes = data.classes();
        Tensor axis = Torch.linspace(-1, 1, 200);
        grid = Torch.stack(java.util.List.of(axis.reshape(1, 200).expand(200, 200), axis.reshape(200, 1).expand(200, 200)), 2);
        model = new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, 3));
        optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
    }

    /** One training step; returns the loss. */
    Tensor step() {
        optimizer.zeroGrad();
        Tensor loss = F.marginHinge(model.forward(points), classes, 1.0);
        loss.backward();
        optimizer.step();
        return loss;
    }

    /** Class index of every grid cell: (200, 200) int64. */
    Tensor gridClasses() {
        try (var g = Torch.noGrad()) {
            return model.forward(grid).argmax(2);
        }
    }
}
