package io.flambeau.backend;

/**
 * The gradient formula of one input of an elementwise op, as a value: PyTorch's
 * {@code derivatives.yaml} line ({@code self: grad * result}, {@code other: -grad * self / (other * other)})
 * written in Java. A formula names the operands it reads ({@link #grad()}, {@link #self()},
 * {@link #other()}, {@link #result()}) and combines them with
 * other {@link UnaryOp}s and {@link BinaryOp}s (named here, not in {@code UnaryOp}'s own constants,
 * where a formula could not name an op declared after it); autograd evaluates it on the device the tensors
 * live on, and saves for backward exactly the tensors it reads ({@link #reads}), so "what to save"
 * is never chosen by hand. In-place forms ({@code add_}) use the same formulas; so do the forms with
 * a Java number for one operand ({@code x * 2.5}), where that operand is a number in the formula
 * (and a formula of numbers only is a number).
 *
 * <p>A scalar operand ({@link Constant}, {@link Param}) becomes a Java number of the kernel, not a
 * tensor. {@link UnaryOp} nodes inside a formula run with the parameters of the op being
 * differentiated (the clamp bounds of a clamp, for instance).
 */
public sealed interface Derivative {
    /** The incoming gradient, {@code grad}. */
    record Grad() implements Derivative {}

    /** The op's input, {@code self}. */
    record Self() implements Derivative {}

    /** A binary op's second operand, {@code other}. */
    record Other() implements Derivative {}

    /** The op's output, {@code result}. */
    record Result() implements Derivative {}

    /** A number. */
    record Constant(double value) implements Derivative {}

    /**
     * The op's parameter number {@code index} (1 or 2, see {@link UnaryOp}); where it is NaN (clamp's
     * "no bound"), {@code whenNone} instead.
     */
    record Param(int index, double whenNone) implements Derivative {}

    record Unary(UnaryOp op, Derivative x) implements Derivative {}

    record Binary(BinaryOp op, Derivative a, Derivative b) implements Derivative {}

    /** {@code cond ? a : b}. */
    record Where(Derivative cond, Derivative a, Derivative b) implements Derivative {}

    /** Whether evaluating this formula reads the operand {@code leaf} ({@code Self.class}, ...), which is then kept until backward. */
    default boolean reads(Class<? extends Derivative> leaf) { return reads(this, leaf); }

    default boolean readsSelf() { return reads(this, Self.class); }

    default boolean readsResult() { return reads(this, Result.class); }

    private static boolean reads(Derivative f, Class<? extends Derivative> leaf) {
        return switch (f) {
            case Grad g -> leaf == Grad.class;
            case Self s -> leaf == Self.class;
            case Other o -> leaf == Other.class;
            case Result r -> leaf == Result.class;
            case Constant c -> false;
            case Param p -> false;
            case Unary u -> reads(u.x(), leaf);
            case Binary b -> reads(b.a(), leaf) || reads(b.b(), leaf);
            case Where w -> reads(w.cond(), leaf) || reads(w.a(), leaf) || reads(w.b(), leaf);
        };
    }

    // ---- the vocabulary formulas are written in ---------------------------------------------------

    static Derivative grad() { return new Grad(); }

    static Derivative self() { return new Self(); }

    static Derivative other() { return new Other(); }

    static Derivative result() { return new Result(); }

    static Derivative constant(double v) { return new Constant(v); }

    static Derivative param(int index) { return new Param(index, Double.NaN); }

    static Derivative unary(UnaryOp op, Derivative x) { return new Unary(op, x); }

    static Derivative neg(Derivative x) { return new Unary(UnaryOp.NEG, x); }

    static Derivative sign(Derivative x) { return new Unary(UnaryOp.SIGN, x); }

    static Derivative sin(Derivative x) { return new Unary(UnaryOp.SIN, x); }

    static Derivative cos(Derivative x) { return new Unary(UnaryOp.COS, x); }

    static Derivative exp(Derivative x) { return new Unary(UnaryOp.EXP, x); }

    static Derivative tanh(Derivative x) { return new Unary(UnaryOp.TANH, x); }

    static Derivative erf(Derivative x) { return new Unary(UnaryOp.ERF, x); }

    static Derivative add(Derivative a, Derivative b) { return new Binary(BinaryOp.ADD, a, b); }

    static Derivative add(Derivative a, double s) { return add(a, constant(s)); }

    static Derivative mul(Derivative a, Derivative b) { return new Binary(BinaryOp.MUL, a, b); }

    static Derivative mul(Derivative a, double s) { return mul(a, constant(s)); }

    static Derivative div(Derivative a, Derivative b) { return new Binary(BinaryOp.DIV, a, b); }

    static Derivative pow(Derivative a, Derivative b) { return new Binary(BinaryOp.POW, a, b); }

    static Derivative log(Derivative x) { return new Unary(UnaryOp.LOG, x); }

    static Derivative eq(Derivative a, Derivative b) { return new Binary(BinaryOp.EQ, a, b); }

    static Derivative lt(Derivative a, Derivative b) { return new Binary(BinaryOp.LT, a, b); }

    static Derivative gt(Derivative a, Derivative b) { return new Binary(BinaryOp.GT, a, b); }

    static Derivative ge(Derivative a, Derivative b) { return new Binary(BinaryOp.GE, a, b); }

    static Derivative le(Derivative a, Derivative b) { return new Binary(BinaryOp.LE, a, b); }

    /** ReLU's gradient in one pass: {@code result <= 0 ? 0 : grad}. */
    static Derivative thresholdBackward(Derivative grad, Derivative result) {
        return new Binary(BinaryOp.THRESHOLD_BACKWARD, grad, result);
    }

    static Derivative and(Derivative a, Derivative b) { return new Binary(BinaryOp.AND, a, b); }

    /** {@code s - a}. */
    static Derivative rsub(double s, Derivative a) { return new Binary(BinaryOp.SUB, constant(s), a); }

    static Derivative where(Derivative cond, Derivative a, Derivative b) { return new Where(cond, a, b); }
}
