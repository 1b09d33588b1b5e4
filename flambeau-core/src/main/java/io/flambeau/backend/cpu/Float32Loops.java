package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float32 inner loops for the hot elementwise ops. Each returns false when it has no
 * fast form for the op or stride pattern, and the caller falls back to the scalar loop. Results
 * are bit-identical to the scalar loop (IEEE add/sub/mul/div; max/min with NaN handled).
 */
final class Float32Loops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Float32Loops() {}

    /**
     * The ReLU of the vector kernels, {@code x < 0 ? 0 : x}: NaN and -0.0 stay as they are (the
     * comparison is false for both), as in PyTorch's {@code clamp_min(x, 0)}. The unary RELU and
     * the products that store a linear layer's output through it ({@link SgemmDirect},
     * {@link SgemmSkinny}) all use this one.
     */
    static float relu(float x) {
        return x < 0 ? 0f : x;
    }

    /** {@link #relu(float)} lane by lane. */
    static FloatVector relu(FloatVector v) {
        return v.blend(FloatVector.zero(S), v.compare(VectorOperators.LT, 0f)); // S: every kernel here uses SPECIES_PREFERRED
    }

    /**
     * ReLU's gradient g masked by its result y, {@code y <= 0 ? 0 : g} (a NaN y passes g): the one
     * definition that THRESHOLD_BACKWARD and the fused first-layer backward ({@link ReluLinearGrads}) share.
     */
    static float thresholdBackward(float g, float y) {
        return y <= 0 ? 0f : g;
    }

    /** {@link #thresholdBackward(float, float)} lane by lane. */
    static FloatVector thresholdBackward(FloatVector g, FloatVector y) {
        return g.blend(FloatVector.zero(S), y.compare(VectorOperators.LE, 0f));
    }

    static boolean unary(UnaryOp op, float[] a, int oa, float[] o, int oc, int n, float p, float q) {
        int i = 0;
        int bound = S.loopBound(n);
        switch (op) {
            case RELU -> {
                for (; i < bound; i += S.length()) relu(FloatVector.fromArray(S, a, oa + i)).intoArray(o, oc + i);
                for (; i < n; i++) o[oc + i] = relu(a[oa + i]);
                return true;
            }
            case NEG -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, a, oa + i).neg().intoArray(o, oc + i);
                for (; i < n; i++) o[oc + i] = -a[oa + i];
                return true;
            }
            case SQUARE -> {
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, a, oa + i);
                    v.mul(v).intoArray(o, oc + i);
                }
                for (; i < n; i++) { float x = a[oa + i]; o[oc + i] = x * x; }
                return true;
            }
            case ABS -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, a, oa + i).abs().intoArray(o, oc + i);
                for (; i < n; i++) o[oc + i] = Math.abs(a[oa + i]);
                return true;
            }
            case SQRT -> {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, a, oa + i).sqrt().intoArray(o, oc + i);
                for (; i < n; i++) o[oc + i] = (float) Math.sqrt(a[oa + i]);
                return true;
            }
            case RECIPROCAL -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += S.length()) one.div(FloatVector.fromArray(S, a, oa + i)).intoArray(o, oc + i);
                for (; i < n; i++) o[oc + i] = 1f / a[oa + i];
                return true;
            }
            case CLAMP -> {
                // compare-and-select, as the scalar form: NaN stays NaN and -0.0 is not replaced by a 0.0 bound
                boolean hasLo = !Float.isNaN(p), hasHi = !Float.isNaN(q);
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, a, oa + i);
                    if (hasLo) v = v.blend(p, v.compare(VectorOperators.LT, p));
                    if (hasHi) v = v.blend(q, v.compare(VectorOperators.GT, q));
                    v.intoArray(o, oc + i);
                }
                for (; i < n; i++) {
                    float x = a[oa + i];
                    if (hasLo && x < p) x = p;
                    if (hasHi && x > q) x = q;
                    o[oc + i] = x;
                }
                return true;
            }
            default -> { return Float32Math.unary(op, a, oa, o, oc, n); }
        }
    }

    /** {@code o[oc+i] = a[oa+i*sa] op b[ob+i*sb]} for unit or zero input strides and a dense output. */
    static boolean binary(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        if ((sa != 1 && sa != 0) || (sb != 1 && sb != 0)) return false;
        // one loop per operator: the JIT only turns a lanewise op into a SIMD instruction when the
        // operator is a constant at the call site
        switch (op) {
            case ADD -> add(a, oa, sa, b, ob, sb, o, oc, n);
            case SUB -> sub(a, oa, sa, b, ob, sb, o, oc, n);
            case MUL -> mul(a, oa, sa, b, ob, sb, o, oc, n);
            case DIV -> div(a, oa, sa, b, ob, sb, o, oc, n);
            case MAXIMUM, MINIMUM -> extremum(op == BinaryOp.MAXIMUM, a, oa, sa, b, ob, sb, o, oc, n);
            case THRESHOLD_BACKWARD -> thresholdBackward(a, oa, sa, b, ob, sb, o, oc, n);
            default -> { return false; }
        }
        return true;
    }

    /** {@code b <= 0 ? 0 : a}: ReLU's gradient a masked by the result b. */
    private static void thresholdBackward(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        for (; i < bound; i += L) {
            FloatVector x = sa == 1 ? FloatVector.fromArray(S, a, oa + i) : FloatVector.broadcast(S, a[oa]);
            FloatVector y = sb == 1 ? FloatVector.fromArray(S, b, ob + i) : FloatVector.broadcast(S, b[ob]);
            thresholdBackward(x, y).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = thresholdBackward(a[oa + i * sa], b[ob + i * sb]);
    }

    /** Math.max/min semantics, which are PyTorch's maximum/minimum: NaN wins, -0.0 < 0.0. */
    private static void extremum(boolean max, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        for (; i < bound; i += L) {
            FloatVector x = sa == 1 ? FloatVector.fromArray(S, a, oa + i) : FloatVector.broadcast(S, a[oa]);
            FloatVector y = sb == 1 ? FloatVector.fromArray(S, b, ob + i) : FloatVector.broadcast(S, b[ob]);
            (max ? x.max(y) : x.min(y)).intoArray(o, oc + i);
        }
        for (; i < n; i++) {
            float x = a[oa + i * sa], y = b[ob + i * sb];
            o[oc + i] = max ? Math.max(x, y) : Math.min(x, y);
        }
    }

    /**
     * {@code o[w+i] = c[oc+i] ? a[oa+i*sa] : b[ob+i*sb]} with a dense mask and unit or zero value
     * strides, as a lane blend: a per-element branch on a random mask mispredicts half the time.
     */
    static boolean where(boolean[] c, int oc, int scond, float[] a, int oa, int sa, float[] b, int ob, int sb,
                         float[] o, int w, int n) {
        if (scond != 1 || (sa != 1 && sa != 0) || (sb != 1 && sb != 0)) return false;
        int i = 0, bound = S.loopBound(n), L = S.length();
        for (; i < bound; i += L) {
            FloatVector x = sa == 1 ? FloatVector.fromArray(S, a, oa + i) : FloatVector.broadcast(S, a[oa]);
            FloatVector y = sb == 1 ? FloatVector.fromArray(S, b, ob + i) : FloatVector.broadcast(S, b[ob]);
            y.blend(x, VectorMask.fromArray(S, c, oc + i)).intoArray(o, w + i);
        }
        for (; i < n; i++) o[w + i] = c[oc + i] ? a[oa + i * sa] : b[ob + i * sb];
        return true;
    }

    /** {@code o[oc+i] = a[oa+i*sa] cmp b[ob+i*sb]} into bools, for unit or zero input strides. */
    static boolean compare(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, boolean[] o, int oc, int n) {
        if ((sa != 1 && sa != 0) || (sb != 1 && sb != 0) || !op.isComparison()) return false;
        int i = 0, bound = S.loopBound(n), L = S.length();
        for (; i < bound; i += L) {
            FloatVector x = sa == 1 ? FloatVector.fromArray(S, a, oa + i) : FloatVector.broadcast(S, a[oa]);
            FloatVector y = sb == 1 ? FloatVector.fromArray(S, b, ob + i) : FloatVector.broadcast(S, b[ob]);
            mask(op, x, y).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = op.apply((double) a[oa + i * sa], b[ob + i * sb]) != 0;
        return true;
    }

    /**
     * Every comparison from {@code lt} and {@code eq} alone: those two are always compiled to
     * vector compares, where {@code compare(operator, ...)} with a non-constant operator falls
     * back to a lane-by-lane loop. NaN: every ordered test is false and NE is true, as in Java.
     */
    private static VectorMask<Float> mask(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case EQ -> x.eq(y);
            case NE -> x.eq(y).not();
            case LT -> x.lt(y);
            case LE -> x.lt(y).or(x.eq(y));
            case GT -> y.lt(x);
            default -> y.lt(x).or(x.eq(y)); // GE
        };
    }

    private static void add(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).add(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[ob]);
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).add(bv).intoArray(o, oc + i);
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            for (; i < bound; i += L) av.add(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = a[oa + i * sa] + b[ob + i * sb];
    }

    private static void sub(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).sub(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[ob]);
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).sub(bv).intoArray(o, oc + i);
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            for (; i < bound; i += L) av.sub(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = a[oa + i * sa] - b[ob + i * sb];
    }

    private static void mul(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).mul(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[ob]);
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).mul(bv).intoArray(o, oc + i);
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            for (; i < bound; i += L) av.mul(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = a[oa + i * sa] * b[ob + i * sb];
    }

    private static void div(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        if (sa == 1 && sb == 1) {
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).div(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        } else if (sa == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[ob]);
            for (; i < bound; i += L) FloatVector.fromArray(S, a, oa + i).div(bv).intoArray(o, oc + i);
        } else if (sb == 1) {
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            for (; i < bound; i += L) av.div(FloatVector.fromArray(S, b, ob + i)).intoArray(o, oc + i);
        }
        for (; i < n; i++) o[oc + i] = a[oa + i * sa] / b[ob + i * sb];
    }

    /** {@code acc[j] += a[oa + j]} for j below n. */
    static void addInto(float[] acc, float[] a, int oa, int n) {
        int i = 0, bound = S.loopBound(n), L = S.length();
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, acc, i).add(FloatVector.fromArray(S, a, oa + i)).intoArray(acc, i);
        }
        for (; i < n; i++) acc[i] += a[oa + i];
    }

    /**
     * Sum in double of float blocks: each block of {@link #SUM_BLOCK} elements is added in four
     * float vector accumulators (enough loads in flight to keep up with memory), then folded into
     * a double, so the error grows with the block size, not with n: as accurate as PyTorch's
     * cascade summation for any length.
     */
    static double sum(float[] a, int oa, int n) {
        // blocks from the first line start: their loads then never straddle two lines
        int start = LineAlignment.floatsToLine(oa, n);
        double total = 0;
        for (int i = 0; i < start; i++) total += a[oa + i];
        for (; start < n; start += SUM_BLOCK) {
            total += blockSum(a, oa + start, Math.min(SUM_BLOCK, n - start));
        }
        return total;
    }

    private static final int SUM_BLOCK = 8192;

    private static double blockSum(float[] a, int base, int len) {
        int step = S.length(), i = 0, bound = S.loopBound(len);
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (; i + 4 * step <= bound; i += 4 * step) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, base + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, base + i + step));
            acc2 = acc2.add(FloatVector.fromArray(S, a, base + i + 2 * step));
            acc3 = acc3.add(FloatVector.fromArray(S, a, base + i + 3 * step));
        }
        for (; i < bound; i += step) acc0 = acc0.add(FloatVector.fromArray(S, a, base + i));
        double s = LaneSum.of(acc0.add(acc1).add(acc2.add(acc3)));   // one order in every JIT tier
        for (; i < len; i++) s += a[base + i];
        return s;
    }
}
