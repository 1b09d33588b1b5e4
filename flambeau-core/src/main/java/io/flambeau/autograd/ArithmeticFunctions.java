package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

/**
 * Differentiable binary arithmetic, each forward beside its gradient rule. Gradients of
 * broadcast inputs are summed back to the input's shape.
 */
public final class ArithmeticFunctions {
    private ArithmeticFunctions() {}

    public static Variable add(Variable a, Variable b) {
        RawTensor out = Elementwise.binary("add", BinaryOp.ADD, a.data, b.data);
        long[] sa = a.data.shape, sb = b.data.shape;
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("AddBackward0", out, g -> new RawTensor[] {
                ga ? G.sumTo(g, sa) : null, gb ? G.sumTo(g, sb) : null}, a, b);
    }

    public static Variable sub(Variable a, Variable b) {
        RawTensor out = Elementwise.binary("sub", BinaryOp.SUB, a.data, b.data);
        long[] sa = a.data.shape, sb = b.data.shape;
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("SubBackward0", out, g -> new RawTensor[] {
                ga ? G.sumTo(g, sa) : null, gb ? G.sumTo(G.neg(g), sb) : null}, a, b);
    }

    public static Variable mul(Variable a, Variable b) {
        RawTensor out = Elementwise.binary("mul", BinaryOp.MUL, a.data, b.data);
        if (!Graph.needsGrad(a, b)) return new Variable(out);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        // each operand is saved only when the other's gradient reads it
        SavedTensor x = gb ? new SavedTensor(a.data) : null, y = ga ? new SavedTensor(b.data) : null;
        long[] sa = a.data.shape, sb = b.data.shape;
        return Graph.record("MulBackward0", out, g -> new RawTensor[] {
                ga ? G.sumTo(G.mul(g, y.get("MulBackward0")), sa) : null,
                gb ? G.sumTo(G.mul(g, x.get("MulBackward0")), sb) : null}, a, b);
    }

    public static Variable div(Variable a, Variable b) {
        RawTensor out = Elementwise.binary("div", BinaryOp.DIV, a.data, b.data);
        if (!Graph.needsGrad(a, b)) return new Variable(out);
        SavedTensor x = new SavedTensor(a.data), y = new SavedTensor(b.data);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("DivBackward0", out, g -> {
            RawTensor xv = x.get("DivBackward0"), yv = y.get("DivBackward0");
            return new RawTensor[] {
                    ga ? G.sumTo(G.div(g, yv), xv.shape) : null,
                    gb ? G.sumTo(G.neg(G.div(G.mul(g, xv), G.mul(yv, yv))), yv.shape) : null};
        }, a, b);
    }

    public static Variable pow(Variable a, Variable b) {
        RawTensor out = Elementwise.binary("pow", BinaryOp.POW, a.data, b.data);
        if (!Graph.needsGrad(a, b)) return new Variable(out);
        SavedTensor x = new SavedTensor(a.data), y = new SavedTensor(b.data), r = new SavedTensor(out);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("PowBackward1", out, g -> {
            RawTensor xv = x.get("PowBackward1"), yv = y.get("PowBackward1");
            RawTensor gx = null, gy = null;
            if (ga) {
                // y * x^(y-1), zero where y == 0 (PyTorch's masking keeps 0^0 terms finite)
                RawTensor d = G.mul(yv, Elementwise.binary("pow", BinaryOp.POW, xv, G.add(yv, -1)));
                gx = G.sumTo(G.maskZero(G.cmp(BinaryOp.EQ, yv, 0), G.mul(g, d)), xv.shape);
            }
            if (gb) {
                RawTensor d = G.mul(r.get("PowBackward1"), G.un(UnaryOp.LOG, xv));
                RawTensor zeroBase = G.and(G.cmp(BinaryOp.EQ, xv, 0), G.cmp(BinaryOp.GE, yv, 0));
                gy = G.sumTo(G.maskZero(zeroBase, G.mul(g, d)), yv.shape);
            }
            return new RawTensor[] {gx, gy};
        }, a, b);
    }

    public static Variable maximum(Variable a, Variable b) {
        return extremum("maximum", "MaximumBackward0", BinaryOp.MAXIMUM, BinaryOp.LT, BinaryOp.GT, a, b);
    }

    public static Variable minimum(Variable a, Variable b) {
        return extremum("minimum", "MinimumBackward0", BinaryOp.MINIMUM, BinaryOp.GT, BinaryOp.LT, a, b);
    }

    /** Ties share the gradient equally; the losing side gets none (PyTorch 1.13's rule). */
    private static Variable extremum(String op, String node, BinaryOp kind, BinaryOp aLoses, BinaryOp bLoses,
                                     Variable a, Variable b) {
        RawTensor out = Elementwise.binary(op, kind, a.data, b.data);
        if (!Graph.needsGrad(a, b)) return new Variable(out);
        SavedTensor x = new SavedTensor(a.data), y = new SavedTensor(b.data);
        return Graph.record(node, out, g -> {
            RawTensor xv = x.get(node), yv = y.get(node);
            RawTensor shared = Elementwise.where(G.cmp(BinaryOp.EQ, xv, yv), G.mul(g, 0.5), g);
            return new RawTensor[] {
                    G.sumTo(G.maskZero(G.cmp(aLoses, xv, yv), shared), xv.shape),
                    G.sumTo(G.maskZero(G.cmp(bLoses, xv, yv), shared), yv.shape)};
        }, a, b);
    }

    /** {@code a op s} with a Java number ({@code reversed}: {@code s op a}). */
    public static Variable scalar(String op, BinaryOp kind, Variable a, double s, boolean sFloating, boolean reversed) {
        RawTensor out = Elementwise.binaryScalar(op, kind, a.data, s, sFloating, reversed);
        if (kind.isComparison() || !Graph.needsGrad(a)) return new Variable(out);
        String node = switch (kind) {
            case ADD -> "AddBackward1";
            case SUB -> reversed ? "RsubBackward1" : "SubBackward1";
            case MUL -> "MulBackward1";
            case DIV -> "DivBackward1";
            case POW -> "PowBackward0";
            default -> kind.name() + "Backward";
        };
        boolean readsInput = switch (kind) {
            case DIV -> reversed;
            case POW -> reversed ? false : s != 0;
            case MAXIMUM, MINIMUM -> true;
            default -> false;
        };
        boolean readsOutput = (kind == BinaryOp.DIV || kind == BinaryOp.POW) && reversed;
        SavedTensor x = readsInput ? new SavedTensor(a.data) : null, r = readsOutput ? new SavedTensor(out) : null;
        return Graph.record(node, out, g -> new RawTensor[] {switch (kind) {
            case ADD -> g;
            case SUB -> reversed ? G.neg(g) : g;
            case MUL -> G.mul(g, s);
            case DIV -> reversed
                    ? G.neg(G.div(G.mul(g, r.get(node)), x.get(node))) // d(s/x) = -s/x^2 = -out/x
                    : G.mul(g, 1.0 / s);
            case POW -> reversed
                    ? G.mul(g, G.mul(r.get(node), Math.log(s)))
                    : (s == 0 ? G.mul(g, 0.0) : G.mul(g, G.mul(G.pow(x.get(node), s - 1), s)));
            case MAXIMUM, MINIMUM -> {
                RawTensor xv = x.get(node);
                BinaryOp loses = kind == BinaryOp.MAXIMUM ? BinaryOp.LT : BinaryOp.GT;
                RawTensor shared = Elementwise.where(G.cmp(BinaryOp.EQ, xv, s), G.mul(g, 0.5), g);
                yield G.maskZero(G.cmp(loses, xv, s), shared);
            }
            default -> throw new IllegalStateException(kind + " has no gradient");
        }}, a);
    }

    /** Comparisons and other ops without gradient. */
    public static Variable compare(String op, BinaryOp kind, Variable a, Variable b) {
        return new Variable(Elementwise.binary(op, kind, a.data, b.data));
    }

    public static Variable where(Variable cond, Variable a, Variable b) {
        RawTensor out = Elementwise.where(cond.data, a.data, b.data);
        if (!Graph.needsGrad(cond, a, b)) return new Variable(out);
        SavedTensor c = new SavedTensor(cond.data);
        long[] sa = a.data.shape, sb = b.data.shape;
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("WhereBackward0", out, g -> new RawTensor[] {null,
                ga ? G.sumTo(G.maskKeep(c.get("WhereBackward0"), g), sa) : null,
                gb ? G.sumTo(G.maskZero(c.get("WhereBackward0"), g), sb) : null}, cond, a, b);
    }
}
