package io.flambeau.backend.cuda.sim;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * {@code cvt}: integer widening/narrowing with sign or zero extension and optional saturation;
 * float to integer with {@code .rni/.rzi/.rmi/.rpi}, always saturating, NaN giving 0 (or
 * {@code 1<<63} for 64-bit destinations); integer to float and f64 to f32 with {@code .rn/.rz/.rm/
 * .rp}; float to same float with integer rounding ({@code cvt.rmi.f32.f32} is floor); {@code .ftz}
 * and {@code .sat} on float results.
 */
final class Conversions {
    static final int I2I = 0, F2I = 1, I2F = 2, F2F = 3;
    private static final double TWO_63 = 0x1p63, TWO_64 = 0x1p64;

    private Conversions() {}

    static void exec(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int d = in.d * T, a = in.a * T;
        switch (in.op) {
            case CVT_ZX32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] & 0xFFFF_FFFFL; } }
            case CVT_SX32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = (int) r[a + t]; } }
            case CVT -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = convert(in, r[a + t]); } }
            default -> throw new IllegalStateException("not a conversion: " + in.op);
        }
    }

    static long convert(Insn in, long v) {
        return switch (in.sub) {
            case I2I -> intToInt(v, in.kind, in.kind2, in.sat);
            case F2I -> floatToInt(in, v);
            case I2F -> intToFloat(in, v);
            default -> floatToFloat(in, v);
        };
    }

    static long intToInt(long raw, int from, int to, boolean sat) {
        long v = IntKind.ext(raw, from);
        if (sat) {
            boolean huge = from == IntKind.U64 && v < 0; // a u64 value of 2^63 or more
            if (huge) {
                v = to == IntKind.U64 ? v : IntKind.max(to);
            } else if (to == IntKind.U64) {
                v = Math.max(v, 0);
            } else {
                v = Math.max(IntKind.min(to), Math.min(IntKind.max(to), v));
            }
        }
        return IntKind.ext(v, to);
    }

    private static long floatToInt(Insn in, long raw) {
        double v;
        if (in.atype == PtxType.F32) {
            float f = FloatAlu.f(raw);
            v = in.ftz ? FloatAlu.ftz(f) : f;
        } else {
            v = FloatAlu.g(raw);
        }
        int to = in.kind2;
        if (v != v) return IntKind.bytes(to) == 8 ? Long.MIN_VALUE : 0;
        v = switch (in.mode) {
            case Rounding.RNI -> Math.rint(v);
            case Rounding.RMI -> Math.floor(v);
            case Rounding.RPI -> Math.ceil(v);
            default -> v < 0 ? Math.ceil(v) : Math.floor(v);
        };
        return IntKind.ext(saturate(v, to), to);
    }

    /** An integral (or infinite) double clamped to the range of {@code kind}. */
    static long saturate(double v, int kind) {
        if (kind == IntKind.U64) {
            if (v <= 0) return 0;
            if (v >= TWO_64) return -1L;
            if (v >= TWO_63) return (long) (v - TWO_63) + Long.MIN_VALUE;
            return (long) v;
        }
        if (kind == IntKind.S64) return (long) v; // Java's d2l saturates like the GPU
        long min = IntKind.min(kind), max = IntKind.max(kind);
        if (v <= min) return min;
        if (v >= max) return max;
        return (long) v;
    }

    private static long intToFloat(Insn in, long raw) {
        int from = in.kind;
        long v = IntKind.ext(raw, from);
        boolean toF64 = in.dtype == PtxType.F64;
        int mode = in.mode;
        boolean nearest = mode == Rounding.RN;
        double result;
        if (from == IntKind.U64 && v < 0) {
            result = exact(new BigDecimal(new BigInteger(Long.toUnsignedString(v))), mode, toF64);
        } else if (nearest) {
            result = toF64 ? (double) v : (float) v;
        } else if (Math.abs(v) <= (1L << 53)) {
            result = toF64 ? (double) v : Rounding.toF32((double) v, 0, mode);
        } else {
            result = exact(BigDecimal.valueOf(v), mode, toF64);
        }
        return finishFloat(in, result, toF64);
    }

    private static double exact(BigDecimal value, int mode, boolean toF64) {
        return Rounding.fromExact(value, mode, toF64);
    }

    private static long floatToFloat(Insn in, long raw) {
        boolean fromF64 = in.atype == PtxType.F64, toF64 = in.dtype == PtxType.F64;
        double v;
        if (fromF64) {
            v = FloatAlu.g(raw);
        } else {
            float f = FloatAlu.f(raw);
            v = in.ftz ? FloatAlu.ftz(f) : f;
        }
        double result;
        switch (in.mode) {
            case Rounding.RNI -> result = Math.rint(v);
            case Rounding.RZI -> result = v < 0 ? Math.ceil(v) : Math.floor(v);
            case Rounding.RMI -> result = Math.floor(v);
            case Rounding.RPI -> result = Math.ceil(v);
            default -> result = toF64 || !fromF64 ? v : Rounding.toF32(v, 0, in.mode == Rounding.NONE ? Rounding.RN : in.mode);
        }
        if (v != v) result = v;
        return finishFloat(in, result, toF64);
    }

    private static long finishFloat(Insn in, double v, boolean toF64) {
        if (toF64) {
            if (in.sat) v = v != v || v <= 0 ? 0.0 : Math.min(v, 1.0);
            return FloatAlu.bits(v);
        }
        float f = (float) v;
        if (in.ftz) f = FloatAlu.ftz(f);
        if (in.sat) f = FloatAlu.saturate(f);
        return FloatAlu.bits(f);
    }
}
