package io.flambeau.autograd;

import io.flambeau.backend.Derivative;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

/**
 * Differentiable elementwise functions of one tensor. Every op's gradient is the formula of its
 * definition ({@link UnaryOp#derivative()}), evaluated here on raw tensors; the op's input and
 * output are saved exactly when the formula reads them.
 */
public final class UnaryFunctions {
    private UnaryFunctions() {}

    public static Variable apply(UnaryOp op, Variable a) {
        return apply(op, a, 0, 0);
    }

    /** {@code param1}, {@code param2}: the op's parameters (leaky-ReLU slope; clamp bounds, NaN = none). */
    public static Variable apply(UnaryOp op, Variable a, double param1, double param2) {
        RawTensor out = Elementwise.unary(op, a.data, param1, param2);
        if (!Graph.needsGrad(a)) return new Variable(out);
        Derivative formula = Formulas.fold(op.derivative(), null, null, param1, param2);
        String node = op.backwardNode();
        SavedTensor input = formula.readsSelf() ? new SavedTensor(a.data) : null;
        SavedTensor output = formula.readsResult() ? new SavedTensor(out) : null;
        Formulas.Operands operands = new Formulas.Operands() {
            public RawTensor self() { return input.get(node); }
            public RawTensor other() { throw new IllegalStateException(node + ": a unary op has no other operand"); }
            public RawTensor result() { return output.get(node); }
        };
        DType inputType = a.data.dtype();
        return Graph.record(node, out, g -> new RawTensor[] {
                GradientMath.castTo(Formulas.evaluate(formula, g, operands, param1, param2), inputType)}, a);
    }
}
