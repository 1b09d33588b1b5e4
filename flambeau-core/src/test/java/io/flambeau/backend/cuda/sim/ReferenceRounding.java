package io.flambeau.backend.cuda.sim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Test oracle for IEEE rounding, computed from exact decimals by bracketing the value between
 * neighbouring floats: deliberately a different method from the simulator's {@link Rounding}.
 */
final class ReferenceRounding {
    static final MathContext EXACT_ENOUGH = new MathContext(200);

    private ReferenceRounding() {}

    static BigDecimal exact(double v) { return new BigDecimal(v); }

    static float f32(BigDecimal v, RoundingMode mode) {
        if (v.signum() == 0) return 0f;
        float lo = (float) v.doubleValue();
        if (Float.isInfinite(lo)) lo = Math.copySign(Float.MAX_VALUE, lo);
        while (lo != Float.NEGATIVE_INFINITY && exactF(lo).compareTo(v) > 0) lo = Math.nextDown(lo);
        while (Math.nextUp(lo) != Float.POSITIVE_INFINITY && exactF(Math.nextUp(lo)).compareTo(v) <= 0) lo = Math.nextUp(lo);
        if (exactF(lo).compareTo(v) == 0) return lo;
        float hi = Math.nextUp(lo);
        BigDecimal loD = exactF(lo);
        BigDecimal hiD = Float.isInfinite(hi) ? loD.add(exactF(Math.ulp(Float.MAX_VALUE)))
                : Float.isInfinite(lo) ? exactF(hi).subtract(exactF(Math.ulp(Float.MAX_VALUE))) : exactF(hi);
        return switch (mode) {
            case DOWN -> v.signum() > 0 ? lo : hi;
            case FLOOR -> lo;
            case CEILING -> hi;
            default -> {
                int c = v.multiply(BigDecimal.valueOf(2)).compareTo(loD.add(hiD));
                yield c < 0 ? lo : c > 0 ? hi : (Float.floatToRawIntBits(lo) & 1) == 0 ? lo : hi;
            }
        };
    }

    static double f64(BigDecimal v, RoundingMode mode) {
        if (v.signum() == 0) return 0.0;
        double lo = v.doubleValue();
        if (Double.isInfinite(lo)) lo = Math.copySign(Double.MAX_VALUE, lo);
        while (lo != Double.NEGATIVE_INFINITY && exact(lo).compareTo(v) > 0) lo = Math.nextDown(lo);
        while (Math.nextUp(lo) != Double.POSITIVE_INFINITY && exact(Math.nextUp(lo)).compareTo(v) <= 0) lo = Math.nextUp(lo);
        if (exact(lo).compareTo(v) == 0) return lo;
        double hi = Math.nextUp(lo);
        BigDecimal loD = exact(lo);
        BigDecimal hiD = Double.isInfinite(hi) ? loD.add(exact(Math.ulp(Double.MAX_VALUE))) : exact(hi);
        return switch (mode) {
            case DOWN -> v.signum() > 0 ? lo : hi;
            case FLOOR -> lo;
            case CEILING -> hi;
            default -> {
                int c = v.multiply(BigDecimal.valueOf(2)).compareTo(loD.add(hiD));
                yield c < 0 ? lo : c > 0 ? hi : (Double.doubleToRawLongBits(lo) & 1) == 0 ? lo : hi;
            }
        };
    }

    private static BigDecimal exactF(float f) { return new BigDecimal(f); }

    static BigDecimal divide(double a, double b) { return exact(a).divide(exact(b), EXACT_ENOUGH); }
}
