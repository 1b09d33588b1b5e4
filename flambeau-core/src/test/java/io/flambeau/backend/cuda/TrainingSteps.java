package io.flambeau.backend.cuda;

import io.flambeau.testutil.SpiralPoints;
import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;
import io.flambeau.optim.Optimizer;
import io.flambeau.optim.SGD;

import java.util.List;

/**
 * The course's training steps whose device work is counted ({@code GpuStepCountsTest},
 * {@code bench/gpu-step-counts}): each step runs in a {@link Scope} and never reads the loss, as a
 * training loop that only looks at the loss now and then.
 */
public final class TrainingSteps {
    /** One model, its data and optimizer on one device. */
    public static final class Step {
        final Sequential model;
        final Tensor points, classes;
        final Optimizer optimizer;
        final double delta;
        /** The loss of the last step, kept out of the step's scope (unread). */
        Tensor loss;

        Step(Sequential model, Tensor points, Tensor classes, Optimizer optimizer, double delta) {
            this.model = model;
            this.points = points;
            this.classes = classes;
            this.optimizer = optimizer;
            this.delta = delta;
        }

        /** zeroGrad, forward, margin hinge, backward, optimizer step; the loss is kept, not read. */
        public void run() {
            run(() -> { }, () -> { }, () -> { });
        }

        /**
         * One step with a mark after each part: zeroGrad, then forward + loss + backward, then the
         * optimizer's step (the counting tests and {@code bench/gpu-step-counts} read the counters there).
         */
        public void run(Runnable afterZeroGrad, Runnable afterBackward, Runnable afterStep) {
            if (loss != null) loss.close();
            try (Scope s = Scope.open()) {
                optimizer.zeroGrad();
                afterZeroGrad.run();
                Tensor l = F.marginHinge(model.forward(points), classes, delta);
                l.backward();
                afterBackward.run();
                optimizer.step();
                afterStep.run();
                loss = s.keep(l.detach());
            }
        }

        /** The last loss (reading it synchronises). */
        public double loss() { return loss.item(); }

        /** Every parameter, flattened, in order (reading them synchronises). */
        public float[] parameters() {
            List<Parameter> ps = model.parameters();
            int n = 0;
            for (Parameter p : ps) n += (int) p.tensor().numel();
            float[] all = new float[n];
            int at = 0;
            for (Parameter p : ps) {
                float[] v = p.tensor().toFloatArray();
                System.arraycopy(v, 0, all, at, v.length);
                at += v.length;
            }
            return all;
        }
    }

    private TrainingSteps() {}

    /** §5.6: 300 spiral points in 3 arms, Linear(2,hidden)+ReLU → Linear(hidden,3), hinge δ = 1, Adam 1e-3. */
    public static Step spiral(Device device, int hidden) {
        Torch.manualSeed(0);
        SpiralPoints data = SpiralPoints.on(device);
        Sequential model = new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, 3));
        model.to(device);
        Tensor points = data.points(), classes = data.classes();
        return new Step(model, points, classes, new Adam(model.parameters(), Adam.options().lr(1e-3)), 1.0);
    }

    /** §5.5: 10 points in 3 categories, Linear(2,3), hinge with margin δ = 1, SGD 0.1. */
    public static Step categories(Device device) {
        Torch.manualSeed(1);
        Tensor points = Torch.rand(10, 2).mul(2).sub(1).to(device);
        Tensor classes = Torch.randint(0, 3, 10).to(device);
        Sequential model = new Sequential(new Linear(2, 3));
        model.to(device);
        return new Step(model, points, classes, new SGD(model.parameters(), 0.1), 1.0);
    }
}
