package io.flambeau.backend.cuda.sim;

/**
 * Floating-point instructions. f32 values live in the low 32 bits of a register, f64 in all 64.
 *
 * <p>Round-to-nearest {@code add/sub/mul/div/fma/sqrt/rcp} use Java arithmetic and {@link Math#fma},
 * which are IEEE-exact and match the GPU bit for bit. Directed modes go through {@link Rounding}.
 * {@code .approx} functions ({@code ex2, lg2, sin, cos, tanh, rsqrt, rcp.approx, sqrt.approx}) are
 * computed as the exact math result rounded to the destination type: the GPU's answers differ by up
 * to the error bounds the PTX ISA gives, so tests must compare them with tolerances. {@code .ftz}
 * flushes subnormal inputs and results to sign-preserving zero; {@code .sat} clamps to [0, 1] with
 * NaN giving 0. min/max return the non-NaN input when one is NaN (both NaN: canonical NaN).
 * NaN payloads of arithmetic results follow Java, not the GPU's canonical 0x7FFFFFFF.
 */
final class FloatAlu {
    // binary sub-ops
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5, COPYSIGN = 6, MIN_NAN = 7, MAX_NAN = 8;
    // unary sub-ops
    static final int ABS = 20, NEG = 21, RCP = 22, SQRT = 23, RSQRT = 24, EX2 = 25, LG2 = 26, SIN = 27,
            COS = 28, TANH = 29, MOV = 30;
    // testp sub-ops
    static final int FINITE = 40, INFINITE = 41, NUMBER = 42, NOTANUMBER = 43, NORMAL = 44, SUBNORMAL = 45;

    static final float CANONICAL_NAN_F32 = Float.intBitsToFloat(0x7FFF_FFFF);
    static final double CANONICAL_NAN_F64 = Double.longBitsToDouble(0x7FFF_FFFF_FFFF_FFFFL);

    private FloatAlu() {}

    static float f(long bits) { return Float.intBitsToFloat((int) bits); }

    static long bits(float v) { return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL; }

    static double g(long bits) { return Double.longBitsToDouble(bits); }

    static long bits(double v) { return Double.doubleToRawLongBits(v); }

    static void exec(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int d = in.d * T, a = in.a * T, b = in.b * T, c = in.c * T;
        switch (in.op) {
            case ADD_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(f(r[a + t]) + f(r[b + t])); } }
            case SUB_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(f(r[a + t]) - f(r[b + t])); } }
            case MUL_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(f(r[a + t]) * f(r[b + t])); } }
            case DIV_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(f(r[a + t]) / f(r[b + t])); } }
            case FMA_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(Math.fma(f(r[a + t]), f(r[b + t]), f(r[c + t]))); } }
            case MIN_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(min(f(r[a + t]), f(r[b + t]))); } }
            case MAX_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(max(f(r[a + t]), f(r[b + t]))); } }
            case ADD_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(g(r[a + t]) + g(r[b + t])); } }
            case SUB_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(g(r[a + t]) - g(r[b + t])); } }
            case MUL_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(g(r[a + t]) * g(r[b + t])); } }
            case DIV_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(g(r[a + t]) / g(r[b + t])); } }
            case FMA_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(Math.fma(g(r[a + t]), g(r[b + t]), g(r[c + t]))); } }
            case MIN_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(min(g(r[a + t]), g(r[b + t]))); } }
            case MAX_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(max(g(r[a + t]), g(r[b + t]))); } }
            case F32_BINARY -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    float p = f(r[a + t]), q = f(r[b + t]);
                    if (in.ftz) { p = ftz(p); q = ftz(q); }
                    r[d + t] = bits(finish(binary32(in.sub, in.mode, p, q), in));
                }
            }
            case F32_FMA -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    float p = f(r[a + t]), q = f(r[b + t]), s = f(r[c + t]);
                    if (in.ftz) { p = ftz(p); q = ftz(q); s = ftz(s); }
                    r[d + t] = bits(finish(Math.fma(p, q, s), in));
                }
            }
            case F32_UNARY -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    float p = f(r[a + t]);
                    if (in.ftz) p = ftz(p);
                    r[d + t] = bits(finish(unary32(in.sub, in.mode, p), in));
                }
            }
            case F64_BINARY -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = bits(binary64(in.sub, in.mode, g(r[a + t]), g(r[b + t])));
                }
            }
            case F64_FMA -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = bits(Math.fma(g(r[a + t]), g(r[b + t]), g(r[c + t]))); } }
            case F64_UNARY -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    double p = g(r[a + t]);
                    if (in.ftz) p = ftz(p);
                    double v = unary64(in.sub, in.mode, p);
                    r[d + t] = bits(in.ftz ? ftz(v) : v);
                }
            }
            case SETP_F32, SETP_F64 -> setp(in, L, m, r, T, d, a, b);
            case TESTP_F32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = testp(in.sub, f(r[a + t])) ? 1 : 0; } }
            case TESTP_F64 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = testp(in.sub, g(r[a + t])) ? 1 : 0; } }
            default -> throw new IllegalStateException("not a float op: " + in.op);
        }
    }

    private static void setp(Insn in, int[] L, int m, long[] r, int T, int d, int a, int b) {
        boolean f32 = in.op == Op.SETP_F32;
        int c = in.c >= 0 ? in.c * T : -1;
        int d2 = in.d2 >= 0 ? in.d2 * T : -1;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            double p, q;
            if (f32) {
                float fp = f(r[a + t]), fq = f(r[b + t]);
                if (in.ftz) { fp = ftz(fp); fq = ftz(fq); }
                p = fp;
                q = fq;
            } else {
                p = g(r[a + t]);
                q = g(r[b + t]);
            }
            boolean res = Compare.doubles(in.sub, p, q);
            if (c < 0) {
                r[d + t] = res ? 1 : 0;
                if (d2 >= 0) r[d2 + t] = res ? 0 : 1;
            } else {
                boolean cv = (r[c + t] != 0) != in.negC;
                r[d + t] = Compare.combine(in.combine, res, cv) ? 1 : 0;
                if (d2 >= 0) r[d2 + t] = Compare.combine(in.combine, !res, cv) ? 1 : 0;
            }
        }
    }

    /** Applies {@code .ftz} to the result, then {@code .sat}. */
    private static float finish(float v, Insn in) {
        if (in.ftz) v = ftz(v);
        if (in.sat) v = saturate(v);
        return v;
    }

    static float binary32(int sub, int mode, float p, float q) {
        boolean nearest = mode == Rounding.RN || mode == Rounding.NONE;
        return switch (sub) {
            case ADD -> nearest ? p + q : addDirected(p, q, mode);
            case SUB -> nearest ? p - q : addDirected(p, -q, mode);
            case MUL -> nearest ? p * q : Rounding.toF32((double) p * q, 0, mode);
            case DIV -> nearest ? p / q : divDirected32(p, q, mode);
            case MIN -> min(p, q);
            case MAX -> max(p, q);
            case MIN_NAN -> p != p || q != q ? CANONICAL_NAN_F32 : Math.min(p, q);
            case MAX_NAN -> p != p || q != q ? CANONICAL_NAN_F32 : Math.max(p, q);
            case COPYSIGN -> Math.copySign(q, p);
            default -> throw new IllegalStateException("f32 binary " + sub);
        };
    }

    private static float addDirected(float p, float q, int mode) {
        double s = (double) p + (double) q;
        return Rounding.toF32(s, Rounding.sign(Rounding.sumError(p, q, s)), mode);
    }

    private static float divDirected32(float p, float q, int mode) {
        double qq = (double) p / (double) q;
        double rem = Math.fma(-qq, q, p);
        return Rounding.toF32(qq, Rounding.sign(rem) * (q < 0 ? -1 : 1), mode);
    }

    static float unary32(int sub, int mode, float p) {
        return switch (sub) {
            case ABS -> Math.abs(p);
            case NEG -> -p;
            case MOV -> p;
            case RCP -> mode == Rounding.RN || mode == Rounding.NONE ? 1.0f / p : divDirected32(1.0f, p, mode);
            case SQRT -> (float) Math.sqrt(p);
            case RSQRT -> (float) (1.0 / Math.sqrt(p));
            case EX2 -> (float) Math.pow(2.0, p);
            case LG2 -> (float) (Math.log(p) / Math.log(2.0));
            case SIN -> (float) Math.sin(p);
            case COS -> (float) Math.cos(p);
            case TANH -> (float) Math.tanh(p);
            default -> throw new IllegalStateException("f32 unary " + sub);
        };
    }

    static double binary64(int sub, int mode, double p, double q) {
        boolean nearest = mode == Rounding.RN || mode == Rounding.NONE;
        switch (sub) {
            case ADD, SUB -> {
                if (sub == SUB) q = -q;
                double s = p + q;
                if (nearest) return s;
                if (Double.isInfinite(s) && Double.isFinite(p) && Double.isFinite(q)) return Rounding.overflowF64(s, mode);
                return Rounding.toF64(s, Rounding.sign(Rounding.sumError(p, q, s)), mode);
            }
            case MUL -> {
                double s = p * q;
                if (nearest) return s;
                if (Double.isInfinite(s) && Double.isFinite(p) && Double.isFinite(q)) return Rounding.overflowF64(s, mode);
                return Rounding.toF64(s, Rounding.sign(Math.fma(p, q, -s)), mode);
            }
            case DIV -> {
                double s = p / q;
                if (nearest) return s;
                if (Double.isInfinite(s) && Double.isFinite(p) && q != 0) return Rounding.overflowF64(s, mode);
                return Rounding.toF64(s, Rounding.sign(Math.fma(-s, q, p)) * (q < 0 ? -1 : 1), mode);
            }
            case MIN -> { return min(p, q); }
            case MAX -> { return max(p, q); }
            case MIN_NAN -> { return p != p || q != q ? CANONICAL_NAN_F64 : Math.min(p, q); }
            case MAX_NAN -> { return p != p || q != q ? CANONICAL_NAN_F64 : Math.max(p, q); }
            case COPYSIGN -> { return Math.copySign(q, p); }
            default -> throw new IllegalStateException("f64 binary " + sub);
        }
    }

    static double unary64(int sub, int mode, double p) {
        return switch (sub) {
            case ABS -> Math.abs(p);
            case NEG -> -p;
            case MOV -> p;
            case RCP -> binary64(DIV, mode, 1.0, p);
            case SQRT -> Math.sqrt(p);
            case RSQRT -> 1.0 / Math.sqrt(p);
            default -> throw new IllegalStateException("f64 unary " + sub);
        };
    }

    static float min(float p, float q) {
        if (p != p) return q != q ? CANONICAL_NAN_F32 : q;
        if (q != q) return p;
        return Math.min(p, q);
    }

    static float max(float p, float q) {
        if (p != p) return q != q ? CANONICAL_NAN_F32 : q;
        if (q != q) return p;
        return Math.max(p, q);
    }

    static double min(double p, double q) {
        if (p != p) return q != q ? CANONICAL_NAN_F64 : q;
        if (q != q) return p;
        return Math.min(p, q);
    }

    static double max(double p, double q) {
        if (p != p) return q != q ? CANONICAL_NAN_F64 : q;
        if (q != q) return p;
        return Math.max(p, q);
    }

    static float ftz(float v) {
        return v != 0 && Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
    }

    static double ftz(double v) {
        return v != 0 && Math.abs(v) < Double.MIN_NORMAL ? Math.copySign(0.0, v) : v;
    }

    static float saturate(float v) {
        if (!(v > 0f)) return 0f;
        return v > 1f ? 1f : v;
    }

    static boolean testp(int sub, double v) {
        return switch (sub) {
            case FINITE -> Double.isFinite(v);
            case INFINITE -> Double.isInfinite(v);
            case NUMBER -> v == v;
            case NOTANUMBER -> v != v;
            case NORMAL -> Double.isFinite(v) && Math.abs(v) >= Double.MIN_NORMAL;
            default -> v != 0 && Math.abs(v) < Double.MIN_NORMAL;
        };
    }

    static boolean testp(int sub, float v) {
        return switch (sub) {
            case NORMAL -> Float.isFinite(v) && Math.abs(v) >= Float.MIN_NORMAL;
            case SUBNORMAL -> v != 0 && Math.abs(v) < Float.MIN_NORMAL;
            default -> testp(sub, (double) v);
        };
    }
}
