package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.core.DType;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Reductions;
import io.flambeau.ops.ShapeOps;

/** The raw-tensor arithmetic the hand-written gradient rules (reductions, shapes, indexing, linalg) use. */
final class GradientMath {
    private GradientMath() {}

    static RawTensor mul(RawTensor a, double s) { return Elementwise.binaryScalar("backward", BinaryOp.MUL, a, s, true, false); }

    static RawTensor div(RawTensor a, RawTensor b) { return Elementwise.binary("backward", BinaryOp.DIV, a, b); }

    static RawTensor compare(BinaryOp op, RawTensor a, RawTensor b) { return Elementwise.binary("backward", op, a, b); }

    /** {@code cond ? a : 0}. */
    static RawTensor maskKeep(RawTensor cond, RawTensor a) {
        return Elementwise.where(cond, a, Creation.scalar(0, a.dtype(), a.device()));
    }

    /** {@code cond ? 0 : a}. */
    static RawTensor maskZero(RawTensor cond, RawTensor a) {
        return Elementwise.where(cond, Creation.scalar(0, a.dtype(), a.device()), a);
    }

    static RawTensor sumTo(RawTensor g, long[] shape) { return Reductions.sumToShape(g, shape); }

    /** {@code g} broadcast (as a dense copy) to {@code shape}. */
    static RawTensor expandTo(RawTensor g, long[] shape) {
        return ShapeOps.expand(g, shape);
    }

    /** The gradient cast to the dtype of the input it flows to. */
    static RawTensor castTo(RawTensor g, RawTensor input) {
        return Elementwise.cast(g, input.dtype());
    }

    /** The gradient cast to an input's dtype (rules capture the dtype, not the input, when they need no more). */
    static RawTensor castTo(RawTensor g, DType inputType) {
        return Elementwise.cast(g, inputType);
    }
}
