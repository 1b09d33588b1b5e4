package io.flambeau.backend;

import static io.flambeau.backend.Derivative.add;
import static io.flambeau.backend.Derivative.and;
import static io.flambeau.backend.Derivative.ge;
import static io.flambeau.backend.Derivative.gt;
import static io.flambeau.backend.Derivative.le;
import static io.flambeau.backend.Derivative.thresholdBackward;
import static io.flambeau.backend.Derivative.constant;
import static io.flambeau.backend.Derivative.div;
import static io.flambeau.backend.Derivative.grad;
import static io.flambeau.backend.Derivative.mul;
import static io.flambeau.backend.Derivative.neg;
import static io.flambeau.backend.Derivative.param;
import static io.flambeau.backend.Derivative.result;
import static io.flambeau.backend.Derivative.rsub;
import static io.flambeau.backend.Derivative.self;
import static io.flambeau.backend.Derivative.cos;
import static io.flambeau.backend.Derivative.exp;
import static io.flambeau.backend.Derivative.sign;
import static io.flambeau.backend.Derivative.sin;
import static io.flambeau.backend.Derivative.where;

/**
 * The definition of every elementwise function of one operand, one constant per op, the way
 * PyTorch's {@code native_functions.yaml} and {@code derivatives.yaml} define an op once: its
 * PyTorch name, the dtypes it accepts ({@link Inputs}), the name of its backward node and its
 * gradient formula ({@link Derivative}, which also decides what is saved for backward), and below,
 * in exhaustive switches, its scalar meaning in double and in long arithmetic: the CPU kernel. The
 * CUDA backend's PTX for each op is the exhaustive switch of {@code backend.cuda.PtxOps}, written to
 * compute what {@link #apply(double, double, double)} computes. Float32 results are the double
 * result rounded to float. Adding a constant here makes the compiler ask for its PTX.
 *
 * <p>{@code param1} and {@code param2} are the op's parameters: leaky ReLU's negative slope; clamp's
 * lower and upper bounds, where NaN means "no bound". The other ops ignore them.
 */
public enum UnaryOp {
    NEG("neg", "NegBackward0", Inputs.NUMBERS, () -> neg(grad())),
    ABS("abs", "AbsBackward0", Inputs.NUMBERS_AND_BOOLS, () -> mul(grad(), sign(self()))),
    SIGN("sign", "SignBackward0", Inputs.NUMBERS_AND_BOOLS, () -> mul(grad(), 0.0)),
    EXP("exp", "ExpBackward0", Inputs.FLOATING_RESULT, () -> mul(grad(), result())),
    LOG("log", "LogBackward0", Inputs.FLOATING_RESULT, () -> div(grad(), self())),
    SQRT("sqrt", "SqrtBackward0", Inputs.FLOATING_RESULT, () -> div(grad(), mul(result(), 2.0))),
    SQUARE("square", "SquareBackward0", Inputs.NUMBERS_AND_BOOLS, () -> mul(grad(), mul(self(), 2.0))),
    SIN("sin", "SinBackward0", Inputs.FLOATING_RESULT, () -> mul(grad(), cos(self()))),
    COS("cos", "CosBackward0", Inputs.FLOATING_RESULT, () -> neg(mul(grad(), sin(self())))),
    TANH("tanh", "TanhBackward0", Inputs.FLOATING_RESULT, () -> mul(grad(), rsub(1, mul(result(), result())))),
    SIGMOID("sigmoid", "SigmoidBackward0", Inputs.FLOATING_RESULT, () -> mul(grad(), mul(result(), rsub(1, result())))),
    RELU("relu", "ReluBackward0", Inputs.NUMBERS_AND_BOOLS,
            () -> thresholdBackward(grad(), result())),
    LEAKY_RELU("leaky_relu", "LeakyReluBackward0", Inputs.FLOATING,
            () -> where(gt(self(), constant(0)), grad(), mul(grad(), param(1)))),
    /** A NaN input, and an input outside the bounds, get no gradient; a bound itself is inside. */
    CLAMP("clamp", "ClampBackward1", Inputs.NUMBERS_AND_BOOLS, () -> where(
            and(ge(self(), new Derivative.Param(1, Double.NEGATIVE_INFINITY)),
                    le(self(), new Derivative.Param(2, Double.POSITIVE_INFINITY))),
            grad(), constant(0))),
    RECIPROCAL("reciprocal", "ReciprocalBackward0", Inputs.FLOATING_RESULT, () -> neg(mul(grad(), mul(result(), result())))),
    /** {@code log(1 + x)}, exact for small x. */
    LOG1P("log1p", "Log1PBackward0", Inputs.FLOATING_RESULT, () -> div(grad(), add(self(), 1.0))),
    /** {@code exp(x) - 1}, exact for small x. */
    EXPM1("expm1", "Expm1Backward0", Inputs.FLOATING_RESULT, () -> mul(grad(), add(result(), 1.0))),
    /** The Gauss error function; its derivative is {@code 2/sqrt(pi) exp(-x^2)}. */
    ERF("erf", "ErfBackward0", Inputs.FLOATING_RESULT, () -> mul(grad(),
            mul(exp(neg(mul(self(), self()))), Gelu.TWO_OVER_SQRT_PI))),
    /** {@code x Phi(x)}, Phi the standard normal distribution function: PyTorch's {@code gelu(x, approximate="none")}. */
    GELU("gelu", "GeluBackward0", Inputs.FLOATING, () -> mul(grad(), Gelu.exactSlope())),
    /** {@code gelu(x, approximate="tanh")}: {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    GELU_TANH("gelu", "GeluBackward0", Inputs.FLOATING, () -> mul(grad(), Gelu.tanhSlope())),
    /** Logical not, used on bool tensors. */
    NOT("logical_not", "NotBackward0", Inputs.BOOLS, () -> mul(grad(), 0.0));

    /** The dtypes an op accepts, and the dtype it computes in (PyTorch's type rules for the op). */
    public enum Inputs {
        /** Every dtype; bools compute as int64 (PyTorch's {@code abs(bool)} is int64 too). */
        NUMBERS_AND_BOOLS,
        /** int64 and floating; a bool tensor is refused (negation of a bool has no meaning). */
        NUMBERS,
        /** Every dtype, the result is floating: integer and bool inputs compute in float32. */
        FLOATING_RESULT,
        /** Floating tensors only; PyTorch has no integer kernel and refuses the others. */
        FLOATING,
        /** Bool tensors only. */
        BOOLS
    }

    private final String torchName;
    private final String backwardNode;
    private final Inputs inputs;
    /** Written once, below the constants: a formula may name an op declared after its own. */
    private final java.util.function.Supplier<Derivative> formula;
    private Derivative derivative;

    UnaryOp(String torchName, String backwardNode, Inputs inputs, java.util.function.Supplier<Derivative> formula) {
        this.torchName = torchName;
        this.backwardNode = backwardNode;
        this.inputs = inputs;
        this.formula = formula;
    }

    static {
        for (UnaryOp op : values()) op.derivative = op.formula.get();
    }

    /** PyTorch's name of the op ({@code torch.log1p}), used in messages and as the golden cases' op. */
    public String torchName() { return torchName; }

    /** PyTorch's name of the node the op records for backward ({@code Log1PBackward0}). */
    public String backwardNode() { return backwardNode; }

    public Inputs inputs() { return inputs; }

    /** The gradient of the input, given {@code grad}, the op's input and output. */
    public Derivative derivative() { return derivative; }

    /** True for ops whose result is floating even for integer input. */
    public boolean floatingOnly() {
        return inputs == Inputs.FLOATING_RESULT;
    }

    /** True when the op computes on int64 (and on bools, as 0/1): its long form below is defined. */
    public boolean hasIntegerForm() {
        return inputs == Inputs.NUMBERS_AND_BOOLS || inputs == Inputs.NUMBERS || inputs == Inputs.BOOLS;
    }

    /**
     * Whether backends run the op on elements of dtype {@code t}: every op on floats, the ops with
     * an integer form on int64, logical not on bools ({@code ops.Elementwise} casts the rest first).
     */
    public boolean computesIn(io.flambeau.core.DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> true;
            case INT64 -> hasIntegerForm();
            case BOOL -> inputs == Inputs.BOOLS;
        };
    }

    /**
     * True when every backend computes exactly this: IEEE operations and selections only, so results
     * agree bit for bit; false for the elementary functions, which each backend evaluates with its
     * own routine (Java's {@code Math}, PTX polynomials), agreeing within a few ulps.
     */
    public boolean exactEverywhere() {
        return switch (this) {
            case NEG, ABS, SIGN, SQRT, SQUARE, RELU, LEAKY_RELU, CLAMP, RECIPROCAL, NOT -> true;
            case EXP, LOG, SIN, COS, TANH, SIGMOID, LOG1P, EXPM1, ERF, GELU, GELU_TANH -> false;
        };
    }

    public double apply(double x, double param1, double param2) {
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
            case LEAKY_RELU -> x < 0 ? x * param1 : x;
            case CLAMP -> clamp(x, param1, param2);
            case RECIPROCAL -> 1.0 / x;
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case ERF -> Erf.erf(x);
            case GELU -> Gelu.exact(x);
            case GELU_TANH -> Gelu.tanhApproximation(x);
            case NOT -> x == 0 ? 1 : 0;
        };
    }

    /** The op on int64 (and bool, as 0/1) values; only for ops with {@link #hasIntegerForm()}. */
    public long apply(long x, long param1, long param2) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case CLAMP -> Math.min(Math.max(x, param1), param2);
            case NOT -> x == 0 ? 1 : 0;
            case EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, LEAKY_RELU, RECIPROCAL, LOG1P, EXPM1, ERF, GELU, GELU_TANH ->
                    throw new IllegalStateException(this + " has no integer form");
        };
    }

    private static double clamp(double x, double lo, double hi) {
        if (Double.isNaN(x)) return x;
        if (!Double.isNaN(lo) && x < lo) x = lo;
        if (!Double.isNaN(hi) && x > hi) x = hi;
        return x;
    }
}
