package io.flambeau.backend;

/**
 * Elementwise functions of one operand. Each carries its scalar meaning once, in double and in
 * long arithmetic; backends either call these or generate code that computes the same thing.
 * Float32 results are the double result rounded to float.
 *
 * <p>{@code p} and {@code q} are the op's parameters (leaky-ReLU slope; clamp bounds, where NaN
 * means "no bound").
 */
public enum UnaryOp {
    NEG, ABS, SIGN, EXP, LOG, SQRT, SQUARE, SIN, COS, TANH, SIGMOID, RELU, LEAKY_RELU, CLAMP, RECIPROCAL,
    /** Logical not, used on bool tensors. */
    NOT;

    /** True for ops whose result is floating even for integer input. */
    public boolean floatingOnly() {
        return switch (this) {
            case EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, RECIPROCAL -> true;
            default -> false;
        };
    }

    public double apply(double x, double p, double q) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : x + 0.0; // NaN stays NaN; ±0 gives +0, as PyTorch
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> x < 0 ? 0.0 : x; // NaN and -0.0 pass through, as PyTorch's clamp_min(x, 0)
            case LEAKY_RELU -> x < 0 ? x * p : x;
            case CLAMP -> clamp(x, p, q);
            case RECIPROCAL -> 1.0 / x;
            case NOT -> x == 0 ? 1 : 0;
        };
    }

    public long apply(long x, long p, long q) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case NOT -> x == 0 ? 1 : 0;
            default -> throw new IllegalStateException(this + " has no integer form");
        };
    }

    private static double clamp(double x, double lo, double hi) {
        if (Double.isNaN(x)) return x;
        if (!Double.isNaN(lo) && x < lo) x = lo;
        if (!Double.isNaN(hi) && x > hi) x = hi;
        return x;
    }
}
