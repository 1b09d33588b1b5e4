package io.flambeau.conformance;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Advanced indexing: index lists and int64 index tensors on one or two dimensions (adjacent or
 * not, broadcasting together), boolean masks, mixed with slices; and assignment through any index
 * ({@code set}, PyTorch's {@code a[idx] = v}) of a number or a broadcast tensor.
 */
final class IndexingOps implements OpFamily {
    /** One item of {@code get(...)}/{@code set(...)}: Java text, and the object made for a run's device. */
    private record Item(String java, Function<Workspace, Object> make) {
        static Item of(ViewOps.Item basic) {
            return new Item(basic.java(), w -> basic.value());
        }
    }

    @Override
    public boolean emit(SequenceGenerator g) {
        String a = g.pick(t -> t.dim() > 0);
        if (a == null) return false;
        List<Item> items = items(g, g.value(a));
        if (items == null) return false;
        String java = String.join(", ", items.stream().map(Item::java).toList());
        if (g.rnd.nextInt(3) > 0) {
            return g.define(a + ".get(" + java + ")", w -> w.get(a).get(objects(items, w)), true, a) != null;
        }
        return assign(g, a, items, java);
    }

    private static Object[] objects(List<Item> items, Workspace w) {
        Object[] o = new Object[items.size()];
        for (int i = 0; i < o.length; i++) o[i] = items.get(i).make().apply(w);
        return o;
    }

    /** Index items with at least one list, tensor or mask among them; null when none fits the tensor. */
    private static List<Item> items(SequenceGenerator g, Tensor t) {
        Random rnd = g.rnd;
        long[] s = t.shape().toArray();
        List<Item> items = new ArrayList<>();
        switch (rnd.nextInt(5)) {
            case 0 -> { // a mask over the whole tensor: one of the program's, or computed from the tensor
                String mask = g.pick(m -> m.dtype() == DType.BOOL && m.shape().equals(t.shape()));
                String self = g.nameOf(t);
                if (mask != null && rnd.nextBoolean()) items.add(new Item(mask, w -> w.get(mask)));
                else if (t.dtype() != DType.BOOL) items.add(new Item(self + ".gt(0.0)", w -> w.get(self).gt(0.0)));
                else items.add(new Item(self, w -> w.get(self)));
            }
            case 1 -> { // a boolean[] over the first dimension
                boolean[] m = new boolean[(int) s[0]];
                for (int i = 0; i < m.length; i++) m[i] = rnd.nextBoolean();
                items.add(new Item(JavaText.array(DType.BOOL, m), w -> m));
                if (s.length > 1 && rnd.nextBoolean()) items.add(Item.of(ViewOps.basicItem(rnd, s[1])));
            }
            case 2 -> { // two index lists broadcasting together, adjacent or split by a slice
                if (s.length < 2 || s[0] == 0) return null;
                boolean split = s.length >= 3 && rnd.nextBoolean();
                int second = split ? 2 : 1;
                if (s[second] == 0) return null;
                int n = 1 + rnd.nextInt(3);
                items.add(list(rnd, s[0], n, g.rnd.nextBoolean()));
                if (split) items.add(new Item("Index.all()", w -> Index.all()));
                items.add(list(rnd, s[second], rnd.nextBoolean() ? n : 1, false));
            }
            default -> { // one list or index tensor, after some full slices
                int d = rnd.nextInt(s.length);
                if (s[d] == 0) return null;
                for (int i = 0; i < d; i++) items.add(new Item("Index.all()", w -> Index.all()));
                items.add(list(rnd, s[d], rnd.nextInt(4), rnd.nextBoolean()));
            }
        }
        return items;
    }

    /** {@code n} indices into a dimension of {@code size} (negative ones count from the end), as a long[] or an int64 tensor. */
    private static Item list(Random rnd, long size, int n, boolean asTensor) {
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
            long k = rnd.nextInt((int) size);
            idx[i] = rnd.nextInt(3) == 0 ? k - size : k;
        }
        if (!asTensor) return new Item(JavaText.array(DType.INT64, idx), w -> idx);
        boolean column = n > 1 && rnd.nextBoolean(); // an (n, 1) index broadcasts against the other indices
        String java = "Torch.tensor(" + JavaText.array(DType.INT64, idx) + ", DType.INT64, device)" + (column ? ".reshape(" + n + ", 1)" : "");
        return new Item(java, w -> {
            Tensor t = Torch.tensor(idx, DType.INT64, w.device);
            return column ? t.reshape(n, 1) : t;
        });
    }

    /**
     * {@code a.set(items, value)}: a number, or a tensor broadcasting to the indexed shape. Repeated
     * indices would leave which write wins unspecified, so tensor values go only to distinct ones.
     */
    private static boolean assign(SequenceGenerator g, String a, List<Item> items, String java) {
        Tensor picked;
        try {
            picked = g.value(a).get(objects(items, g.workspace()));
        } catch (RuntimeException e) {
            return false;
        }
        String target = "new Object[] {" + java + "}";
        if (g.rnd.nextBoolean() || hasRepeats(g.value(a), items, g)) {
            double v = g.rnd.nextInt(9) / 2.0 - 2;
            return g.mutate(a + ".set(" + target + ", " + v + ");", w -> w.get(a).set(objects(items, w), v), a, true);
        }
        long[] shape = Broadcasting.partner(picked.shape().toArray(), g.rnd);
        if (!Broadcasting.fitsInto(shape, picked.shape().toArray())) shape = picked.shape().toArray();
        String value = g.input(shape, g.value(a).dtype(), false);
        if (value == null) return false;
        return g.mutate(a + ".set(" + target + ", " + value + ");", w -> w.get(a).set(objects(items, w), w.get(value)), a,
                true, value);
    }

    /** Whether the items select some element more than once (found by indexing an arange of the same shape). */
    private static boolean hasRepeats(Tensor a, List<Item> items, SequenceGenerator g) {
        long[] offsets = new long[(int) a.numel()];
        for (int i = 0; i < offsets.length; i++) offsets[i] = i;
        Tensor positions = Torch.tensor(offsets, DType.INT64, a.device());
        long[] where = positions.reshape(a.shape().toArray()).get(objects(items, g.workspace())).toLongArray();
        return java.util.Arrays.stream(where).distinct().count() != where.length;
    }
}
