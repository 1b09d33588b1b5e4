package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.Torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code Torch.cat} along any dimension (parts of different sizes there, empty ones included,
 * dtypes promoted) and {@code Torch.stack} of same-shaped tensors along a new dimension.
 */
final class JoinOps implements OpFamily {
    @Override
    public boolean emit(SequenceGenerator g) {
        Random rnd = g.rnd;
        boolean stack = rnd.nextInt(3) == 0;
        String a = g.pick(t -> stack || t.dim() > 0);
        if (a == null) return false;
        Tensor first = g.value(a);
        long[] s = first.shape().toArray();
        int r = s.length;
        int d = stack ? rnd.nextInt(r + 1) - (rnd.nextBoolean() ? r + 1 : 0) : ViewOps.dim(rnd, r);
        List<String> parts = new ArrayList<>(List.of(a));
        int more = 1 + rnd.nextInt(2);
        for (int i = 0; i < more; i++) {
            if (rnd.nextInt(4) == 0) {
                parts.add(a); // the same tensor twice
                continue;
            }
            long[] shape = s.clone();
            if (!stack) shape[Math.floorMod(d, r)] = rnd.nextInt(3);
            String part = g.input(shape, rnd.nextInt(5) == 0 ? g.randomDType() : first.dtype(), g.tracksGrad && rnd.nextBoolean());
            if (part == null) return false;
            parts.add(part);
        }
        String list = "List.of(" + String.join(", ", parts) + ")";
        String call = (stack ? "Torch.stack(" : "Torch.cat(") + list + ", " + d + ")";
        return g.define(call, w -> {
            List<Tensor> ts = parts.stream().map(w::get).toList();
            return stack ? Torch.stack(ts, d) : Torch.cat(ts, d);
        }, true, parts.toArray(String[]::new)) != null;
    }
}
