package io.flambeau.autograd;

import io.flambeau.ops.RawTensor;
import io.flambeau.ops.ShapeOps;
import io.flambeau.ops.Shapes;

import java.util.List;

/** Differentiable views and shape ops; views share storage with their input. */
public final class ShapeFunctions {
    private ShapeFunctions() {}

    public static Variable view(Variable a, long[] shape) {
        RawTensor out = ShapeOps.view(a.data, shape);
        long[] s = a.data.shape;
        return Graph.recordView("ViewBackward0", out, g -> new RawTensor[] {ShapeOps.reshape(g, s)}, a);
    }

    public static Variable reshape(Variable a, long[] shape) {
        RawTensor out = ShapeOps.reshape(a.data, shape);
        long[] s = a.data.shape;
        Graph.Rule rule = g -> new RawTensor[] {ShapeOps.reshape(g, s)};
        return out.storage == a.data.storage
                ? Graph.recordView("ViewBackward0", out, rule, a)
                : Graph.record("ReshapeAliasBackward0", out, rule, a);
    }

    public static Variable flatten(Variable a, long start, long end) {
        RawTensor out = ShapeOps.flatten(a.data, start, end);
        long[] s = a.data.shape;
        Graph.Rule rule = g -> new RawTensor[] {ShapeOps.reshape(g, s)};
        return out.storage == a.data.storage
                ? Graph.recordView("ViewBackward0", out, rule, a)
                : Graph.record("ReshapeAliasBackward0", out, rule, a);
    }

    public static Variable permute(Variable a, int[] dims) {
        RawTensor out = ShapeOps.permute(a.data, dims);
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) inverse[Shapes.normalizeDim("permute", dims[i], dims.length)] = i;
        return Graph.recordView("PermuteBackward0", out, g -> new RawTensor[] {ShapeOps.permute(g, inverse)}, a);
    }

    public static Variable transpose(Variable a, long d0, long d1) {
        RawTensor out = ShapeOps.transpose(a.data, d0, d1);
        return Graph.recordView("TransposeBackward0", out, g -> new RawTensor[] {ShapeOps.transpose(g, d0, d1)}, a);
    }

    public static Variable t(Variable a) {
        RawTensor out = ShapeOps.t(a.data);
        return Graph.recordView("TBackward0", out, g -> new RawTensor[] {ShapeOps.t(g)}, a);
    }

    public static Variable expand(Variable a, long[] sizes) {
        RawTensor out = ShapeOps.expand(a.data, sizes);
        long[] s = a.data.shape;
        return Graph.recordView("ExpandBackward0", out, g -> new RawTensor[] {GradientMath.sumTo(g, s)}, a);
    }

    public static Variable squeeze(Variable a) {
        RawTensor out = ShapeOps.squeeze(a.data);
        long[] s = a.data.shape;
        return Graph.recordView("SqueezeBackward0", out, g -> new RawTensor[] {ShapeOps.reshape(g, s)}, a);
    }

    public static Variable squeeze(Variable a, long dim) {
        RawTensor out = ShapeOps.squeeze(a.data, dim);
        long[] s = a.data.shape;
        return Graph.recordView("SqueezeBackward1", out, g -> new RawTensor[] {ShapeOps.reshape(g, s)}, a);
    }

    public static Variable unsqueeze(Variable a, long dim) {
        RawTensor out = ShapeOps.unsqueeze(a.data, dim);
        long[] s = a.data.shape;
        return Graph.recordView("UnsqueezeBackward0", out, g -> new RawTensor[] {ShapeOps.reshape(g, s)}, a);
    }

    public static Variable contiguous(Variable a) {
        RawTensor out = ShapeOps.contiguous(a.data);
        if (out == a.data) return a;
        return Graph.record("CloneBackward0", out, g -> new RawTensor[] {g}, a);
    }

    public static Variable cat(List<Variable> xs, long dim) {
        RawTensor out = ShapeOps.cat(xs.stream().map(v -> v.data).toList(), dim);
        int d = Shapes.normalizeDim("cat", dim, out.dim());
        long[] sizes = xs.stream().mapToLong(v -> v.data.shape[d]).toArray();
        return Graph.record("CatBackward0", out, g -> {
            RawTensor[] parts = new RawTensor[sizes.length];
            long at = 0;
            for (int i = 0; i < sizes.length; i++) {
                parts[i] = ShapeOps.slice(g, d, at, at + sizes[i], 1);
                at += sizes[i];
            }
            return parts;
        }, xs.toArray(Variable[]::new));
    }

    public static Variable stack(List<Variable> xs, long dim) {
        RawTensor out = ShapeOps.stack(xs.stream().map(v -> v.data).toList(), dim);
        int d = Shapes.normalizeDim("stack", dim, out.dim());
        int n = xs.size();
        return Graph.record("StackBackward0", out, g -> {
            RawTensor[] parts = new RawTensor[n];
            for (int i = 0; i < n; i++) parts[i] = ShapeOps.select(g, d, i);
            return parts;
        }, xs.toArray(Variable[]::new));
    }

    /** A copy that stays in the graph. */
    public static Variable clone(Variable a) {
        RawTensor out = io.flambeau.ops.Elementwise.clone(a.data);
        return Graph.record("CloneBackward0", out, g -> new RawTensor[] {g}, a);
    }

    /** A dtype conversion that stays in the graph (gradients flow back between floating types). */
    public static Variable to(Variable a, io.flambeau.core.DType dtype) {
        RawTensor out = io.flambeau.ops.Elementwise.cast(a.data, dtype);
        if (out == a.data) return a;
        if (!dtype.isFloating()) return new Variable(out);
        io.flambeau.core.DType in = a.data.dtype();
        return Graph.record("ToCopyBackward0", out, g -> new RawTensor[] {GradientMath.castTo(g, in)}, a);
    }
}
