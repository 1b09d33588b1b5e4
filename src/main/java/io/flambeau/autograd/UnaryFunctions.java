package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

import static io.flambeau.autograd.G.*;

/** Differentiable elementwise functions of one tensor, each forward beside its gradient rule. */
public final class UnaryFunctions {
    private UnaryFunctions() {}

    public static Variable apply(UnaryOp op, Variable a) {
        return apply(op, a, 0, 0);
    }

    /** {@code p}, {@code q}: leaky-ReLU slope; clamp bounds (NaN = none). */
    public static Variable apply(UnaryOp op, Variable a, double p, double q) {
        RawTensor out = Elementwise.unary(op, a.data, p, q);
        if (!Graph.needsGrad(a)) return new Variable(out);
        String node = nodeName(op);
        SavedTensor x = new SavedTensor(a.data), y = new SavedTensor(out);
        return Graph.record(node, out, g -> new RawTensor[] {as(switch (op) {
            case NEG -> neg(g);
            case ABS -> mul(g, un(UnaryOp.SIGN, x.get(node)));
            case EXP -> mul(g, y.get(node));
            case LOG -> div(g, x.get(node));
            case SQRT -> div(g, mul(y.get(node), 2.0));
            case SQUARE -> mul(g, mul(x.get(node), 2.0));
            case SIN -> mul(g, un(UnaryOp.COS, x.get(node)));
            case COS -> neg(mul(g, un(UnaryOp.SIN, x.get(node))));
            case TANH -> { RawTensor t = y.get(node); yield mul(g, rsub(1, mul(t, t))); }
            case SIGMOID -> { RawTensor s = y.get(node); yield mul(g, mul(s, rsub(1, s))); }
            case RELU -> maskKeep(cmp(BinaryOp.GT, y.get(node), 0), g);
            case LEAKY_RELU -> Elementwise.where(cmp(BinaryOp.GT, x.get(node), 0), g, mul(g, p));
            case CLAMP -> {
                RawTensor xv = x.get(node);
                RawTensor inside = cmp(BinaryOp.EQ, xv, xv); // false only for NaN
                if (!Double.isNaN(p)) inside = and(inside, cmp(BinaryOp.GE, xv, p));
                if (!Double.isNaN(q)) inside = and(inside, cmp(BinaryOp.LE, xv, q));
                yield maskKeep(inside, g);
            }
            case RECIPROCAL -> { RawTensor r = y.get(node); yield neg(mul(g, mul(r, r))); }
            case SIGN, NOT -> mul(g, 0.0);
        }, a.data)}, a);
    }

    private static String nodeName(UnaryOp op) {
        return switch (op) {
            case LEAKY_RELU -> "LeakyReluBackward0";
            case CLAMP -> "ClampBackward1";
            default -> op.name().charAt(0) + op.name().substring(1).toLowerCase(java.util.Locale.ROOT) + "Backward0";
        };
    }
}
