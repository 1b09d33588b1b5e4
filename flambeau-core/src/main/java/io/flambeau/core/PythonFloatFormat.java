package io.flambeau.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code '{:.Nf}'} and {@code '{:.Ne}'} for a double, digit for digit.
 *
 * <p>Python rounds the exact binary value of the double half-to-even ({@code '{:.2f}'} of 0.125
 * is {@code 0.12}); {@link String#format} rounds its decimal expansion half-up, so it disagrees on
 * ties. Working from {@code new BigDecimal(double)}, which is exact, reproduces Python. Python
 * keeps the sign of negative zero and of negatives that round to zero ({@code -0.0000}), and never
 * prints a sign on NaN.
 */
final class PythonFloatFormat {
    private PythonFloatFormat() {}

    /** {@code '{:.<digits>f}'.format(value)}: fixed point with {@code digits} decimals. */
    static String fixed(double value, int digits) {
        String nonFinite = nonFinite(value);
        if (nonFinite != null) return nonFinite;
        String magnitude = new BigDecimal(Math.abs(value))
                .setScale(digits, RoundingMode.HALF_EVEN)
                .toPlainString();
        return sign(value) + magnitude;
    }

    /** {@code '{:.<digits>e}'.format(value)}: one leading digit, {@code digits} decimals, 2+ digit exponent. */
    static String scientific(double value, int digits) {
        String nonFinite = nonFinite(value);
        if (nonFinite != null) return nonFinite;
        int significant = digits + 1;
        String mantissaDigits;
        int exponent;
        if (value == 0) {
            mantissaDigits = "0".repeat(significant);
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(Math.abs(value))
                    .round(new MathContext(significant, RoundingMode.HALF_EVEN));
            // The unscaled value holds the leading significant digits (possibly fewer than asked
            // for when the rest are zeros); its decimal point sits precision - scale digits in.
            String unscaled = rounded.unscaledValue().toString();
            exponent = rounded.precision() - rounded.scale() - 1;
            mantissaDigits = unscaled.length() >= significant
                    ? unscaled.substring(0, significant)
                    : unscaled + "0".repeat(significant - unscaled.length());
        }
        StringBuilder out = new StringBuilder(sign(value)).append(mantissaDigits.charAt(0));
        if (digits > 0) out.append('.').append(mantissaDigits, 1, significant);
        out.append('e').append(exponent < 0 ? '-' : '+');
        int absExponent = Math.abs(exponent);
        if (absExponent < 10) out.append('0');
        return out.append(absExponent).toString();
    }

    private static String nonFinite(double value) {
        if (Double.isNaN(value)) return "nan";
        if (value == Double.POSITIVE_INFINITY) return "inf";
        if (value == Double.NEGATIVE_INFINITY) return "-inf";
        return null;
    }

    /** "-" when the sign bit is set, so that -0.0 prints as Python prints it. */
    private static String sign(double value) {
        return (Double.doubleToRawLongBits(value) < 0) ? "-" : "";
    }
}
