package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

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
        SavedTensor x = readsInput(op) ? new SavedTensor(a.data) : null;
        SavedTensor y = readsOutput(op) ? new SavedTensor(out) : null;
        DType inputType = a.data.dtype();
        return Graph.record(node, out, g -> new RawTensor[] {G.as(switch (op) {
            case NEG -> G.neg(g);
            case ABS -> G.mul(g, G.un(UnaryOp.SIGN, x.get(node)));
            case EXP -> G.mul(g, y.get(node));
            case LOG -> G.div(g, x.get(node));
            case SQRT -> G.div(g, G.mul(y.get(node), 2.0));
            case SQUARE -> G.mul(g, G.mul(x.get(node), 2.0));
            case SIN -> G.mul(g, G.un(UnaryOp.COS, x.get(node)));
            case COS -> G.neg(G.mul(g, G.un(UnaryOp.SIN, x.get(node))));
            case TANH -> { RawTensor t = y.get(node); yield G.mul(g, G.rsub(1, G.mul(t, t))); }
            case SIGMOID -> { RawTensor s = y.get(node); yield G.mul(g, G.mul(s, G.rsub(1, s))); }
            case RELU -> Elementwise.binary("backward", BinaryOp.THRESHOLD_BACKWARD, g, y.get(node));
            case LEAKY_RELU -> Elementwise.where(G.cmp(BinaryOp.GT, x.get(node), 0), g, G.mul(g, p));
            case CLAMP -> {
                RawTensor xv = x.get(node);
                RawTensor inside = G.cmp(BinaryOp.EQ, xv, xv); // false only for NaN
                if (!Double.isNaN(p)) inside = G.and(inside, G.cmp(BinaryOp.GE, xv, p));
                if (!Double.isNaN(q)) inside = G.and(inside, G.cmp(BinaryOp.LE, xv, q));
                yield G.maskKeep(inside, g);
            }
            case RECIPROCAL -> { RawTensor r = y.get(node); yield G.neg(G.mul(g, G.mul(r, r))); }
            case SIGN, NOT -> G.mul(g, 0.0);
        }, inputType)}, a);
    }

    /** Whether the gradient of {@code op} reads its input (which is then kept until backward). */
    private static boolean readsInput(UnaryOp op) {
        return switch (op) {
            case ABS, LOG, SQUARE, SIN, COS, LEAKY_RELU, CLAMP -> true;
            case NEG, EXP, SQRT, TANH, SIGMOID, RELU, RECIPROCAL, SIGN, NOT -> false;
        };
    }

    /** Whether the gradient of {@code op} reads its output. */
    private static boolean readsOutput(UnaryOp op) {
        return switch (op) {
            case EXP, SQRT, TANH, SIGMOID, RELU, RECIPROCAL -> true;
            case NEG, ABS, LOG, SQUARE, SIN, COS, LEAKY_RELU, CLAMP, SIGN, NOT -> false;
        };
    }

    private static String nodeName(UnaryOp op) {
        return switch (op) {
            case LEAKY_RELU -> "LeakyReluBackward0";
            case CLAMP -> "ClampBackward1";
            default -> op.name().charAt(0) + op.name().substring(1).toLowerCase(java.util.Locale.ROOT) + "Backward0";
        };
    }
}
