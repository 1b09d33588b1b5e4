package io.flambeau.backend;

import static io.flambeau.backend.Derivative.add;
import static io.flambeau.backend.Derivative.and;
import static io.flambeau.backend.Derivative.eq;
import static io.flambeau.backend.Derivative.ge;
import static io.flambeau.backend.Derivative.gt;
import static io.flambeau.backend.Derivative.lt;
import static io.flambeau.backend.Derivative.constant;
import static io.flambeau.backend.Derivative.div;
import static io.flambeau.backend.Derivative.grad;
import static io.flambeau.backend.Derivative.log;
import static io.flambeau.backend.Derivative.mul;
import static io.flambeau.backend.Derivative.neg;
import static io.flambeau.backend.Derivative.other;
import static io.flambeau.backend.Derivative.pow;
import static io.flambeau.backend.Derivative.result;
import static io.flambeau.backend.Derivative.self;
import static io.flambeau.backend.Derivative.where;

import java.util.function.Supplier;

/**
 * The definition of every elementwise function of two operands of the same dtype, one constant per
 * op: its PyTorch name, the names of its backward nodes and, for the differentiable ones, the
 * gradient formulas of both operands ({@link Derivative}, as {@code derivatives.yaml} writes
 * {@code self:} and {@code other:}), which the out-of-place, in-place and with-a-number forms all
 * use. Comparisons produce bool; the rest produce the operands' dtype. The scalar meaning is written
 * once here, in double and in long arithmetic (bool operands use the long form, 0/1): the CPU kernel;
 * the PTX of each is the exhaustive switch of {@code backend.cuda.PtxOps}.
 */
public enum BinaryOp {
    ADD("add", "AddBackward0", "AddBackward1", () -> grad(), () -> grad()),
    SUB("sub", "SubBackward0", "SubBackward1", () -> grad(), () -> neg(grad())),
    MUL("mul", "MulBackward0", "MulBackward1", () -> mul(grad(), other()), () -> mul(grad(), self())),
    DIV("div", "DivBackward0", "DivBackward1", () -> div(grad(), other()),
            () -> neg(div(mul(grad(), self()), mul(other(), other())))),
    /** {@code 0^0} terms are masked to 0 in both gradients, as PyTorch does, so they stay finite. */
    POW("pow", "PowBackward1", "PowBackward0",
            () -> where(eq(other(), constant(0)), constant(0),
                    mul(grad(), mul(other(), pow(self(), add(other(), -1.0))))),
            () -> where(and(eq(self(), constant(0)), ge(other(), constant(0))),
                    constant(0), mul(grad(), mul(result(), log(self()))))),
    /** Ties share the gradient equally; the losing side gets none (PyTorch 1.13's rule). */
    MAXIMUM("maximum", "MaximumBackward0", "MaximumBackward1",
            () -> where(lt(self(), other()), constant(0), Ties.shared()),
            () -> where(gt(self(), other()), constant(0), Ties.shared())),
    MINIMUM("minimum", "MinimumBackward0", "MinimumBackward1",
            () -> where(gt(self(), other()), constant(0), Ties.shared()),
            () -> where(lt(self(), other()), constant(0), Ties.shared())),
    EQ("eq"), NE("ne"), LT("lt"), LE("le"), GT("gt"), GE("ge"),
    /** Logical and/or on bools (what PyTorch's {@code *} and {@code +} mean on bool tensors). */
    AND("logical_and"), OR("logical_or"),
    /**
     * ReLU's gradient, PyTorch's {@code threshold_backward(grad, result, 0)}: {@code a} where
     * {@code b > 0}, else 0 ({@code b <= 0 ? 0 : a}, so a NaN result lets the gradient through).
     * One pass instead of a comparison, a mask and a select.
     */
    THRESHOLD_BACKWARD("threshold_backward");

    private final String torchName;
    private final String backwardNode;
    private final String scalarBackwardNode;
    private final Supplier<Derivative> selfFormula;
    private final Supplier<Derivative> otherFormula;
    /** Written once, below the constants: a formula may name an op declared after its own. */
    private Derivative selfDerivative;
    private Derivative otherDerivative;

    /** An op without gradient (comparisons, logical ops). */
    BinaryOp(String torchName) {
        this(torchName, null, null, null, null);
    }

    BinaryOp(String torchName, String backwardNode, String scalarBackwardNode, Supplier<Derivative> selfFormula,
             Supplier<Derivative> otherFormula) {
        this.torchName = torchName;
        this.backwardNode = backwardNode;
        this.scalarBackwardNode = scalarBackwardNode;
        this.selfFormula = selfFormula;
        this.otherFormula = otherFormula;
    }

    static {
        for (BinaryOp op : values()) {
            if (op.selfFormula != null) {
                op.selfDerivative = op.selfFormula.get();
                op.otherDerivative = op.otherFormula.get();
            }
        }
    }

    /** The formula maximum and minimum share: {@code self == other ? grad / 2 : grad}. */
    private static final class Ties {
        static Derivative shared() {
            return where(eq(self(), other()), mul(grad(), 0.5), grad());
        }
    }

    /** PyTorch's name of the op ({@code torch.add}); the in-place form appends {@code _}, the reversed one prefixes {@code r}. */
    public String torchName() { return torchName; }

    /** Whether the op has a gradient (false for comparisons and the logical ops). */
    public boolean isDifferentiable() { return selfDerivative != null; }

    /** PyTorch's node name for the op between two tensors ({@code MulBackward0}). */
    public String backwardNode() { return backwardNode; }

    /** PyTorch's node name for the op with a Java number ({@code MulBackward1}; {@code RsubBackward1} for {@code s - x}). */
    public String scalarBackwardNode(boolean reversed) {
        return this == SUB && reversed ? "RsubBackward1" : scalarBackwardNode;
    }

    /** The gradient of the first operand ({@code derivatives.yaml}'s {@code self:}). */
    public Derivative selfDerivative() { return selfDerivative; }

    /** The gradient of the second operand ({@code other:}). */
    public Derivative otherDerivative() { return otherDerivative; }

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
