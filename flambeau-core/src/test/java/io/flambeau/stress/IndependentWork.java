package io.flambeau.stress;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.nn.F;

/**
 * One thread's own work for the concurrency tests: a product, reductions and a forward/backward/
 * update of its own two-layer model, all drawn from its own generator, so the same seed gives the
 * same results whichever thread runs it and whatever runs beside it. Each iteration is one
 * {@link Scope} (scopes belong to the thread that opened them) and returns checksums of what it
 * computed.
 */
final class IndependentWork {
    private final Device device;
    private final io.flambeau.ops.Generator gen;
    private final Tensor w1, b1, w2, b2;

    IndependentWork(Device device, long seed) {
        this.device = device;
        this.gen = Torch.generator(seed);
        w1 = Torch.randn(gen, 8, 4).mul(0.5).to(device).requiresGrad_();
        b1 = Torch.zeros(8).to(device).requiresGrad_();
        w2 = Torch.randn(gen, 3, 8).mul(0.5).to(device).requiresGrad_();
        b2 = Torch.zeros(3).to(device).requiresGrad_();
    }

    /** One iteration; the checksums of its product, its reductions, its loss and its gradients. */
    double[] next() {
        try (Scope s = Scope.open()) {
            Tensor a = Torch.randn(gen, 17, 9).to(device), b = Torch.randn(gen, 9, 13).to(device);
            Tensor p = a.matmul(b);
            double product = weighted(p);
            double rowMax = p.sum(1).max().item();
            double colMean = p.mean(0).sum().item();

            Tensor x = Torch.randn(gen, 16, 4).to(device), target = Torch.randn(gen, 16, 3).to(device);
            Tensor out = F.linear(F.relu(F.linear(x, w1, b1)), w2, b2);
            Tensor loss = F.mseLoss(out, target);
            loss.backward();
            double lossValue = loss.item();
            double g1 = weighted(w1.grad()), g2 = weighted(w2.grad()), gb = b1.grad().sum().item();
            try (var ng = Torch.noGrad()) {
                for (Tensor w : new Tensor[] {w1, b1, w2, b2}) {
                    w.sub_(w.grad().mul(0.05));
                    w.grad().zero_();
                }
            }
            return new double[] {product, rowMax, colMean, lossValue, g1, g2, gb};
        }
    }

    /** Σ v_i · (1 + i mod 7): a checksum that also sees elements in the wrong place. */
    private static double weighted(Tensor t) {
        double[] v = t.toDoubleArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * (1 + i % 7);
        return s;
    }
}
