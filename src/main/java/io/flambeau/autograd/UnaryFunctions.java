package io.flambeau.autograd;

import io.flambeau.backend.Derivative;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.ops.Creation;
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
        Derivative formula = op.derivative();
        String node = op.backwardNode();
        SavedTensor input = formula.readsSelf() ? new SavedTensor(a.data) : null;
        SavedTensor output = formula.readsResult() ? new SavedTensor(out) : null;
        DType inputType = a.data.dtype();
        return Graph.record(node, out, g -> new RawTensor[] {G.as(
                new Evaluation(op, node, g, input, output, param1, param2).tensor(formula), inputType)}, a);
    }

    /** One evaluation of a gradient formula in backward: the incoming gradient and the saved tensors. */
    private record Evaluation(UnaryOp op, String node, RawTensor grad, SavedTensor input, SavedTensor output,
                              double param1, double param2) {

        RawTensor tensor(Derivative f) {
            return switch (f) {
                case Derivative.Grad g -> grad;
                case Derivative.Self s -> input.get(node);
                case Derivative.Result r -> output.get(node);
                case Derivative.Constant c -> constantLike(c.value());
                case Derivative.Param p -> constantLike(scalar(p));
                case Derivative.Unary u -> Elementwise.unary(u.op(), tensor(u.x()), param1, param2);
                case Derivative.Binary b -> binary(b);
                case Derivative.Where w -> Elementwise.where(tensor(w.cond()), tensor(w.a()), tensor(w.b()));
            };
        }

        /** A number operand becomes the kernel's Java number (on the left: the reversed form, {@code s - a}). */
        private RawTensor binary(Derivative.Binary b) {
            if (isScalar(b.b())) return Elementwise.binaryScalar("backward", b.op(), tensor(b.a()), scalar(b.b()), true, false);
            if (isScalar(b.a())) return Elementwise.binaryScalar("backward", b.op(), tensor(b.b()), scalar(b.a()), true, true);
            return Elementwise.binary("backward", b.op(), tensor(b.a()), tensor(b.b()));
        }

        private static boolean isScalar(Derivative f) {
            return f instanceof Derivative.Constant || f instanceof Derivative.Param;
        }

        private double scalar(Derivative f) {
            return switch (f) {
                case Derivative.Constant c -> c.value();
                case Derivative.Param p -> {
                    double v = p.index() == 1 ? param1 : param2;
                    yield Double.isNaN(v) ? p.whenNone() : v;
                }
                default -> throw new IllegalStateException(op + ": " + f + " is not a number");
            };
        }

        /** A number where a tensor is needed ({@code where}'s branches): 0-dim, the gradient's dtype and device. */
        private RawTensor constantLike(double v) {
            return Creation.scalar(v, grad.dtype(), grad.device());
        }
    }
}
