package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Reductions;
import io.flambeau.ops.ShapeOps;

/** Short names for the raw-tensor arithmetic that gradient rules are written in. */
final class G {
    private G() {}

    static RawTensor add(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.ADD, a, b); }

    static RawTensor sub(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.SUB, a, b); }

    static RawTensor mul(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.MUL, a, b); }

    static RawTensor div(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.DIV, a, b); }

    static RawTensor mul(RawTensor a, double s) { return Elementwise.binaryScalar("backward", BinaryOp.MUL, a, s, true, false); }

    static RawTensor add(RawTensor a, double s) { return Elementwise.binaryScalar("backward", BinaryOp.ADD, a, s, true, false); }

    /** {@code s - a}. */
    static RawTensor rsub(double s, RawTensor a) { return Elementwise.binaryScalar("backward", BinaryOp.SUB, a, s, true, true); }

    static RawTensor pow(RawTensor a, double s) { return Elementwise.binaryScalar("backward", BinaryOp.POW, a, s, true, false); }

    static RawTensor neg(RawTensor a) { return Elementwise.unary(UnaryOp.NEG, a); }

    static RawTensor un(UnaryOp op, RawTensor a) { return Elementwise.unary(op, a); }

    static RawTensor cmp(BinaryOp op, RawTensor a, RawTensor b) { return Elementwise.binary("backward", op, a, b); }

    static RawTensor cmp(BinaryOp op, RawTensor a, double s) { return Elementwise.binaryScalar("backward", op, a, s, true, false); }

    static RawTensor and(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.AND, a, b); }

    /** {@code cond ? a : 0}. */
    static RawTensor maskKeep(RawTensor cond, RawTensor a) {
        return Elementwise.where(cond, a, Creation.scalar(0, a.dtype(), a.device()));
    }

    /** {@code cond ? 0 : a}. */
    static RawTensor maskZero(RawTensor cond, RawTensor a) {
        return Elementwise.where(cond, Creation.scalar(0, a.dtype(), a.device()), a);
    }

    static RawTensor zeros(long[] shape, DType dtype, RawTensor like) {
        return Creation.zeros(shape, dtype, like.device());
    }

    static RawTensor sumTo(RawTensor g, long[] shape) { return Reductions.sumToShape(g, shape); }

    /** {@code g} broadcast (as a dense copy) to {@code shape}. */
    static RawTensor expandTo(RawTensor g, long[] shape) {
        return ShapeOps.expand(g, shape);
    }

    /** The gradient cast to the dtype of the input it flows to. */
    static RawTensor as(RawTensor g, RawTensor input) {
        return Elementwise.cast(g, input.dtype());
    }

    /** The gradient cast to an input's dtype (rules capture the dtype, not the input, when they need no more). */
    static RawTensor as(RawTensor g, DType inputType) {
        return Elementwise.cast(g, inputType);
    }
}
