package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.demo.plot.RegionMap;
import io.flambeau.nn.Module;

import java.util.List;

/**
 * The course's picture of a classifier (5.5, step 1): the square [lo, hi]² cut into size × size
 * cells, the coordinates of every cell centre held in one tensor of shape (size, size, 2), the
 * model's scores over it of shape (size, size, C) in a single batched forward pass, and
 * {@code argmax(2)} giving the predicted category of every cell.
 *
 * <p>Cell [row, col] holds (x of column col, y of row row) with <b>row 0 at the bottom</b>, the
 * orientation {@link RegionMap} expects, so the predicted categories go to it unchanged.
 */
final class DecisionGrid {
    /** The course's 200 × 200 grid. */
    static final int SIZE = 200;

    private final double lo;
    private final double hi;
    private final int size;
    private final Tensor cells;

    DecisionGrid(double lo, double hi, int size) {
        this.lo = lo;
        this.hi = hi;
        this.size = size;
        // linspace over the cell centres: the same values as RegionMap.cellCentres, made on the device
        double half = (hi - lo) / size / 2;
        Tensor axis = Torch.linspace(lo + half, hi - half, size);
        Tensor xs = axis.reshape(1, size).expand(size, size); // x varies along a row
        Tensor ys = axis.reshape(size, 1).expand(size, size); // y varies down the columns, row 0 lowest
        cells = Torch.stack(List.of(xs, ys), 2);
    }

    /** The (size, size, 2) tensor of cell centres. */
    Tensor cells() {
        return cells;
    }

    int size() {
        return size;
    }

    /** The predicted category of every cell, row-major with row 0 at the bottom. */
    int[] predictedClasses(Module model) {
        try (var _ = Torch.noGrad()) {
            Tensor scores = model.forward(cells); // (size, size, C)
            long[] classes = scores.argmax(2).toLongArray();
            int[] out = new int[classes.length];
            for (int i = 0; i < out.length; i++) out[i] = (int) classes[i];
            return out;
        }
    }

    /** The regions the model predicts, with the training points over them. */
    RegionMap regions(Module model, LabelledPoints data, String title) {
        String[] names = new String[1 + max(data.classIds())];
        for (int i = 0; i < names.length; i++) names[i] = "category " + i;
        return new RegionMap(lo, hi, lo, hi)
                .classes(predictedClasses(model), size, size)
                .points(data.x(), data.y(), data.classIds())
                .classNames(names)
                .xLabel("x")
                .yLabel("y")
                .title(title);
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) m = Math.max(m, v);
        return m;
    }
}
