package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Reductions;
import io.flambeau.ops.ShapeOps;
import io.flambeau.ops.Shapes;

/** Differentiable reductions, each forward beside its gradient rule. */
public final class ReductionFunctions {
    private ReductionFunctions() {}

    public static Variable sum(Variable a) {
        RawTensor out = Reductions.sum(a.data);
        long[] s = a.data.shape;
        return Graph.record("SumBackward0", out, g -> new RawTensor[] {GradientMath.expandTo(g, s)}, a);
    }

    public static Variable sum(Variable a, long dim, boolean keepdim) {
        RawTensor out = Reductions.sum(a.data, dim, keepdim);
        long[] s = a.data.shape;
        int d = Shapes.normalizeDim("sum", dim, s.length);
        return Graph.record("SumBackward1", out, g -> new RawTensor[] {GradientMath.expandTo(keep(g, d, keepdim, s.length), s)}, a);
    }

    public static Variable mean(Variable a) {
        RawTensor out = Reductions.mean(a.data);
        long[] s = a.data.shape;
        double n = Shapes.numel(s);
        return Graph.record("MeanBackward0", out, g -> new RawTensor[] {GradientMath.expandTo(GradientMath.mul(g, 1.0 / n), s)}, a);
    }

    public static Variable mean(Variable a, long dim, boolean keepdim) {
        RawTensor out = Reductions.mean(a.data, dim, keepdim);
        long[] s = a.data.shape;
        int d = Shapes.normalizeDim("mean", dim, s.length);
        double n = s.length == 0 ? 1 : s[d];
        return Graph.record("MeanBackward1", out,
                g -> new RawTensor[] {GradientMath.expandTo(keep(GradientMath.mul(g, 1.0 / n), d, keepdim, s.length), s)}, a);
    }

    /** Full max/min: ties share the gradient evenly (PyTorch 1.13). */
    public static Variable extreme(Variable a, boolean max) {
        RawTensor out = max ? Reductions.max(a.data) : Reductions.min(a.data);
        if (!Graph.needsGrad(a)) return new Variable(out);
        String node = max ? "MaxBackward1" : "MinBackward1";
        SavedTensor x = new SavedTensor(a.data), result = new SavedTensor(out);
        return Graph.record(node, out, g -> {
            RawTensor xv = x.get(node);
            RawTensor hit = GradientMath.compare(BinaryOp.EQ, xv, result.get(node));
            RawTensor count = Elementwise.cast(Reductions.sum(hit), xv.dtype());
            return new RawTensor[] {GradientMath.maskKeep(hit, GradientMath.div(g, count))};
        }, a);
    }

    /** {@code max(dim)}/{@code min(dim)}: values (differentiable) and indices. */
    public static Variable[] extreme(Variable a, long dim, boolean keepdim, boolean max) {
        RawTensor[] vi = max ? Reductions.max(a.data, dim, keepdim) : Reductions.min(a.data, dim, keepdim);
        long[] s = a.data.shape;
        int d = Shapes.normalizeDim(max ? "max" : "min", dim, s.length);
        RawTensor idx = vi[1];
        String node = max ? "MaxBackward0" : "MinBackward0";
        SavedTensor indices = Graph.needsGrad(a) ? new SavedTensor(idx) : null;
        Variable values = Graph.record(node, vi[0], g -> new RawTensor[] {selectBack(g, indices.get(node), d, keepdim, s)}, a);
        return new Variable[] {values, new Variable(idx)};
    }

    /** Sends each gradient element to the position its index selected along {@code dim}. */
    static RawTensor selectBack(RawTensor g, RawTensor idx, int dim, boolean keepdim, long[] shape) {
        if (shape.length == 0) return g;
        int r = shape.length;
        RawTensor gk = keep(g, dim, keepdim, r), ik = keep(idx, dim, keepdim, r);
        long[] line = new long[r];
        java.util.Arrays.fill(line, 1);
        line[dim] = shape[dim];
        RawTensor positions = ShapeOps.reshape(Creation.arange(0, shape[dim], 1, g.device()), line);
        RawTensor hit = Elementwise.binary("max_backward", BinaryOp.EQ, positions, ik);
        return GradientMath.maskKeep(hit, GradientMath.expandTo(gk, shape));
    }

    /** Puts back a reduced dim (size 1) so the gradient broadcasts against the input. */
    static RawTensor keep(RawTensor g, int dim, boolean keepdim, int rank) {
        return keepdim || rank == 0 ? g : ShapeOps.unsqueeze(g, dim);
    }

    public static Variable argExtreme(Variable a, Long dim, boolean keepdim, boolean max) {
        RawTensor out = dim == null
                ? (max ? Reductions.argmax(a.data) : Reductions.argmin(a.data))
                : (max ? Reductions.argmax(a.data, dim, keepdim) : Reductions.argmin(a.data, dim, keepdim));
        return new Variable(out);
    }
}
