package io.flambeau.nn;

import java.math.BigDecimal;

/** Python's {@code repr(float)}, for module settings printed the way PyTorch prints them. */
final class PythonRepr {
    private PythonRepr() {}

    /**
     * The shortest digits that read back to {@code v} (Java's {@link Double#toString} finds the
     * same digits as Python), laid out as Python does: positional when the decimal exponent is in
     * [-4, 16), else {@code 1e-05} style; a ".0" on integral values.
     */
    static String of(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // v = d.ddd × 10^exponent
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
