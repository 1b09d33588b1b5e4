package io.flambeau.backend;

/**
 * Elementwise functions of two operands of the same dtype. Comparisons produce bool; the rest
 * produce the operands' dtype. The scalar meaning is written once here, in double and in long
 * arithmetic (bool operands use the long form, 0/1).
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
    EQ, NE, LT, LE, GT, GE,
    /** Logical and/or on bools (what PyTorch's {@code *} and {@code +} mean on bool tensors). */
    AND, OR,
    /**
     * ReLU's gradient, PyTorch's {@code threshold_backward(grad, result, 0)}: {@code a} where
     * {@code b > 0}, else 0 ({@code b <= 0 ? 0 : a}, so a NaN result lets the gradient through).
     * One pass instead of a comparison, a mask and a select.
     */
    THRESHOLD_BACKWARD;

    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** PyTorch's Python operator, for error messages. */
    public String symbol() {
        return switch (this) {
            case ADD -> "+"; case SUB -> "-"; case MUL -> "*"; case DIV -> "/"; case POW -> "**";
            case EQ -> "=="; case NE -> "!="; case LT -> "<"; case LE -> "<="; case GT -> ">"; case GE -> ">=";
            case AND -> "&"; case OR -> "|";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case AND -> a != 0 && b != 0 ? 1 : 0;
            case OR -> a != 0 || b != 0 ? 1 : 0;
            case THRESHOLD_BACKWARD -> b <= 0 ? 0 : a;
        };
    }

    public long apply(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> Math.floorDiv(a, b); // only reached for floor division of integers
            case POW -> intPow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case AND -> a != 0 && b != 0 ? 1 : 0;
            case OR -> a != 0 || b != 0 ? 1 : 0;
            case THRESHOLD_BACKWARD -> b <= 0 ? 0 : a;
        };
    }

    /**
     * PyTorch's integer power of two tensors: a negative exponent gives 1 for base 1, ±1 for base
     * -1 and 0 otherwise (the integer part of the true power). A negative Java number as the
     * exponent is refused before any kernel runs.
     */
    private static long intPow(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0;
        }
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) result *= base;
            base *= base;
            exp >>= 1;
        }
        return result;
    }
}
