package io.flambeau.backend;

/**
 * The gradient formula of an elementwise op of one input, as a value: PyTorch's
 * {@code derivatives.yaml} line ({@code self: grad * result}) written in Java. A formula names the
 * tensors it reads ({@link #grad()}, {@link #self()}, {@link #result()}) and combines them with
 * other {@link UnaryOp}s and {@link BinaryOp}s (named here, not in {@code UnaryOp}'s own constants,
 * where a formula could not name an op declared after it); autograd evaluates it on the device the tensors
 * live on, and saves for backward exactly the tensors it reads ({@link #readsSelf()},
 * {@link #readsResult()}), so "what to save" is never chosen by hand.
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

    /** Whether evaluating this formula reads the op's input (which is then kept until backward). */
    default boolean readsSelf() { return reads(this, Self.class); }

    /** Whether evaluating this formula reads the op's output. */
    default boolean readsResult() { return reads(this, Result.class); }

    private static boolean reads(Derivative f, Class<? extends Derivative> leaf) {
        return switch (f) {
            case Grad g -> leaf == Grad.class;
            case Self s -> leaf == Self.class;
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

    /** {@code s - a}. */
    static Derivative rsub(double s, Derivative a) { return new Binary(BinaryOp.SUB, constant(s), a); }

    static Derivative where(Derivative cond, Derivative a, Derivative b) { return new Where(cond, a, b); }
}
