package io.flambeau.stress;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;

/**
 * A small classifier (2 → 16 → 3, cross-entropy, Adam) trained on a fixed batch: the loop the
 * endurance tests run without any {@code Scope}, so every step leaves its tensors to the garbage
 * collector (and, on the GPU, to the cleaner).
 */
final class TrainingStep {
    private final Sequential model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
    private final Adam optimizer;
    private final Tensor x;
    private final Tensor y;

    TrainingStep(Device device, long seed) {
        model.to(device);
        optimizer = new Adam(model.parameters(), 0.01);
        var g = Torch.generator(seed);
        x = Torch.randn(g, 64, 2).to(device);
        y = Torch.rand(g, 64).mul(3.0).toLong().clampMax(2).to(device);
    }

    /** One step; returns the loss before the update. */
    double run() {
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
