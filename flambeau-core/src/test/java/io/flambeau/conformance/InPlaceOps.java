package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.core.DType;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * In-place operations: {@code add_}, {@code sub_}, {@code mul_}, {@code div_} with a tensor
 * broadcast to the target or with a number, {@code zero_}, {@code fill_} and {@code copy_}. The
 * target is often a view, so the write must reach its base and every other view of it; while
 * gradients are recorded, autograd's rules for in-place writes must hold alike on every backend.
 */
final class InPlaceOps implements OpFamily {
    private record WithTensor(String name, BiConsumer<Tensor, Tensor> f) {}

    private static final WithTensor[] WITH_TENSOR = {
            new WithTensor("add_", Tensor::add_), new WithTensor("sub_", Tensor::sub_), new WithTensor("mul_", Tensor::mul_),
            new WithTensor("div_", Tensor::div_), new WithTensor("copy_", Tensor::copy_)};

    @Override
    public boolean emit(SequenceGenerator g) {
        Random rnd = g.rnd;
        // a leaf that requires grad refuses in-place writes: try one only now and then
        String a = g.pick(t -> !(t.isLeaf() && t.requiresGrad()) || rnd.nextInt(10) == 0);
        if (a == null) return false;
        Tensor t = g.value(a);
        switch (rnd.nextInt(4)) {
            case 0 -> {
                WithTensor op = WITH_TENSOR[rnd.nextInt(WITH_TENSOR.length)];
                String b = source(g, t);
                if (b == null) return false;
                return g.mutate(a + "." + op.name() + "(" + b + ");", w -> op.f().accept(w.get(a), w.get(b)), a, true, b);
            }
            case 1 -> {
                double v = (rnd.nextInt(9) - 4) / 2.0;
                String[] names = {"add_", "sub_", "mul_", "div_"};
                int k = rnd.nextInt(names.length);
                return g.mutate(a + "." + names[k] + "(" + v + ");", w -> {
                    Tensor x = w.get(a);
                    switch (k) {
                        case 0 -> x.add_(v);
                        case 1 -> x.sub_(v);
                        case 2 -> x.mul_(v);
                        default -> x.div_(v);
                    }
                }, a, true);
            }
            case 2 -> {
                return g.mutate(a + ".zero_();", w -> w.get(a).zero_(), a, true);
            }
            default -> {
                double v = t.dtype() == DType.BOOL ? 1 : (rnd.nextInt(9) - 4) / 4.0;
                return g.mutate(a + ".fill_(" + v + ");", w -> w.get(a).fill_(v), a, true);
            }
        }
    }

    /** A tensor whose shape broadcasts to exactly the target's: an existing one that fits, or a new input. */
    private static String source(SequenceGenerator g, Tensor target) {
        long[] s = target.shape().toArray();
        if (g.rnd.nextInt(3) == 0) {
            String b = g.pick(t -> t != target && Broadcasting.fitsInto(t.shape().toArray(), s));
            if (b != null) return b;
        }
        long[] shape = s.clone();
        for (int i = 0; i < shape.length; i++) if (g.rnd.nextInt(3) == 0) shape[i] = 1;
        if (shape.length > 0 && g.rnd.nextInt(3) == 0) shape = Arrays.copyOfRange(shape, g.rnd.nextInt(shape.length + 1), shape.length);
        DType dtype = g.rnd.nextInt(5) > 0 ? target.dtype() : g.randomDType();
        return g.input(shape, dtype, g.tracksGrad && g.rnd.nextBoolean());
    }
}
