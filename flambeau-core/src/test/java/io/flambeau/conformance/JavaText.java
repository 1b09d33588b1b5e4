package io.flambeau.conformance;

import io.flambeau.core.DType;

import java.util.StringJoiner;

/** Java source text for the values a generated program uses, written so that they read back exactly. */
final class JavaText {
    private JavaText() {}

    static String floatLiteral(float v) {
        if (Float.isNaN(v)) return "Float.NaN";
        if (Float.isInfinite(v)) return v > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        return Float.toString(v) + "f";
    }

    static String doubleLiteral(double v) {
        if (Double.isNaN(v)) return "Double.NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        return Double.toString(v);
    }

    /** {@code new float[] {...}} and the like: the host array that {@code Torch.tensor} takes for {@code dtype}. */
    static String array(DType dtype, Object values) {
        StringJoiner j = new StringJoiner(", ", "new " + switch (dtype) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long";
            case BOOL -> "boolean";
        } + "[] {", "}");
        switch (values) {
            case float[] f -> { for (float v : f) j.add(floatLiteral(v)); }
            case double[] d -> { for (double v : d) j.add(doubleLiteral(v)); }
            case long[] l -> { for (long v : l) j.add(Long.toString(v)); }
            case boolean[] b -> { for (boolean v : b) j.add(Boolean.toString(v)); }
            default -> throw new IllegalArgumentException(values.getClass().toString());
        }
        return j.toString();
    }

    /** {@code 2, 3, 4}: dimensions or dims as a Java argument list. */
    static String args(long... values) {
        StringJoiner j = new StringJoiner(", ");
        for (long v : values) j.add(Long.toString(v));
        return j.toString();
    }

    static String args(int... values) {
        StringJoiner j = new StringJoiner(", ");
        for (int v : values) j.add(Integer.toString(v));
        return j.toString();
    }
}
