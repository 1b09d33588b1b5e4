package io.flambeau.autograd;

import io.flambeau.backend.Derivative;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;

/**
 * Runs the gradient formulas of the op definitions ({@link Derivative}) on raw tensors, for
 * every differentiable elementwise op and each of its forms (tensor with tensor, with a Java
 * number, in place). A formula is first {@linkplain #fold folded} with what is known when the op
 * is recorded (a Java-number operand, the op's parameters), so that only the tensors the folded
 * formula still reads are saved; backward then {@linkplain #evaluate evaluates} it.
 */
final class Formulas {
    private Formulas() {}

    /** The tensors a formula's leaves stand for, read (version-checked) only when backward runs. */
    interface Operands {
        RawTensor self();

        RawTensor other();

        RawTensor result();
    }

    /**
     * {@code f} with {@code self} and {@code other} replaced by their values where they are Java numbers (null
     * where they are tensors), the parameters by their values, and every subformula of numbers only by its value.
     */
    static Derivative fold(Derivative f, Double self, Double other, double param1, double param2) {
        return switch (f) {
            case Derivative.Grad g -> g;
            case Derivative.Result r -> r;
            case Derivative.Constant c -> c;
            case Derivative.Self s -> self != null ? new Derivative.Constant(self) : s;
            case Derivative.Other o -> other != null ? new Derivative.Constant(other) : o;
            case Derivative.Param p -> {
                double v = p.index() == 1 ? param1 : param2;
                yield new Derivative.Constant(Double.isNaN(v) ? p.whenNone() : v);
            }
            case Derivative.Unary u -> {
                Derivative x = fold(u.x(), self, other, param1, param2);
                yield x instanceof Derivative.Constant c
                        ? new Derivative.Constant(u.op().apply(c.value(), param1, param2)) : new Derivative.Unary(u.op(), x);
            }
            case Derivative.Binary b -> {
                Derivative l = fold(b.a(), self, other, param1, param2), r = fold(b.b(), self, other, param1, param2);
                yield l instanceof Derivative.Constant cl && r instanceof Derivative.Constant cr
                        ? new Derivative.Constant(b.op().apply(cl.value(), cr.value())) : new Derivative.Binary(b.op(), l, r);
            }
            case Derivative.Where w -> {
                Derivative cond = fold(w.cond(), self, other, param1, param2);
                Derivative a = fold(w.a(), self, other, param1, param2), c = fold(w.b(), self, other, param1, param2);
                yield cond instanceof Derivative.Constant k ? (k.value() != 0 ? a : c) : new Derivative.Where(cond, a, c);
            }
        };
    }

    /**
     * The folded formula's value for the incoming gradient {@code grad}; {@code param1}, {@code param2} are the
     * parameters of the op differentiated (they also parametrise the unary ops the formula applies).
     */
    static RawTensor evaluate(Derivative folded, RawTensor grad, Operands operands, double param1, double param2) {
        return new Evaluation(grad, operands, param1, param2).top(folded);
    }

    private record Evaluation(RawTensor grad, Operands operands, double param1, double param2) {
        /** A formula that folded to a number (pow's gradient for an exponent of 0) is that number everywhere. */
        RawTensor top(Derivative f) {
            if (!(f instanceof Derivative.Constant c)) return tensor(f);
            RawTensor zeros = Elementwise.binaryScalar("backward", io.flambeau.backend.BinaryOp.MUL, grad, 0.0, true, false);
            return c.value() == 0 ? zeros
                    : Elementwise.binaryScalar("backward", io.flambeau.backend.BinaryOp.ADD, zeros, c.value(), true, false);
        }

        RawTensor tensor(Derivative f) {
            return switch (f) {
                case Derivative.Grad g -> grad;
                case Derivative.Self s -> operands.self();
                case Derivative.Other o -> operands.other();
                case Derivative.Result r -> operands.result();
                case Derivative.Constant c -> Creation.scalar(c.value(), grad.dtype(), grad.device());
                case Derivative.Param p -> throw new IllegalStateException("formula not folded: " + p);
                case Derivative.Unary u -> Elementwise.unary(u.op(), tensor(u.x()), param1, param2);
                case Derivative.Binary b -> binary(b);
                case Derivative.Where w -> Elementwise.where(tensor(w.cond()), tensor(w.a()), tensor(w.b()));
            };
        }

        /** A number operand becomes the kernel's Java number (on the left: the reversed form, {@code s - a}). */
        private RawTensor binary(Derivative.Binary b) {
            if (b.b() instanceof Derivative.Constant c) {
                return Elementwise.binaryScalar("backward", b.op(), tensor(b.a()), c.value(), true, false);
            }
            if (b.a() instanceof Derivative.Constant c) {
                return Elementwise.binaryScalar("backward", b.op(), tensor(b.b()), c.value(), true, true);
            }
            return Elementwise.binary("backward", b.op(), tensor(b.a()), tensor(b.b()));
        }
    }
}
