package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.Derivative;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

/**
 * Differentiable binary arithmetic: every form runs the gradient formulas of the op's definition
 * ({@link BinaryOp}), the in-place forms of {@link InPlace} too. Gradients of broadcast inputs are
 * summed back to the input's shape.
 */
public final class ArithmeticFunctions {
    private ArithmeticFunctions() {}

    /**
     * {@code a op b} between tensors (broadcasting), recording the gradients of the op's definition
     * ({@link BinaryOp#selfDerivative()}, {@link BinaryOp#otherDerivative()}) for the inputs that want one.
     */
    public static Variable binary(BinaryOp op, Variable a, Variable b) {
        RawTensor out = Elementwise.binary(op.torchName(), op, a.data, b.data);
        if (!op.isDifferentiable() || !Graph.needsGrad(a, b)) return new Variable(out);
        Gradients rule = new Gradients(op, op.backwardNode(), a.requiresGrad(), b.requiresGrad(), null, null);
        SavedTensor x = rule.reads(Derivative.Self.class) ? new SavedTensor(a.data) : null;
        SavedTensor y = rule.reads(Derivative.Other.class) ? new SavedTensor(b.data) : null;
        SavedTensor r = rule.reads(Derivative.Result.class) ? new SavedTensor(out) : null;
        return Graph.record(rule.node(), out, rule.backward(x, y, r, a.data.shape, b.data.shape), a, b);
    }

    /** {@code a op s} with a Java floating number ({@code x * 2.5}); an int64 tensor becomes float32. */
    public static Variable withNumber(BinaryOp op, Variable a, double s) {
        return withNumber(op, a, s, true, false);
    }

    /** {@code a op s} with a Java integer ({@code x * 2}), which keeps an int64 tensor int64. */
    public static Variable withNumber(BinaryOp op, Variable a, long s) {
        return withNumber(op, a, s, false, false);
    }

    /** {@code s op a}, the reversed form ({@code rsub}, {@code rdiv}: Python's {@code 1 - x}, {@code 2 / x}). */
    public static Variable numberWith(BinaryOp op, double s, Variable a) {
        return withNumber(op, a, s, true, true);
    }

    /** {@code s op a} with a Java integer. */
    public static Variable numberWith(BinaryOp op, long s, Variable a) {
        return withNumber(op, a, s, false, true);
    }

    private static Variable withNumber(BinaryOp op, Variable a, double s, boolean sFloating, boolean reversed) {
        String name = reversed ? "r" + op.torchName() : op.torchName();
        RawTensor out = Elementwise.binaryScalar(name, op, a.data, s, sFloating, reversed);
        if (!op.isDifferentiable() || !Graph.needsGrad(a)) return new Variable(out);
        // the tensor is the formula's other operand when reversed: its gradient is the other formula
        Gradients rule = reversed ? new Gradients(op, op.scalarBackwardNode(true), false, true, s, null)
                : new Gradients(op, op.scalarBackwardNode(false), true, false, null, s);
        SavedTensor x = rule.reads(reversed ? Derivative.Other.class : Derivative.Self.class) ? new SavedTensor(a.data) : null;
        SavedTensor r = rule.reads(Derivative.Result.class) ? new SavedTensor(out) : null;
        long[] shape = a.data.shape;
        Graph.Rule both = reversed ? rule.backward(null, x, r, shape, shape) : rule.backward(x, null, r, shape, shape);
        return Graph.record(rule.node(), out, g -> new RawTensor[] {both.apply(g)[reversed ? 1 : 0]}, a);
    }

    /** Comparisons and other ops without gradient. */
    public static Variable compare(BinaryOp op, Variable a, Variable b) {
        return new Variable(Elementwise.binary(op.torchName(), op, a.data, b.data));
    }

    public static Variable where(Variable cond, Variable a, Variable b) {
        RawTensor out = Elementwise.where(cond.data, a.data, b.data);
        if (!Graph.needsGrad(cond, a, b)) return new Variable(out);
        SavedTensor c = new SavedTensor(cond.data);
        long[] sa = a.data.shape, sb = b.data.shape;
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("WhereBackward0", out, g -> new RawTensor[] {null,
                ga ? GradientMath.sumTo(GradientMath.maskKeep(c.get("WhereBackward0"), g), sa) : null,
                gb ? GradientMath.sumTo(GradientMath.maskZero(c.get("WhereBackward0"), g), sb) : null}, cond, a, b);
    }
}
