package io.flambeau.ops;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

/**
 * Elementwise ops with PyTorch's broadcasting and type promotion, on raw tensors.
 *
 * <p>Promotion: bool &lt; int64 &lt; floating. A 0-dim tensor only decides the result type when its
 * category is higher than every dimensioned operand's; a Java scalar never widens a tensor's type
 * within its category (float32 tensor * 2.5 stays float32; int64 tensor * 2.5 becomes float32).
 */
public final class Elementwise {
    private Elementwise() {}

    private static int category(DType t) {
        return t == DType.BOOL ? 0 : t == DType.INT64 ? 1 : 2;
    }

    /** Result dtype of an op between two tensors, as PyTorch's {@code result_type}. */
    public static DType resultType(RawTensor a, RawTensor b) {
        boolean za = a.dim() == 0, zb = b.dim() == 0;
        if (za == zb) return DType.promote(a.dtype(), b.dtype());
        RawTensor dimmed = za ? b : a, zero = za ? a : b;
        return category(zero.dtype()) > category(dimmed.dtype()) ? zero.dtype() : dimmed.dtype();
    }

    /** Result dtype of an op between a tensor and a Java number. */
    public static DType resultType(DType t, boolean scalarIsFloating) {
        if (scalarIsFloating && !t.isFloating()) return DType.FLOAT32;
        if (!scalarIsFloating && t == DType.BOOL) return DType.INT64;
        return t;
    }

    public static void checkSameDevice(String op, RawTensor a, RawTensor b) {
        Device da = a.device(), db = b.device();
        if (!da.equals(db)) {
            throw new DeviceException(op + ": expected all tensors to be on the same device, but found at least two devices, "
                    + da + " and " + db + "; move one with .to(device)");
        }
    }

    /** Converts to another dtype (a new tensor; the same one when the dtype already matches). */
    public static RawTensor cast(RawTensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        RawTensor out = RawTensor.empty("to", x.shape, dtype, x.device());
        x.backend().copy(x.view(), out.view());
        return out;
    }

    /** A dense copy with the same dtype. */
    public static RawTensor clone(RawTensor x) {
        RawTensor out = RawTensor.empty("clone", x.shape, x.dtype(), x.device());
        x.backend().copy(x.view(), out.view());
        return out;
    }

    /**
     * {@code op(x)} with the dtype rules of the op's definition ({@link UnaryOp.Inputs}); {@code param1}
     * and {@code param2} are the op's parameters (see {@link UnaryOp}).
     */
    public static RawTensor unary(UnaryOp op, RawTensor x, double param1, double param2) {
        DType t = x.dtype();
        String name = op.torchName();
        DType computeIn = switch (op.inputs()) {
            case NUMBERS_AND_BOOLS -> t == DType.BOOL ? DType.INT64 : t;
            case NUMBERS -> {
                if (t == DType.BOOL) {
                    throw new DTypeException(name + ": negation, the `-` operator, on a bool tensor is not supported;"
                            + " use logical_not() instead");
                }
                yield t;
            }
            case FLOATING_RESULT -> t.isFloating() ? t : DType.FLOAT32;
            case FLOATING -> {
                if (!t.isFloating()) {
                    throw new DTypeException(name + ": not implemented for " + t + " tensors (PyTorch refuses them too);"
                            + " convert with toFloat() first");
                }
                yield t;
            }
            case BOOLS -> {
                if (t != DType.BOOL) throw new DTypeException(name + ": expected a bool tensor, got " + t);
                yield t;
            }
        };
        RawTensor in = cast(x, computeIn);
        if (op == UnaryOp.CLAMP && !computeIn.isFloating()) {
            // integer kernels take the bounds as longs, where NaN ("no bound") would turn into a bound of 0
            if (Double.isNaN(param1)) param1 = Double.NEGATIVE_INFINITY;
            if (Double.isNaN(param2)) param2 = Double.POSITIVE_INFINITY;
        }
        RawTensor out = RawTensor.empty(name, in.shape, in.dtype(), in.device());
        in.backend().unary(op, in.view(), out.view(), param1, param2);
        return out;
    }

    public static RawTensor unary(UnaryOp op, RawTensor x) {
        return unary(op, x, 0, 0);
    }

    public static RawTensor binary(String name, BinaryOp op, RawTensor a, RawTensor b) {
        checkSameDevice(name, a, b);
        long[] shape = Shapes.broadcast(name, a.shape, b.shape);
        DType t = computeType(name, op, resultType(a, b));
        RawTensor ca = cast(a, t), cb = cast(b, t);
        DType outType = op.isComparison() ? DType.BOOL : t;
        RawTensor out = RawTensor.empty(name, shape, outType, a.device());
        a.backend().binary(op, bview(ca, shape), bview(cb, shape), out.view());
        return out;
    }

    /**
     * {@code self = self op b} computed straight into self, for the in-place forms: one pass and
     * no temporary. Returns false, having done nothing, when the result would need another dtype
     * or shape, self is not dense, or b overlaps self other than element for element; the caller
     * then computes a new tensor and copies it in.
     */
    public static boolean binaryInPlace(String name, BinaryOp op, RawTensor self, RawTensor b) {
        if (op.isComparison() || op == BinaryOp.POW || !self.isContiguous()) return false;
        checkSameDevice(name, self, b);
        long[] shape = Shapes.broadcast(name, self.shape, b.shape);
        if (!Shapes.same(shape, self.shape) || computeType(name, op, resultType(self, b)) != self.dtype()) return false;
        if (b.storage == self.storage && !(b.offset == self.offset && Shapes.same(b.shape, self.shape)
                && java.util.Arrays.equals(b.strides, self.strides))) {
            return false;
        }
        RawTensor cb = cast(b, self.dtype());
        self.backend().binary(op, self.view(), bview(cb, shape), self.view());
        return true;
    }

    /** {@code self = self op s} straight into self; false, having done nothing, as {@link #binaryInPlace}. */
    public static boolean binaryScalarInPlace(String name, BinaryOp op, RawTensor self, double s, boolean sFloating) {
        if (op.isComparison() || op == BinaryOp.POW || !self.isContiguous()) return false;
        if (computeType(name, op, resultType(self.dtype(), sFloating)) != self.dtype()) return false;
        if (self.dtype() == DType.INT64 && !sFloating) Int64Conversion.checkExactScalar(name, s);
        self.backend().binaryScalar(op, self.view(), s, false, self.view());
        return true;
    }

    public static RawTensor binaryScalar(String name, BinaryOp op, RawTensor a, double s, boolean sFloating, boolean reversed) {
        DType t = computeType(name, op, resultType(a.dtype(), sFloating));
        if (t == DType.INT64 && !sFloating) Int64Conversion.checkExactScalar(name, s);
        if (op == BinaryOp.POW && !reversed && !t.isFloating() && s < 0) {
            // PyTorch checks this before any kernel runs, on every device
            throw new DTypeException(name + ": Integers to negative integer powers are not allowed.");
        }
        RawTensor ca = cast(a, t);
        DType outType = op.isComparison() ? DType.BOOL : t;
        RawTensor out = RawTensor.empty(name, a.shape, outType, a.device());
        a.backend().binaryScalar(op, ca.view(), s, reversed, out.view());
        return out;
    }

    /** The dtype the kernel computes in: division is always floating; subtraction refuses bools. */
    private static DType computeType(String name, BinaryOp op, DType t) {
        if (op == BinaryOp.DIV && !t.isFloating()) return DType.FLOAT32;
        if (op == BinaryOp.SUB && t == DType.BOOL) {
            throw new DTypeException(name + ": subtraction, the `-` operator, with two bool tensors is not supported;"
                    + " use the `^` or `logical_xor()` operator instead");
        }
        return t;
    }

    public static RawTensor where(RawTensor cond, RawTensor a, RawTensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new DTypeException("where: expected condition to be a bool tensor, got " + cond.dtype());
        }
        checkSameDevice("where", cond, a);
        checkSameDevice("where", a, b);
        long[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        DType t = resultType(a, b);
        RawTensor out = RawTensor.empty("where", shape, t, a.device());
        a.backend().where(bview(cond, shape), bview(cast(a, t), shape), bview(cast(b, t), shape), out.view());
        return out;
    }

    /** Writes {@code src} (broadcast to dst's shape, converted to dst's dtype) into {@code dst} in place. */
    public static void copyInto(String name, RawTensor dst, RawTensor src) {
        checkSameDevice(name, dst, src);
        long[] shape = Shapes.broadcast(name, dst.shape, src.shape);
        if (!Shapes.same(shape, dst.shape)) {
            throw new io.flambeau.core.ShapeException(name + ": cannot write a tensor of shape " + Shapes.format(src.shape)
                    + " into a region of shape " + Shapes.format(dst.shape));
        }
        if (dst.storage == src.storage) src = clone(src); // overlapping views: read everything first
        dst.backend().copy(bview(src, shape), dst.view());
    }

    public static void fill(RawTensor dst, double value) {
        dst.backend().fill(dst.view(), value);
    }

    /** {@code x} presented with the given (broadcast) shape, as a kernel operand. */
    static io.flambeau.backend.View bview(RawTensor x, long[] shape) {
        if (Shapes.same(x.shape, shape)) return x.view();
        return new io.flambeau.backend.View(x.storage, x.offset, shape, Shapes.broadcastStrides(x.shape, x.strides, shape));
    }
}
