package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;

import io.flambeau.backend.UnaryOp;
import io.flambeau.testutil.OpNames;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Unary functions, broadcasting binary operations, operations with a Java number, comparisons,
 * {@code where} and the logical operations, over every dtype (type promotion included).
 */
final class ElementwiseOps implements OpFamily {
    /** A method of Tensor with its arguments, and whether every backend must round it the same. */
    private record Unary(String java, UnaryOperator<Tensor> f, boolean exact) {}

    private record Binary(String name, BiFunction<Tensor, Tensor, Tensor> f, boolean exact) {}

    private record WithNumber(String java, UnaryOperator<Tensor> f, boolean exact) {}

    /** Ops with parameters, each called here with some; the others come from the definitions. */
    private static final Set<UnaryOp> PARAMETRISED = EnumSet.of(UnaryOp.LEAKY_RELU, UnaryOp.CLAMP, UnaryOp.GELU_TANH);

    private static final List<Unary> UNARY = unaryOps();

    /**
     * The ops with parameters by hand, then every other {@link UnaryOp} through the public method named after
     * it ({@code log1p()}), exact when the definition says every backend computes it exactly.
     */
    private static List<Unary> unaryOps() {
        List<Unary> ops = new ArrayList<>(List.of(
                new Unary("leakyRelu(0.1)", t -> t.leakyRelu(0.1), true),
                new Unary("clamp(-0.5, 1.0)", t -> t.clamp(-0.5, 1.0), true),
                new Unary("clampMin(0.25)", t -> t.clampMin(0.25), true),
                new Unary("clampMax(-0.5)", t -> t.clampMax(-0.5), true),
                new Unary("gelu(\"tanh\")", t -> t.gelu("tanh"), false)));
        for (UnaryOp op : UnaryOp.values()) {
            if (PARAMETRISED.contains(op)) continue;
            String name = OpNames.javaMethod(op.torchName());
            Method method;
            try {
                method = Tensor.class.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(op + ": no public Tensor." + name + "(); give it a call in unaryOps", e);
            }
            ops.add(new Unary(name + "()", t -> call(method, t), op.exactEverywhere()));
        }
        return List.copyOf(ops);
    }

    /** The method's own exception (a refused dtype, say), not reflection's wrapper. */
    private static Tensor call(Method method, Tensor t) {
        try {
            return (Tensor) method.invoke(t);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<Binary> BINARY = List.of(
            new Binary("add", Tensor::add, true), new Binary("sub", Tensor::sub, true),
            new Binary("mul", Tensor::mul, true), new Binary("div", Tensor::div, true),
            new Binary("maximum", Tensor::maximum, true), new Binary("minimum", Tensor::minimum, true),
            new Binary("pow", Tensor::pow, false));

    private static final List<Binary> COMPARISONS = List.of(
            new Binary("eq", Tensor::eq, true), new Binary("ne", Tensor::ne, true), new Binary("lt", Tensor::lt, true),
            new Binary("le", Tensor::le, true), new Binary("gt", Tensor::gt, true), new Binary("ge", Tensor::ge, true),
            new Binary("logicalAnd", Tensor::logicalAnd, true), new Binary("logicalOr", Tensor::logicalOr, true));

    private static final List<WithNumber> WITH_NUMBER = List.of(
            new WithNumber("add(0.5)", t -> t.add(0.5), true), new WithNumber("add(2L)", t -> t.add(2L), true),
            new WithNumber("sub(0.1)", t -> t.sub(0.1), true), new WithNumber("sub(3L)", t -> t.sub(3L), true),
            new WithNumber("mul(-1.5)", t -> t.mul(-1.5), true), new WithNumber("mul(3L)", t -> t.mul(3L), true),
            new WithNumber("mul(0.3)", t -> t.mul(0.3), true),
            new WithNumber("div(4.0)", t -> t.div(4.0), true), new WithNumber("div(3L)", t -> t.div(3L), true),
            new WithNumber("div(0.0)", t -> t.div(0.0), true),
            new WithNumber("rsub(1.0)", t -> t.rsub(1.0), true), new WithNumber("rsub(2L)", t -> t.rsub(2L), true),
            new WithNumber("rdiv(1.0)", t -> t.rdiv(1.0), true),
            new WithNumber("pow(2.0)", t -> t.pow(2.0), false), new WithNumber("pow(2L)", t -> t.pow(2L), false),
            new WithNumber("pow(0.5)", t -> t.pow(0.5), false), new WithNumber("pow(-1.0)", t -> t.pow(-1.0), false),
            new WithNumber("gt(0.25)", t -> t.gt(0.25), true), new WithNumber("le(-0.5)", t -> t.le(-0.5), true),
            new WithNumber("eq(1.0)", t -> t.eq(1.0), true), new WithNumber("ne(0.0)", t -> t.ne(0.0), true),
            new WithNumber("lt(0.0)", t -> t.lt(0.0), true), new WithNumber("ge(0.5)", t -> t.ge(0.5), true));

    @Override
    public boolean emit(SequenceGenerator g) {
        return switch (g.rnd.nextInt(8)) {
            case 0, 1 -> unary(g);
            case 2, 3 -> binary(g, BINARY.get(g.rnd.nextInt(BINARY.size())));
            case 4, 5 -> withNumber(g);
            case 6 -> binary(g, COMPARISONS.get(g.rnd.nextInt(COMPARISONS.size())));
            default -> where(g);
        };
    }

    private static boolean unary(SequenceGenerator g) {
        // bools only now and then: most functions refuse them, which must be refused alike
        String a = g.pick(t -> t.dtype() != DType.BOOL || g.rnd.nextInt(4) == 0);
        if (a == null) return false;
        Unary u = UNARY.get(g.rnd.nextInt(UNARY.size()));
        return g.define(a + "." + u.java(), w -> u.f().apply(w.get(a)), u.exact(), a) != null;
    }

    private static boolean withNumber(SequenceGenerator g) {
        String a = g.pick(t -> t.dtype() != DType.BOOL || g.rnd.nextInt(4) == 0);
        if (a == null) return false;
        WithNumber op = WITH_NUMBER.get(g.rnd.nextInt(WITH_NUMBER.size()));
        return g.define(a + "." + op.java(), w -> op.f().apply(w.get(a)), op.exact(), a) != null;
    }

    private static boolean binary(SequenceGenerator g, Binary op) {
        String a = g.pick(t -> true);
        if (a == null) return false;
        String b = partner(g, a);
        if (b == null) return false;
        return g.define(a + "." + op.name() + "(" + b + ")", w -> op.f().apply(w.get(a), w.get(b)), op.exact(), a, b) != null;
    }

    /** {@code Torch.where(a.gt(x), a, b)} or with an existing bool condition. */
    private static boolean where(SequenceGenerator g) {
        String a = g.pick(t -> t.dtype() != DType.BOOL);
        if (a == null) return false;
        String b = partner(g, a);
        if (b == null) return false;
        String cond = g.pick(t -> t.dtype() == DType.BOOL
                && Broadcasting.result(t.shape().toArray(), g.value(a).shape().toArray()) != null);
        if (cond != null && g.rnd.nextBoolean()) {
            return g.define("Torch.where(" + cond + ", " + a + ", " + b + ")",
                    w -> Torch.where(w.get(cond), w.get(a), w.get(b)), true, cond, a, b) != null;
        }
        return g.define("Torch.where(" + a + ".gt(0.0), " + a + ", " + b + ")",
                w -> Torch.where(w.get(a).gt(0.0), w.get(a), w.get(b)), true, a, b) != null;
    }

    /**
     * A second operand that broadcasts with {@code a}: an existing variable now and then, else a
     * new input, mostly of a's dtype.
     */
    static String partner(SequenceGenerator g, String a) {
        long[] shape = g.value(a).shape().toArray();
        if (g.rnd.nextInt(3) == 0) {
            String b = g.pick(t -> {
                long[] r = Broadcasting.result(shape, t.shape().toArray());
                return r != null && SequenceGenerator.numel(r) <= SequenceGenerator.MAX_ELEMENTS;
            });
            if (b != null) return b;
        }
        DType dtype = g.rnd.nextInt(4) > 0 ? g.value(a).dtype() : g.randomDType();
        return g.input(Broadcasting.partner(shape, g.rnd), dtype, g.tracksGrad && g.rnd.nextBoolean());
    }
}
