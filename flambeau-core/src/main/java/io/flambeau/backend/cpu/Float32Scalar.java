package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;

/**
 * The scalar twins of {@link Float32Loops}, for JVMs without the Vector API module
 * ({@link CpuVectors}): the same ops, the same results (bit for bit, as {@link UnaryOp#apply} and
 * {@link BinaryOp#apply} define them), written so that C2 compiles them to SIMD code by itself.
 * Each returns false when it has no fast form, and the caller's generic loop runs.
 *
 * <p>What C2 (JDK 25) needs to vectorise a loop, measured on the spiral step: a counted int loop,
 * no branch on the data (a select it compiles as a jump, which mispredicts on random signs: ReLU
 * ran 50 times slower as {@code x <= 0 ? 0 : x} than as {@code Math.max}), and every array read
 * at the <em>same</em> index as the array written. Two {@code float[]} may be one array, so with
 * different offsets ({@code o[oc + i] = a[oa + i]}) C2 cannot rule out that a store feeds a later
 * load and compiles the loop one element at a time (8 times slower). So each op's loop is written
 * once over one index range ({@code o[i] = f(a[i])}); runs whose offsets agree (dense operands of
 * the same shape, the usual case, and each thread's share of them) go straight to it, and the
 * others are staged through per-thread scratch chunks with {@link System#arraycopy}.
 */
final class Float32Scalar {
    private Float32Scalar() {}

    /** Elements per scratch chunk: three chunks stay in the level-1 cache. */
    private static final int CHUNK = 2048;
    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[][] {new float[CHUNK], new float[CHUNK]});

    static boolean unary(UnaryOp op, float[] a, int oa, float[] o, int oc, int n, float p, float q) {
        switch (op) {
            case CLAMP, RELU, NEG, SQUARE, ABS, SQRT, RECIPROCAL -> { }
            default -> { return Float32Math.unary(op, a, oa, o, oc, n); }
        }
        if (oa == oc) {
            unaryRun(op, a, o, oc, oc + n, p, q);
            return true;
        }
        float[] s = SCRATCH.get()[0];
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            System.arraycopy(a, oa + start, s, 0, len);
            unaryRun(op, s, s, 0, len, p, q);
            System.arraycopy(s, 0, o, oc + start, len);
        }
        return true;
    }

    /** {@code o[i] = op(a[i])} for i in [from, to). */
    private static void unaryRun(UnaryOp op, float[] a, float[] o, int from, int to, float p, float q) {
        switch (op) {
            case CLAMP -> {
                // compare-and-select, as the generic form: NaN stays NaN, a -0.0 is not replaced by a 0.0 bound
                boolean hasLo = !Float.isNaN(p), hasHi = !Float.isNaN(q);
                for (int i = from; i < to; i++) {
                    float x = a[i];
                    if (hasLo && x < p) x = p;
                    if (hasHi && x > q) x = q;
                    o[i] = x;
                }
            }
            case RELU -> {
                // x < 0 ? 0 : x without a branch: s = min(signum x, 0) is -1, -0, +0 or NaN, and
                // s(s+1)(s+1/2) is +0 for s = -1 and -0 for s = -0, so the max gives +0 for a
                // negative x and keeps -0.0 and NaN, as UnaryOp.RELU does (Math.max(x, 0) alone
                // would turn -0.0 into 0.0)
                for (int i = from; i < to; i++) {
                    float x = a[i], s = Math.min(Math.signum(x), 0f);
                    o[i] = Math.max(x, s * ((s + 1f) * (s + 0.5f)));
                }
            }
            case NEG -> { for (int i = from; i < to; i++) o[i] = -a[i]; }
            case SQUARE -> { for (int i = from; i < to; i++) { float x = a[i]; o[i] = x * x; } }
            case ABS -> { for (int i = from; i < to; i++) o[i] = Math.abs(a[i]); }
            case SQRT -> { for (int i = from; i < to; i++) o[i] = (float) Math.sqrt(a[i]); }
            case RECIPROCAL -> { for (int i = from; i < to; i++) o[i] = 1f / a[i]; }
            default -> throw new IllegalStateException(op + " has no scalar run");
        }
    }

    /** {@code o[oc+i] = a[oa+i*sa] op b[ob+i*sb]} for unit or zero input strides and a dense output. */
    static boolean binary(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        if ((sa != 1 && sa != 0) || (sb != 1 && sb != 0) || (sa == 0 && sb == 0)) return false;
        boolean arithmetic = op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
        if (sa == 1 && sb == 1) {
            if (!arithmetic && op != BinaryOp.MAXIMUM && op != BinaryOp.MINIMUM && op != BinaryOp.THRESHOLD_BACKWARD) {
                return false;
            }
            if (oa == oc && ob == oc) {
                runs(op, a, b, o, oc, oc + n);
                return true;
            }
            float[][] s = SCRATCH.get();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                System.arraycopy(a, oa + start, s[0], 0, len);
                System.arraycopy(b, ob + start, s[1], 0, len);
                runs(op, s[0], s[1], s[0], 0, len);
                System.arraycopy(s[0], 0, o, oc + start, len);
            }
            return true;
        }
        if (!arithmetic) return false;
        // a run against one element of the other operand
        boolean runIsA = sa == 1;
        float[] r = runIsA ? a : b;
        int or = runIsA ? oa : ob;
        float y = runIsA ? b[ob] : a[oa];
        if (or == oc) {
            runScalar(op, runIsA, r, y, o, oc, oc + n);
            return true;
        }
        float[] s = SCRATCH.get()[0];
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            System.arraycopy(r, or + start, s, 0, len);
            runScalar(op, runIsA, s, y, s, 0, len);
            System.arraycopy(s, 0, o, oc + start, len);
        }
        return true;
    }

    /** {@code o[i] = a[i] op b[i]} for i in [from, to). */
    private static void runs(BinaryOp op, float[] a, float[] b, float[] o, int from, int to) {
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = from; i < to; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = from; i < to; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) o[i] = a[i] / b[i]; }
            case MAXIMUM -> { for (int i = from; i < to; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = from; i < to; i++) o[i] = Math.min(a[i], b[i]); }
            case THRESHOLD_BACKWARD -> {
                // b <= 0 ? 0 : a on the bits, without a branch (a select on random signs
                // mispredicts half the time): clear a where b is ±0, or negative and not NaN
                for (int i = from; i < to; i++) {
                    int bb = Float.floatToRawIntBits(b[i]), mag = bb & 0x7fffffff;
                    int zero = (mag - 1) >> 31, negative = bb >> 31, notNaN = (mag - 0x7f800001) >> 31;
                    o[i] = Float.intBitsToFloat(Float.floatToRawIntBits(a[i]) & ~(zero | (negative & notNaN)));
                }
            }
            default -> throw new IllegalStateException(op + " has no scalar run");
        }
    }

    /** {@code o[i] = r[i] op y} (or {@code y op r[i]} when the run is the right operand) for i in [from, to). */
    private static void runScalar(BinaryOp op, boolean runIsA, float[] r, float y, float[] o, int from, int to) {
        if (runIsA) {
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) o[i] = r[i] + y; }
                case SUB -> { for (int i = from; i < to; i++) o[i] = r[i] - y; }
                case MUL -> { for (int i = from; i < to; i++) o[i] = r[i] * y; }
                default -> { for (int i = from; i < to; i++) o[i] = r[i] / y; }
            }
        } else {
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) o[i] = y + r[i]; }
                case SUB -> { for (int i = from; i < to; i++) o[i] = y - r[i]; }
                case MUL -> { for (int i = from; i < to; i++) o[i] = y * r[i]; }
                default -> { for (int i = from; i < to; i++) o[i] = y / r[i]; }
            }
        }
    }
}
