package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.nn.Module;

/** The course's spiral network, data and hinge loss, for tests outside the demo package (distributed training). */
public final class SpiralAccess {
    private SpiralAccess() {}

    /** Linear(2, hidden) + ReLU -> Linear(hidden, 3), initialised from the default generator. */
    public static Module net(int hidden) { return new SpiralNet(hidden, SpiralData.CATEGORIES); }

    /** The 300 points of the course (100 per arm) and their categories: {xy (300, 2), categories (300)}. */
    public static Tensor[] data() {
        LabelledPoints p = SpiralData.make(SpiralData.DEFAULT_PER_CATEGORY);
        return new Tensor[] {p.xy(), p.categories()};
    }

    /** The course's hinge loss with margin delta (a sum over points). */
    public static Tensor hingeLoss(Tensor scores, Tensor categories, Tensor rows, double delta) {
        return SpiralDemo.hingeLoss(scores, categories, rows, delta);
    }
}
