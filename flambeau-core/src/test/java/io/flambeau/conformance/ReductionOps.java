package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.ValuesIndices;
import io.flambeau.core.DType;
import io.flambeau.nn.F;

import java.util.List;
import java.util.Random;

/**
 * Reductions over everything or one dimension, with and without keepdim: sum, mean, max/min
 * (values and indices; ties and NaNs must pick the same element everywhere), argmax/argmin, and
 * softmax/log-softmax along a dimension. Floating sums depend on the order of additions, so they
 * are compared to 1e-5; integer sums and the selections are exact.
 */
final class ReductionOps implements OpFamily {
    @Override
    public boolean emit(SequenceGenerator g) {
        String a = g.pick(t -> true);
        if (a == null) return false;
        Tensor t = g.value(a);
        Random rnd = g.rnd;
        int r = t.dim();
        int d = r == 0 ? (rnd.nextBoolean() ? 0 : -1) : ViewOps.dim(rnd, r);
        boolean keep = rnd.nextBoolean();
        boolean exactSum = !t.dtype().isFloating();
        String dk = d + ", " + keep;
        return switch (rnd.nextInt(11)) {
            case 0 -> g.define(a + ".sum()", w -> w.get(a).sum(), exactSum, a) != null;
            case 1 -> g.define(a + ".sum(" + dk + ")", w -> w.get(a).sum(d, keep), exactSum, a) != null;
            case 2 -> g.define(a + ".mean()", w -> w.get(a).mean(), false, a) != null;
            case 3 -> g.define(a + ".mean(" + dk + ")", w -> w.get(a).mean(d, keep), false, a) != null;
            case 4 -> rnd.nextBoolean() ? g.define(a + ".max()", w -> w.get(a).max(), true, a) != null
                    : g.define(a + ".min()", w -> w.get(a).min(), true, a) != null;
            case 5, 6 -> valuesIndices(g, a, d, keep, rnd.nextBoolean());
            case 7 -> rnd.nextBoolean() ? g.define(a + ".argmax()", w -> w.get(a).argmax(), true, a) != null
                    : g.define(a + ".argmin()", w -> w.get(a).argmin(), true, a) != null;
            case 8 -> rnd.nextBoolean() ? g.define(a + ".argmax(" + dk + ")", w -> w.get(a).argmax(d, keep), true, a) != null
                    : g.define(a + ".argmin(" + dk + ")", w -> w.get(a).argmin(d, keep), true, a) != null;
            default -> t.dtype() != DType.BOOL && rnd.nextBoolean()
                    ? g.define("F.softmax(" + a + ", " + d + ")", w -> F.softmax(w.get(a), d), false, a) != null
                    : g.define("F.logSoftmax(" + a + ", " + d + ")", w -> F.logSoftmax(w.get(a), d), false, a) != null;
        };
    }

    /** {@code ValuesIndices r = a.max(d, keep)}: both results compared. */
    private static boolean valuesIndices(SequenceGenerator g, String a, int d, boolean keep, boolean max) {
        String r = "r" + g.fresh().substring(1), values = g.fresh(), indices = g.fresh();
        String call = (max ? "max(" : "min(") + d + ", " + keep + ")";
        String java = "ValuesIndices " + r + " = " + a + "." + call + "; Tensor " + values + " = " + r + ".values(), "
                + indices + " = " + r + ".indices();";
        return g.emit(new Step(java, w -> {
            ValuesIndices vi = max ? w.get(a).max(d, keep) : w.get(a).min(d, keep);
            w.put(values, vi.values());
            w.put(indices, vi.indices());
        }, List.of(a), List.of(values, indices), g.exact(a)));
    }
}
