package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;

/**
 * The scalar twins of {@link Float32Loops}, for JVMs without the Vector API module
 * ({@link CpuVectors}): the same ops, the same results (bit for bit), written as plain counted
 * loops over dense runs, one loop per op and stride pattern, which the JIT compiles to SIMD code
 * by itself. Each returns false when it has no fast form, and the caller's generic loop runs.
 */
final class Float32Scalar {
    private Float32Scalar() {}

    static boolean unary(UnaryOp op, float[] a, int oa, float[] o, int oc, int n, float p, float q) {
        switch (op) {
            case CLAMP -> {
                // compare-and-select, as the generic form: NaN stays NaN, a -0.0 is not replaced by a 0.0 bound
                if (!Float.isNaN(p) && Float.isNaN(q)) {
                    for (int i = 0; i < n; i++) { float x = a[oa + i]; o[oc + i] = x < p ? p : x; }
                } else {
                    boolean hasLo = !Float.isNaN(p), hasHi = !Float.isNaN(q);
                    for (int i = 0; i < n; i++) {
                        float x = a[oa + i];
                        if (hasLo && x < p) x = p;
                        if (hasHi && x > q) x = q;
                        o[oc + i] = x;
                    }
                }
            }
            case RELU -> { for (int i = 0; i < n; i++) { float x = a[oa + i]; o[oc + i] = x <= 0 ? 0f : x; } }
            case NEG -> { for (int i = 0; i < n; i++) o[oc + i] = -a[oa + i]; }
            case SQUARE -> { for (int i = 0; i < n; i++) { float x = a[oa + i]; o[oc + i] = x * x; } }
            case ABS -> { for (int i = 0; i < n; i++) o[oc + i] = Math.abs(a[oa + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.sqrt(a[oa + i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[oc + i] = 1f / a[oa + i]; }
            default -> { return Float32Math.unary(op, a, oa, o, oc, n); }
        }
        return true;
    }

    /** {@code o[oc+i] = a[oa+i*sa] op b[ob+i*sb]} for unit or zero input strides and a dense output. */
    static boolean binary(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] o, int oc, int n) {
        if ((sa != 1 && sa != 0) || (sb != 1 && sb != 0)) return false;
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] + b[ob + i]; }
                case SUB -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] - b[ob + i]; }
                case MUL -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] * b[ob + i]; }
                case DIV -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] / b[ob + i]; }
                case MAXIMUM -> { for (int i = 0; i < n; i++) o[oc + i] = Math.max(a[oa + i], b[ob + i]); }
                case MINIMUM -> { for (int i = 0; i < n; i++) o[oc + i] = Math.min(a[oa + i], b[ob + i]); }
                case THRESHOLD_BACKWARD -> { for (int i = 0; i < n; i++) o[oc + i] = b[ob + i] <= 0 ? 0f : a[oa + i]; }
                default -> { return false; }
            }
            return true;
        }
        if (sa == 1) { // a run against one element of b
            float y = b[ob];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] + y; }
                case SUB -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] - y; }
                case MUL -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] * y; }
                case DIV -> { for (int i = 0; i < n; i++) o[oc + i] = a[oa + i] / y; }
                default -> { return false; }
            }
            return true;
        }
        if (sb == 1) { // one element of a against a run
            float x = a[oa];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oc + i] = x + b[ob + i]; }
                case SUB -> { for (int i = 0; i < n; i++) o[oc + i] = x - b[ob + i]; }
                case MUL -> { for (int i = 0; i < n; i++) o[oc + i] = x * b[ob + i]; }
                case DIV -> { for (int i = 0; i < n; i++) o[oc + i] = x / b[ob + i]; }
                default -> { return false; }
            }
            return true;
        }
        return false;
    }
}
