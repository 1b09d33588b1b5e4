package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;

/**
 * Training data of the classification exercises (course 5.5 and 5.6): points of the plane, each
 * with its category 0, 1, 2, ... The tensors live on the default device for training; a host copy
 * of the same values is kept for drawing, read back once rather than at every redraw.
 *
 * @param xy         (n, 2) float32: one point per row
 * @param categories (n) int64: the category of each point, as the loss and {@code S[I, C]} need it
 */
record LabelledPoints(Tensor xy, Tensor categories, double[] x, double[] y, int[] classIds) {

    /** Points already on the device; the host copy is read back here. */
    static LabelledPoints of(Tensor xy, Tensor categories) {
        if (xy.dim() != 2 || xy.size(1) != 2 || categories.dim() != 1 || categories.size(0) != xy.size(0)) {
            throw new IllegalArgumentException("expected points (n, 2) and categories (n), got " + xy.shape()
                    + " and " + categories.shape());
        }
        float[] flat = xy.toFloatArray();
        long[] cats = categories.toLongArray();
        int n = cats.length;
        double[] x = new double[n], y = new double[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = flat[2 * i];
            y[i] = flat[2 * i + 1];
            ids[i] = Math.toIntExact(cats[i]);
        }
        return new LabelledPoints(xy, categories.to(DType.INT64), x, y, ids);
    }

    /** Points given on the host, {@code xy[i] = {x, y}}, moved to the default device. */
    static LabelledPoints of(float[][] xy, long[] categories) {
        return of(Torch.tensor(xy), Torch.tensor(categories));
    }

    int size() {
        return classIds.length;
    }

    /** Fraction of points whose highest score, in {@code scores} of shape (n, C), is their own category's. */
    double accuracy(Tensor scores) {
        return scores.argmax(1).eq(categories).toFloat().mean().item();
    }
}
