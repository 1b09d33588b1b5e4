package io.flambeau.testutil;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;

/**
 * The course's §5.6 data as the benchmarks and the step-count tests use it: 100 points in each of
 * 3 spiral arms, from {@code java.util.Random(0)}, so every run and every device sees the same
 * points.
 *
 * @param points  (300, 2) float32
 * @param classes (300) int64, the arm of each point
 */
public record SpiralPoints(Tensor points, Tensor classes) {
    public static final int PER_CLASS = 100, CLASSES = 3;

    /** The points and their classes on {@code device}. */
    public static SpiralPoints on(Device device) {
        float[] xy = new float[PER_CLASS * CLASSES * 2];
        long[] c = new long[PER_CLASS * CLASSES];
        java.util.Random rnd = new java.util.Random(0);
        for (int j = 0; j < CLASSES; j++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double r = (double) i / PER_CLASS;
                double t = j * 4 + 4 * r + rnd.nextGaussian() * 0.2;
                int n = j * PER_CLASS + i;
                xy[2 * n] = (float) (r * Math.sin(t));
                xy[2 * n + 1] = (float) (r * Math.cos(t));
                c[n] = j;
            }
        }
        return new SpiralPoints(Torch.tensor(xy).reshape(PER_CLASS * CLASSES, 2).to(device), Torch.tensor(c).to(device));
    }
}
