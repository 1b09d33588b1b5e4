package io.flambeau.backend.cuda;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;

/**
 * The emitter's op table: for every {@link UnaryOp}, {@link BinaryOp}, cast and select, the PTX that
 * computes it on values held in registers, written to match the scalar meaning the CPU backend
 * defines ({@code UnaryOp.apply}, {@code BinaryOp.apply}, Java casts) bit for bit where IEEE allows:
 * <ul>
 *   <li>float32 values compute in f32 ({@code .rn} everywhere, so no contraction into fma); ops whose CPU
 *       meaning involves a double parameter (leaky ReLU, clamp) or a hard function (sin, cos, pow)
 *       compute in f64 and round once, exactly like {@code (float) op.apply((double) x, p, q)};</li>
 *   <li>int64 and bool values compute as s64 (bools load as 0/1 and store as {@code != 0});</li>
 *   <li>comparisons are ordered ({@code setp.lt} is false on NaN) except {@code !=}, which Java defines as
 *       unordered ({@code setp.neu}); maximum/minimum propagate NaN ({@code max.f32} alone would not).</li>
 * </ul>
 */
final class PtxOps {
    /** The register class a value lives in. */
    enum RegClass { F32, F64, I64, PRED }

    /** A value in a register. */
    record Value(String reg, RegClass cls) {}

    private PtxOps() {}

    /** Register class used to compute on elements of {@code t}. */
    static RegClass classOf(DType t) {
        return switch (t) {
            case FLOAT32 -> RegClass.F32;
            case FLOAT64 -> RegClass.F64;
            case INT64, BOOL -> RegClass.I64;
        };
    }

    static String fresh(PtxBuilder b, RegClass c) {
        return switch (c) {
            case F32 -> b.f32();
            case F64 -> b.f64();
            case I64 -> b.b64();
            case PRED -> b.pred();
        };
    }

    private static String t(RegClass c) { return c == RegClass.F32 ? "f32" : "f64"; }

    private static String one(RegClass c) { return c == RegClass.F32 ? "0f3F800000" : "0d3FF0000000000000"; }

    private static String zero(RegClass c) { return c == RegClass.F32 ? "0f00000000" : "0d0000000000000000"; }

    // ---- unary ----------------------------------------------------------------------------------

    /** {@code op(x)}; the op's parameters are f64 registers for float x, s64 registers for integer x. */
    static Value unary(PtxBuilder b, UnaryOp op, Value x, String param1, String param2) {
        return x.cls == RegClass.I64 ? intUnary(b, op, x.reg, param1, param2) : floatUnary(b, op, x, param1, param2);
    }

    /**
     * The float template of every op: an exhaustive switch, so the compiler refuses a {@link UnaryOp}
     * without its PTX. Each case returns the register holding the result.
     */
    private static Value floatUnary(PtxBuilder b, UnaryOp op, Value x, String param1, String param2) {
        RegClass c = x.cls;
        boolean single = c == RegClass.F32;
        String tt = t(c), v = x.reg;
        String d = switch (op) {
            case NEG -> ins(b, c, "neg.%s %s, %s", tt, v);
            case ABS -> ins(b, c, "abs.%s %s, %s", tt, v);
            case SIGN -> { // x > 0 ? 1 : x < 0 ? -1 : x + 0 (NaN stays NaN; ±0 gives +0, as PyTorch)
                String pg = b.pred(), pl = b.pred(), d0 = fresh(b, c), d1 = fresh(b, c), r = fresh(b, c);
                b.ins("setp.gt.%s %s, %s, %s", tt, pg, v, zero(c));
                b.ins("setp.lt.%s %s, %s, %s", tt, pl, v, zero(c));
                b.ins("add.rn.%s %s, %s, %s", tt, d0, v, zero(c));
                b.ins("selp.%s %s, %s, %s, %s", tt, d1, one(c), d0, pg);
                b.ins("selp.%s %s, %s, %s, %s", tt, r, single ? "0fBF800000" : "0dBFF0000000000000", d1, pl);
                yield r;
            }
            case EXP -> single ? PtxMath32.exp(b, v) : PtxMath64.exp(b, v);
            case LOG -> single ? PtxMath32.log(b, v) : PtxMath64.log(b, v);
            case SQRT -> ins(b, c, "sqrt.rn.%s %s, %s", tt, v);
            case SQUARE -> ins(b, c, "mul.rn.%s %s, %s, %s", tt, v, v);
            case SIN -> single ? PtxMath32.viaDouble(b, v, PtxMath64::sin) : PtxMath64.sin(b, v);
            case COS -> single ? PtxMath32.viaDouble(b, v, PtxMath64::cos) : PtxMath64.cos(b, v);
            case TANH -> single ? PtxMath32.tanh(b, v) : PtxMath64.tanh(b, v);
            case SIGMOID -> single ? PtxMath32.sigmoid(b, v) : PtxMath64.sigmoid(b, v);
            case RELU -> { // x < 0 ? 0 : x: NaN and -0.0 pass through, as PyTorch's clamp_min(x, 0)
                String lt = b.pred(), r = fresh(b, c);
                b.ins("setp.lt.%s %s, %s, %s", tt, lt, v, zero(c));
                b.ins("selp.%s %s, %s, %s, %s", tt, r, zero(c), v, lt);
                yield r;
            }
            case LEAKY_RELU -> inDouble(b, x, xd -> {
                String neg = b.pred(), m = b.f64(), r = b.f64();
                b.ins("setp.lt.f64 %s, %s, 0d0000000000000000", neg, xd);
                b.ins("mul.rn.f64 %s, %s, %s", m, xd, param1);
                b.ins("selp.f64 %s, %s, %s, %s", r, m, xd, neg);
                return r;
            });
            case CLAMP -> inDouble(b, x, xd -> { // a NaN bound compares false: no bound
                String lt = b.pred(), gt = b.pred(), r1 = b.f64(), r2 = b.f64();
                b.ins("setp.lt.f64 %s, %s, %s", lt, xd, param1);
                b.ins("selp.f64 %s, %s, %s, %s", r1, param1, xd, lt);
                b.ins("setp.gt.f64 %s, %s, %s", gt, r1, param2);
                b.ins("selp.f64 %s, %s, %s, %s", r2, param2, r1, gt);
                return r2;
            });
            case RECIPROCAL -> ins(b, c, "rcp.rn.%s %s, %s", tt, v);
            // the rarer functions compute in f64 and round once, as the CPU's (float) op.apply(x)
            case LOG1P -> inDouble(b, x, xd -> PtxMath64.log1p(b, xd));
            case EXPM1 -> inDouble(b, x, xd -> PtxMath64.expm1Everywhere(b, xd));
            case ERF -> inDouble(b, x, xd -> PtxErf.erf(b, xd));
            case GELU -> inDouble(b, x, xd -> { // x * 0.5 * (1 + erf(x / sqrt 2))
                String h = b.f64(), e = PtxErf.erf(b, mulConst(b, xd, 0.70710678118654752440)), s = b.f64(), r = b.f64();
                b.ins("mul.rn.f64 %s, %s, 0d3FE0000000000000", h, xd);
                b.ins("add.rn.f64 %s, %s, 0d3FF0000000000000", s, e);
                b.ins("mul.rn.f64 %s, %s, %s", r, h, s);
                return r;
            });
            case GELU_TANH -> inDouble(b, x, xd -> { // 0.5 * x * (1 + tanh(beta * (x + kappa * x^3)))
                String x2 = b.f64(), x3 = b.f64(), in = b.f64(), h = b.f64(), s = b.f64(), r = b.f64();
                b.ins("mul.rn.f64 %s, %s, %s", x2, xd, xd);
                b.ins("mul.rn.f64 %s, %s, %s", x3, x2, xd);
                b.ins("mul.rn.f64 %s, %s, %s", x3, x3, PtxBuilder.f64(0.044715));
                b.ins("add.rn.f64 %s, %s, %s", in, xd, x3);
                String th = PtxMath64.tanh(b, mulConst(b, in, 1.41421356237309504880 * 1.12837916709551257390 * 0.5));
                b.ins("mul.rn.f64 %s, %s, 0d3FE0000000000000", h, xd);
                b.ins("add.rn.f64 %s, %s, 0d3FF0000000000000", s, th);
                b.ins("mul.rn.f64 %s, %s, %s", r, h, s);
                return r;
            });
            case NOT -> {
                String z = b.pred(), r = fresh(b, c);
                b.ins("setp.eq.%s %s, %s, %s", tt, z, v, zero(c));
                b.ins("selp.%s %s, %s, %s, %s", tt, r, one(c), zero(c), z);
                yield r;
            }
        };
        return new Value(d, c);
    }

    /** One instruction {@code format} with the destination, a fresh register of class c, before the operands. */
    private static String ins(PtxBuilder b, RegClass c, String format, String type, String... operands) {
        String d = fresh(b, c);
        Object[] args = new Object[operands.length + 2];
        args[0] = type;
        args[1] = d;
        System.arraycopy(operands, 0, args, 2, operands.length);
        b.ins(format, args);
        return d;
    }

    /** {@code x * k} in f64, k a Java constant. */
    private static String mulConst(PtxBuilder b, String x, double k) {
        String r = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", r, x, PtxBuilder.f64(k));
        return r;
    }

    /** Runs {@code body} on x widened to f64 and rounds the result back to x's class. */
    private static String inDouble(PtxBuilder b, Value x, java.util.function.UnaryOperator<String> body) {
        if (x.cls == RegClass.F64) return body.apply(x.reg);
        String xd = b.f64(), res = b.f32();
        b.ins("cvt.f64.f32 %s, %s", xd, x.reg);
        b.ins("cvt.rn.f32.f64 %s, %s", res, body.apply(xd));
        return res;
    }

    /** The int64 template of every op with an integer form; the floating-only ops are refused. */
    private static Value intUnary(PtxBuilder b, UnaryOp op, String v, String param1, String param2) {
        String d = switch (op) {
            case NEG -> ins(b, RegClass.I64, "neg.%s %s, %s", "s64", v);
            case ABS -> ins(b, RegClass.I64, "abs.%s %s, %s", "s64", v);
            case SIGN -> {
                String pg = b.pred(), pl = b.pred(), d1 = b.b64(), r = b.b64();
                b.ins("setp.gt.s64 %s, %s, 0", pg, v);
                b.ins("setp.lt.s64 %s, %s, 0", pl, v);
                b.ins("selp.b64 %s, 1, 0, %s", d1, pg);
                b.ins("selp.b64 %s, -1, %s, %s", r, d1, pl);
                yield r;
            }
            case SQUARE -> ins(b, RegClass.I64, "mul.lo.%s %s, %s, %s", "s64", v, v);
            case RELU -> ins(b, RegClass.I64, "max.%s %s, %s, 0", "s64", v);
            case CLAMP -> {
                String lo = b.b64(), r = b.b64();
                b.ins("max.s64 %s, %s, %s", lo, v, param1);
                b.ins("min.s64 %s, %s, %s", r, lo, param2);
                yield r;
            }
            case NOT -> {
                String z = b.pred(), r = b.b64();
                b.ins("setp.eq.s64 %s, %s, 0", z, v);
                b.ins("selp.b64 %s, 1, 0, %s", r, z);
                yield r;
            }
            case EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, LEAKY_RELU, RECIPROCAL, LOG1P, EXPM1, ERF, GELU, GELU_TANH ->
                    throw new DTypeException(op.torchName()
                            + ": not defined for integer or bool tensors on CUDA (cast to a floating dtype first)");
        };
        return new Value(d, RegClass.I64);
    }

    // ---- binary ---------------------------------------------------------------------------------

    /** {@code a op c}; comparisons give a PRED value, the rest a value of the operands' class. */
    static Value binary(PtxBuilder b, BinaryOp op, Value a, Value c) {
        return a.cls == RegClass.I64 ? intBinary(b, op, a.reg, c.reg) : floatBinary(b, op, a, c);
    }

    private static Value floatBinary(PtxBuilder b, BinaryOp op, Value a, Value c) {
        RegClass k = a.cls;
        boolean single = k == RegClass.F32;
        String tt = t(k), x = a.reg, y = c.reg, d = fresh(b, k);
        switch (op) {
            case ADD -> b.ins("add.rn.%s %s, %s, %s", tt, d, x, y);
            case SUB -> b.ins("sub.rn.%s %s, %s, %s", tt, d, x, y);
            case MUL -> b.ins("mul.rn.%s %s, %s, %s", tt, d, x, y);
            case DIV -> b.ins("div.rn.%s %s, %s, %s", tt, d, x, y);
            case POW -> d = single ? PtxMath32.pow(b, x, y) : PtxMath64.pow(b, x, y);
            case MAXIMUM, MINIMUM -> { // NaN in either operand gives NaN
                String m = fresh(b, k), nan = b.pred(), s = fresh(b, k);
                b.ins("%s.%s %s, %s, %s", op == BinaryOp.MAXIMUM ? "max" : "min", tt, m, x, y);
                b.ins("setp.nan.%s %s, %s, %s", tt, nan, x, y);
                b.ins("add.rn.%s %s, %s, %s", tt, s, x, y);
                b.ins("selp.%s %s, %s, %s, %s", tt, d, s, m, nan);
            }
            case EQ, NE, LT, LE, GT, GE -> {
                String p = b.pred();
                b.ins("setp.%s.%s %s, %s, %s", floatCompare(op), tt, p, x, y);
                return new Value(p, RegClass.PRED);
            }
            case AND, OR -> { // nonzero (NaN too) is true
                String pa = b.pred(), pc = b.pred();
                b.ins("setp.neu.%s %s, %s, %s", tt, pa, x, zero(k));
                b.ins("setp.neu.%s %s, %s, %s", tt, pc, y, zero(k));
                b.ins("%s.pred %s, %s, %s", op == BinaryOp.AND ? "and" : "or", pa, pa, pc);
                b.ins("selp.%s %s, %s, %s, %s", tt, d, one(k), zero(k), pa);
            }
            case THRESHOLD_BACKWARD -> { // y <= 0 ? 0 : x (a NaN y passes x through)
                String p = b.pred();
                b.ins("setp.le.%s %s, %s, %s", tt, p, y, zero(k));
                b.ins("selp.%s %s, %s, %s, %s", tt, d, zero(k), x, p);
            }
        }
        return new Value(d, k);
    }

    private static String floatCompare(BinaryOp op) {
        return switch (op) {
            case EQ -> "eq";
            case NE -> "neu"; // Java's != is true when either side is NaN
            case LT -> "lt";
            case LE -> "le";
            case GT -> "gt";
            default -> "ge";
        };
    }

    private static Value intBinary(PtxBuilder b, BinaryOp op, String x, String y) {
        String d = b.b64();
        switch (op) {
            case ADD -> b.ins("add.s64 %s, %s, %s", d, x, y);
            case SUB -> b.ins("sub.s64 %s, %s, %s", d, x, y);
            case MUL -> b.ins("mul.lo.s64 %s, %s, %s", d, x, y);
            case DIV -> d = floorDiv(b, x, y);
            case POW -> d = intPow(b, x, y);
            case MAXIMUM -> b.ins("max.s64 %s, %s, %s", d, x, y);
            case MINIMUM -> b.ins("min.s64 %s, %s, %s", d, x, y);
            case EQ, NE, LT, LE, GT, GE -> {
                String p = b.pred();
                b.ins("setp.%s.s64 %s, %s, %s", op.name().toLowerCase(java.util.Locale.ROOT), p, x, y);
                return new Value(p, RegClass.PRED);
            }
            case AND, OR -> {
                String pa = b.pred(), pc = b.pred();
                b.ins("setp.ne.s64 %s, %s, 0", pa, x);
                b.ins("setp.ne.s64 %s, %s, 0", pc, y);
                b.ins("%s.pred %s, %s, %s", op == BinaryOp.AND ? "and" : "or", pa, pa, pc);
                b.ins("selp.b64 %s, 1, 0, %s", d, pa);
            }
            case THRESHOLD_BACKWARD -> {
                String p = b.pred();
                b.ins("setp.le.s64 %s, %s, 0", p, y);
                b.ins("selp.b64 %s, 0, %s, %s", d, x, p);
            }
        }
        return new Value(d, RegClass.I64);
    }

    /**
     * {@code Math.floorDiv(x, y)}. The GPU cannot throw: division by zero gives 0, and
     * {@code Long.MIN_VALUE / -1} wraps as in Java. Neither divides by zero nor overflows in PTX.
     */
    private static String floorDiv(PtxBuilder b, String x, String y) {
        String z = b.pred(), m1 = b.pred(), bad = b.pred(), ys = b.b64(), qt = b.b64(), pr = b.b64(), r = b.b64();
        b.ins("setp.eq.s64 %s, %s, 0", z, y);
        b.ins("setp.eq.s64 %s, %s, -1", m1, y);
        b.ins("or.pred %s, %s, %s", bad, z, m1);
        b.ins("selp.b64 %s, 1, %s, %s", ys, y, bad);
        b.ins("div.s64 %s, %s, %s", qt, x, ys);
        b.ins("mul.lo.s64 %s, %s, %s", pr, qt, ys);
        b.ins("sub.s64 %s, %s, %s", r, x, pr);
        String nz = b.pred(), sx = b.b64(), sg = b.pred(), qa = b.b64(), q1 = b.b64(), nx = b.b64(), q2 = b.b64(), d = b.b64();
        b.ins("setp.ne.s64 %s, %s, 0", nz, r);
        b.ins("xor.b64 %s, %s, %s", sx, r, ys);
        b.ins("setp.lt.s64 %s, %s, 0", sg, sx);
        b.ins("and.pred %s, %s, %s", nz, nz, sg); // remainder with the divisor's opposite sign: round down
        b.ins("sub.s64 %s, %s, 1", qa, qt);
        b.ins("selp.b64 %s, %s, %s, %s", q1, qa, qt, nz);
        b.ins("neg.s64 %s, %s", nx, x);
        b.ins("selp.b64 %s, %s, %s, %s", q2, nx, q1, m1);
        b.ins("selp.b64 %s, 0, %s, %s", d, q2, z);
        return d;
    }

    /**
     * Integer power by squaring (wrapping like Java's long arithmetic). A negative exponent gives 1 for
     * base 1, ±1 for base -1 and 0 otherwise, as on the CPU and in PyTorch.
     */
    private static String intPow(PtxBuilder b, String x, String e) {
        String negE = b.pred(), one = b.pred(), mone = b.pred(), eb = b.b64(), odd = b.pred();
        String mres = b.b64(), nres = b.b64(), ee = b.b64(), res = b.b64(), base = b.b64();
        b.ins("setp.lt.s64 %s, %s, 0", negE, e);
        b.ins("setp.eq.s64 %s, %s, 1", one, x);
        b.ins("setp.eq.s64 %s, %s, -1", mone, x);
        b.ins("and.b64 %s, %s, 1", eb, e);
        b.ins("setp.ne.s64 %s, %s, 0", odd, eb);
        b.ins("selp.b64 %s, -1, 1, %s", mres, odd);
        b.ins("selp.b64 %s, %s, 0, %s", nres, mres, mone);
        b.ins("selp.b64 %s, 1, %s, %s", nres, nres, one);
        b.ins("selp.b64 %s, 0, %s, %s", ee, e, negE);
        b.ins("mov.b64 %s, 1", res);
        b.ins("mov.b64 %s, %s", base, x);
        String loop = b.label("pow"), end = b.label("pow_end");
        String done = b.pred(), bit = b.b64(), pb = b.pred(), t = b.b64(), d = b.b64();
        b.place(loop);
        b.ins("setp.eq.s64 %s, %s, 0", done, ee);
        b.ins("@%s bra %s", done, end);
        b.ins("and.b64 %s, %s, 1", bit, ee);
        b.ins("setp.ne.s64 %s, %s, 0", pb, bit);
        b.ins("mul.lo.s64 %s, %s, %s", t, res, base);
        b.ins("selp.b64 %s, %s, %s, %s", res, t, res, pb);
        b.ins("mul.lo.s64 %s, %s, %s", base, base, base);
        b.ins("shr.u64 %s, %s, 1", ee, ee);
        b.ins("bra %s", loop);
        b.place(end);
        b.ins("selp.b64 %s, %s, %s, %s", d, nres, res, negE);
        return d;
    }

    // ---- casts ----------------------------------------------------------------------------------

    /**
     * Converts a loaded value to the class that stores as {@code to}, with Java's cast rules: float to
     * int64 truncates and saturates with NaN → 0; int64 to float32 rounds through double (as
     * {@code (float) (double) l}); anything to bool is {@code != 0} (NaN counts as true).
     */
    static Value convert(PtxBuilder b, Value v, DType to) {
        RegClass target = to == DType.BOOL ? RegClass.PRED : classOf(to);
        if (v.cls == target || (to == DType.BOOL && v.cls == RegClass.I64)) return v; // bool stores test != 0
        String d = fresh(b, target);
        switch (v.cls) {
            case F32, F64 -> {
                String tt = t(v.cls);
                switch (target) {
                    case F32 -> b.ins("cvt.rn.f32.f64 %s, %s", d, v.reg);
                    case F64 -> b.ins("cvt.f64.f32 %s, %s", d, v.reg);
                    case I64 -> {
                        String raw = b.b64(), nan = b.pred();
                        b.ins("cvt.rzi.s64.%s %s, %s", tt, raw, v.reg);
                        b.ins("setp.nan.%s %s, %s, %s", tt, nan, v.reg, v.reg);
                        b.ins("selp.b64 %s, 0, %s, %s", d, raw, nan);
                    }
                    case PRED -> b.ins("setp.neu.%s %s, %s, %s", tt, d, v.reg, zero(v.cls));
                }
            }
            case I64 -> {
                switch (target) {
                    case F32 -> {
                        String wide = b.f64();
                        b.ins("cvt.rn.f64.s64 %s, %s", wide, v.reg);
                        b.ins("cvt.rn.f32.f64 %s, %s", d, wide);
                    }
                    case F64 -> b.ins("cvt.rn.f64.s64 %s, %s", d, v.reg);
                    default -> throw new IllegalStateException("no conversion from I64 to " + target);
                }
            }
            case PRED -> throw new IllegalStateException("predicates are only stored as bool");
        }
        return new Value(d, target);
    }
}
