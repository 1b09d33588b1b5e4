package io.flambeau.conformance;

import io.flambeau.Tensor;

import java.util.List;

/**
 * The end of a program that records gradients: a random scalar made from one of its float results
 * (sum, mean, a weighted sum, a sum of squares, or the max), then {@code backward()}. The
 * gradients of every leaf are compared afterwards.
 */
final class Backward {
    private Backward() {}

    static void emit(SequenceGenerator g) {
        String a = g.pick(t -> t.requiresGrad() && t.dtype().isFloating());
        if (a == null) return;
        Tensor t = g.value(a);
        String weights = null;
        int kind = g.rnd.nextInt(5);
        if (kind == 2) weights = g.input(t.shape().toArray(), t.dtype(), false);
        String loss = g.fresh(), wts = weights;
        String expr = switch (kind) {
            case 0 -> a + ".sum()";
            case 1 -> a + ".mean()";
            case 2 -> a + ".mul(" + wts + ").sum()";
            case 3 -> a + ".pow(2.0).sum()";
            default -> a + ".max()";
        };
        g.emit(new Step("Tensor " + loss + " = " + expr + "; " + loss + ".backward();", w -> {
            Tensor x = w.get(a);
            Tensor l = switch (kind) {
                case 0 -> x.sum();
                case 1 -> x.mean();
                case 2 -> x.mul(w.get(wts)).sum();
                case 3 -> x.pow(2.0).sum();
                default -> x.max();
            };
            w.put(loss, l);
            l.backward();
        }, wts == null ? List.of(a) : List.of(a, wts), List.of(loss), false));
    }
}
