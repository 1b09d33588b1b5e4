package io.flambeau.backend.cpu;

import io.flambeau.backend.UnaryOp;

/**
 * Dense float32 loops for the transcendental unary ops: one loop per op, so the JIT inlines the
 * math call instead of dispatching on the op for every element. Each computes in double and
 * rounds once, exactly as the generic path does.
 */
final class Float32Math {
    private Float32Math() {}

    static boolean unary(UnaryOp op, float[] a, int oa, float[] o, int oc, int n) {
        switch (op) {
            case EXP -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.exp(a[oa + i]); }
            case LOG -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.log(a[oa + i]); }
            case SIN -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.sin(a[oa + i]); }
            case COS -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.cos(a[oa + i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[oc + i] = (float) Math.tanh(a[oa + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[oc + i] = (float) (1.0 / (1.0 + Math.exp(-(double) a[oa + i]))); }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    float x = a[oa + i];
                    o[oc + i] = x > 0 ? 1f : x < 0 ? -1f : x + 0f; // ±0 gives +0, NaN stays
                }
            }
            default -> { return false; }
        }
        return true;
    }
}
