package io.flambeau.backend.cuda.sim;

import java.math.BigInteger;

/**
 * PTX numeric literals: integers (decimal, {@code 0x} hex, {@code 0b} binary, leading-zero octal,
 * optional {@code U} suffix) and floats ({@code 0fXXXXXXXX} f32 bits, {@code 0dXXXXXXXXXXXXXXXX}
 * f64 bits, decimal such as {@code 1.5e3}). As in ptxas, an integer literal is not accepted where a
 * float is expected and vice versa.
 */
final class PtxLiterals {
    private PtxLiterals() {}

    static boolean isFloatLiteral(String text) {
        String t = text.startsWith("-") ? text.substring(1) : text;
        if (t.length() > 2 && t.charAt(0) == '0' && "fFdD".indexOf(t.charAt(1)) >= 0) return true;
        if (t.startsWith("0x") || t.startsWith("0X")) return false;
        return t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0;
    }

    /** A 64-bit integer literal (two's complement for negative and for values above 2^63). */
    static long intValue(String text, int line) {
        if (isFloatLiteral(text)) throw new PtxSyntaxException(line, "expected an integer but found " + text);
        boolean neg = text.startsWith("-");
        String t = neg ? text.substring(1) : text;
        if (t.endsWith("U")) t = t.substring(0, t.length() - 1);
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) { radix = 16; t = t.substring(2); }
        else if (t.startsWith("0b") || t.startsWith("0B")) { radix = 2; t = t.substring(2); }
        else if (t.length() > 1 && t.startsWith("0")) { radix = 8; t = t.substring(1); }
        BigInteger v;
        try {
            v = new BigInteger(t, radix);
        } catch (NumberFormatException e) {
            throw new PtxSyntaxException(line, "bad integer literal " + text);
        }
        if (v.bitLength() > 64) throw new PtxSyntaxException(line, "integer literal " + text + " does not fit in 64 bits");
        long bits = v.longValue();
        return neg ? -bits : bits;
    }

    /** f32 bits of a float literal ({@code 0f} exact; {@code 0d} and decimal rounded to nearest). */
    static int f32Bits(String text, int line) {
        boolean neg = text.startsWith("-");
        String t = neg ? text.substring(1) : text;
        int bits;
        if (t.startsWith("0f") || t.startsWith("0F")) {
            bits = (int) hexBits(t, 8, line);
        } else if (t.startsWith("0d") || t.startsWith("0D")) {
            bits = Float.floatToRawIntBits((float) Double.longBitsToDouble(hexBits(t, 16, line)));
        } else if (isFloatLiteral(t)) {
            bits = Float.floatToRawIntBits((float) Double.parseDouble(t));
        } else {
            throw new PtxSyntaxException(line, "expected a floating-point literal (e.g. 0f3F800000 or 1.0) but found " + text);
        }
        return neg ? bits ^ 0x8000_0000 : bits;
    }

    /** f64 bits of a float literal. */
    static long f64Bits(String text, int line) {
        boolean neg = text.startsWith("-");
        String t = neg ? text.substring(1) : text;
        long bits;
        if (t.startsWith("0d") || t.startsWith("0D")) {
            bits = hexBits(t, 16, line);
        } else if (t.startsWith("0f") || t.startsWith("0F")) {
            bits = Double.doubleToRawLongBits(Float.intBitsToFloat((int) hexBits(t, 8, line)));
        } else if (isFloatLiteral(t)) {
            bits = Double.doubleToRawLongBits(Double.parseDouble(t));
        } else {
            throw new PtxSyntaxException(line, "expected a floating-point literal (e.g. 0d3FF0000000000000 or 1.0) but found " + text);
        }
        return neg ? bits ^ Long.MIN_VALUE : bits;
    }

    /** The register bits a literal denotes for an operand of {@code type}. */
    static long bitsFor(PtxType type, String text, int line) {
        return switch (type) {
            case F32 -> f32Bits(text, line) & 0xFFFF_FFFFL;
            case F64 -> f64Bits(text, line);
            case PRED -> intValue(text, line) != 0 ? 1 : 0;
            case F16 -> throw new PtxSyntaxException(line, "f16 is not supported");
            default -> intValue(text, line);
        };
    }

    private static long hexBits(String t, int digits, int line) {
        String h = t.substring(2);
        if (h.length() != digits) throw new PtxSyntaxException(line, "float literal " + t + " needs exactly " + digits + " hex digits");
        return Long.parseUnsignedLong(h, 16);
    }
}
