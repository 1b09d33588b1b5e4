package io.flambeau.backend.cuda.sim;

import java.math.BigDecimal;

/**
 * IEEE rounding for the directed modes ({@code .rz/.rm/.rp}) that Java arithmetic lacks.
 *
 * <p>Every directed operation is computed as {@code hi}, the exact result rounded to the nearest
 * double, plus the sign of the remainder ({@code exact - hi}), obtained exactly (TwoSum for add,
 * fma for mul and div); {@link #toF32}/{@link #toF64} then pick the neighbouring float the mode asks
 * for. Round-to-nearest arithmetic ({@code add.rn} etc.) does not come here: Java's float and
 * double arithmetic is already IEEE round-to-nearest-even and matches the GPU bit for bit; only
 * conversions use the round-to-nearest path of {@link #toF32}, for double-rounding-free results.
 */
final class Rounding {
    static final int NONE = 0, RN = 1, RZ = 2, RM = 3, RP = 4;
    /** Rounding to an integral value, used by cvt: to nearest even, toward zero, down, up. */
    static final int RNI = 5, RZI = 6, RMI = 7, RPI = 8;

    private Rounding() {}

    static int parse(String s) {
        return switch (s) {
            case "rn" -> RN; case "rz" -> RZ; case "rm" -> RM; case "rp" -> RP;
            case "rni" -> RNI; case "rzi" -> RZI; case "rmi" -> RMI; case "rpi" -> RPI;
            default -> -1;
        };
    }

    static boolean isIntegral(int mode) { return mode >= RNI; }

    /** Sign of the exact remainder; NaN (from infinities) counts as exact. */
    static int sign(double remainder) {
        return remainder > 0 ? 1 : remainder < 0 ? -1 : 0;
    }

    /** TwoSum's exact error of {@code s = a + b}. */
    static double sumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /**
     * The f32 that {@code mode} gives for the exact value {@code hi + tiny}, where {@code hi} is that
     * value rounded to nearest double and {@code errSign} the sign of {@code tiny}.
     */
    static float toF32(double hi, int errSign, int mode) {
        float f = (float) hi;
        if (Double.isNaN(hi)) return f;
        if (mode == RN || mode == NONE) {
            // RN(hi + tiny) == RN(hi) unless hi sits exactly halfway between two floats
            if (errSign == 0 || (double) f == hi) return f;
            float lo = (double) f < hi ? f : Math.nextDown(f);
            float up = Math.nextUp(lo);
            if (hi != midpoint(lo, up)) return f;
            return errSign > 0 ? up : lo;
        }
        float lo, up;
        if ((double) f == hi) {
            if (errSign == 0) return f;
            lo = errSign > 0 ? f : Math.nextDown(f);
            up = errSign > 0 ? Math.nextUp(f) : f;
        } else {
            lo = (double) f < hi ? f : Math.nextDown(f);
            up = Math.nextUp(lo);
        }
        boolean positive = hi > 0 || (hi == 0 && errSign > 0);
        return switch (mode) {
            case RZ -> positive ? lo : up;
            case RM -> lo;
            default -> up;
        };
    }

    /** Halfway between two adjacent floats, treating infinity as the float after MAX_VALUE. */
    private static double midpoint(float lo, float up) {
        double halfUlpOfMax = Math.ulp(Float.MAX_VALUE) / 2.0;
        if (Float.isInfinite(up)) return Float.MAX_VALUE + halfUlpOfMax;
        if (Float.isInfinite(lo)) return -Float.MAX_VALUE - halfUlpOfMax;
        return ((double) lo + (double) up) / 2.0;
    }

    /** The f64 that {@code mode} gives for {@code hi + tiny} ({@code hi} already nearest). */
    static double toF64(double hi, int errSign, int mode) {
        if (Double.isNaN(hi) || errSign == 0 || mode == RN || mode == NONE) return hi;
        boolean positive = hi > 0 || (hi == 0 && errSign > 0);
        return switch (mode) {
            case RZ -> positive ? (errSign < 0 ? Math.nextDown(hi) : hi) : (errSign > 0 ? Math.nextUp(hi) : hi);
            case RM -> errSign < 0 ? Math.nextDown(hi) : hi;
            default -> errSign > 0 ? Math.nextUp(hi) : hi;
        };
    }

    /** A directed result for a finite operation that overflowed to {@code inf} under RN. */
    static double overflowF64(double inf, int mode) {
        boolean pos = inf > 0;
        return switch (mode) {
            case RZ -> pos ? Double.MAX_VALUE : -Double.MAX_VALUE;
            case RM -> pos ? Double.MAX_VALUE : inf;
            case RP -> pos ? inf : -Double.MAX_VALUE;
            default -> inf;
        };
    }

    /** Exact decimal rounded to f32 or f64 in {@code mode} (slow path for 64-bit int conversions). */
    static double fromExact(BigDecimal exact, int mode, boolean toDouble) {
        double hi = exact.doubleValue();
        int errSign = Double.isInfinite(hi) ? 0 : exact.compareTo(new BigDecimal(hi));
        return toDouble ? toF64(hi, errSign, mode) : toF32(hi, errSign, mode);
    }
}
