package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The "hélice" of course 5.6: three spiral arms that wind around each other, one category per
 * arm, a classic set that no straight boundary separates. Arm j has points at radius r from 0 to
 * 1 and angle t = 4j + 4r plus Gaussian noise of standard deviation 0.2, at (r·sin t, r·cos t).
 * Made with tensor ops on the default device from the seeded generator, so a seed gives the same
 * points on every device.
 */
final class SpiralData {
    static final int CATEGORIES = 3;
    /** Points per arm in the classic version of the set. */
    static final int DEFAULT_PER_CATEGORY = 100;
    static final double ANGLE_NOISE = 0.2;
    /** All points lie in the unit disc; the figures show a little more around it. */
    static final double EXTENT = 1.1;

    private SpiralData() {}

    static LabelledPoints make(int perCategory) {
        List<Tensor> points = new ArrayList<>();
        List<Tensor> categories = new ArrayList<>();
        for (int j = 0; j < CATEGORIES; j++) {
            Tensor r = Torch.linspace(0, 1, perCategory);
            Tensor t = Torch.linspace(4 * j, 4 * (j + 1), perCategory).add(Torch.randn(perCategory).mul(ANGLE_NOISE));
            points.add(Torch.stack(List.of(r.mul(t.sin()), r.mul(t.cos())), 1)); // (perCategory, 2)
            categories.add(Torch.full(new long[] {perCategory}, j, DType.INT64, Torch.defaultDevice()));
        }
        return LabelledPoints.of(Torch.cat(points), Torch.cat(categories));
    }
}
