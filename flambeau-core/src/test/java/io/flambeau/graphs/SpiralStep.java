package io.flambeau.graphs;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;

/**
 * The course's spiral training step (3 arms of 100 points, Linear(2, h) + ReLU → Linear(h, 3),
 * hinge loss with margin δ = 1, Adam) on one device, for the CUDA graph tests. Each point's score
 * for its own category, {@code S[I, C]}, is taken with a one-hot mask ({@code (S · onehot).sum(1)},
 * the same values and gradients), so that the step needs nothing from the host.
 */
public final class SpiralStep {
    static final int PER_ARM = 100, ARMS = 3;
    final Tensor xy;
    final Tensor onehot;
    final Sequential model;
    final Adam optimizer;

    public SpiralStep(Device device, int hidden, long seed) {
        int n = PER_ARM * ARMS;
        float[] points = new float[2 * n], mask = new float[ARMS * n];
        for (int c = 0; c < ARMS; c++) {
            for (int i = 0; i < PER_ARM; i++) {
                int k = c * PER_ARM + i;
                double r = (i + 1) / (double) PER_ARM;
                double t = 4.0 * c + 4.0 * r + 0.2 * Math.sin(7.0 * k);
                points[2 * k] = (float) (r * Math.sin(t));
                points[2 * k + 1] = (float) (r * Math.cos(t));
                mask[ARMS * k + c] = 1;
            }
        }
        xy = Torch.tensor(points, DType.FLOAT32, Device.CPU).reshape(n, 2).to(device);
        onehot = Torch.tensor(mask, DType.FLOAT32, Device.CPU).reshape(n, ARMS).to(device);
        Torch.manualSeed(seed);
        Sequential net = new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, ARMS));
        net.to(device);
        model = net;
        optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
    }

    /** One training step; returns the loss before the update (not read: a graph may capture this). */
    public Tensor step() {
        optimizer.zeroGrad();
        Tensor scores = model.forward(xy);
        Tensor correct = scores.mul(onehot).sum(1, true);
        Tensor loss = scores.sub(correct.sub(1.0)).clampMin(0).sum().sub(1.0 * xy.shape().get(0));
        loss.backward();
        optimizer.step();
        return loss;
    }

    /** Every parameter's values, concatenated. */
    public double[] parameters() {
        return model.parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.tensor().toDoubleArray())).toArray();
    }
}
