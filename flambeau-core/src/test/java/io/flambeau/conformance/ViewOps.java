package io.flambeau.conformance;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Views and layout changes: basic indexing (integers, slices with steps and out-of-range bounds,
 * {@code None}, {@code ...}), transpose, permute, expand, reshape and view, flatten, squeeze and
 * unsqueeze; and the copies beside them: contiguous, clone, detach, dtype conversion. Later steps
 * read through these views, and in-place steps write through them.
 */
final class ViewOps implements OpFamily {
    /** One item of {@code get(...)}: its Java text and the object passed. */
    record Item(String java, Object value) {}

    @Override
    public boolean emit(SequenceGenerator g) {
        String a = g.pick(t -> true);
        if (a == null) return false;
        long[] s = g.value(a).shape().toArray();
        int r = s.length;
        Random rnd = g.rnd;
        return switch (rnd.nextInt(12)) {
            case 0, 1 -> slice(g, a, s);
            case 2 -> {
                if (r == 0) yield false;
                int d0 = dim(rnd, r), d1 = dim(rnd, r);
                yield view(g, a, "transpose(" + d0 + ", " + d1 + ")", t -> t.transpose(d0, d1));
            }
            case 3 -> r <= 2 ? view(g, a, "t()", Tensor::t) : permute(g, a, r);
            case 4 -> expand(g, a, s);
            case 5 -> {
                long[] shape = reshapeTarget(rnd, s);
                String args = JavaText.args(shape);
                yield rnd.nextBoolean() ? view(g, a, "reshape(" + args + ")", t -> t.reshape(shape))
                        : view(g, a, "view(" + args + ")", t -> t.view(shape));
            }
            case 6 -> {
                int start = r == 0 ? 0 : dim(rnd, r), end = r == 0 ? -1 : dim(rnd, r);
                yield view(g, a, "flatten(" + start + ", " + end + ")", t -> t.flatten(start, end));
            }
            case 7 -> {
                int d = rnd.nextInt(r + 1) - (rnd.nextBoolean() ? r + 1 : 0);
                yield view(g, a, "unsqueeze(" + d + ")", t -> t.unsqueeze(d));
            }
            case 8 -> {
                if (r == 0 || rnd.nextBoolean()) yield view(g, a, "squeeze()", Tensor::squeeze);
                int d = dim(rnd, r);
                yield view(g, a, "squeeze(" + d + ")", t -> t.squeeze(d));
            }
            case 9 -> rnd.nextBoolean() ? view(g, a, "contiguous()", Tensor::contiguous) : view(g, a, "clone()", Tensor::clone);
            case 10 -> view(g, a, "detach()", Tensor::detach);
            default -> {
                DType to = DType.values()[rnd.nextInt(DType.values().length)];
                yield view(g, a, "to(DType." + to.name() + ")", t -> t.to(to));
            }
        };
    }

    private static boolean view(SequenceGenerator g, String a, String java, Function<Tensor, Tensor> f) {
        return g.define(a + "." + java, w -> f.apply(w.get(a)), true, a) != null;
    }

    /** A dimension index for rank r, negative half the time. */
    static int dim(Random rnd, int r) {
        int d = rnd.nextInt(r);
        return rnd.nextBoolean() ? d : d - r;
    }

    private static boolean permute(SequenceGenerator g, String a, int r) {
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < r; i++) dims.add(i);
        java.util.Collections.shuffle(dims, g.rnd);
        int[] p = dims.stream().mapToInt(Integer::intValue).toArray();
        return view(g, a, "permute(" + JavaText.args(p) + ")", t -> t.permute(p));
    }

    /** Size-1 dimensions widened, new leading dimensions, -1 for "keep" now and then. */
    private static boolean expand(SequenceGenerator g, String a, long[] s) {
        Random rnd = g.rnd;
        int lead = s.length < 4 && rnd.nextInt(3) == 0 ? 1 : 0;
        long[] to = new long[s.length + lead];
        long n = 1;
        for (int i = 0; i < to.length; i++) {
            long own = i < lead ? 1 : s[i - lead];
            long size = own == 1 && rnd.nextBoolean() ? 2 + rnd.nextInt(3) : own;
            if (n * Math.max(size, 1) > SequenceGenerator.MAX_ELEMENTS) size = own;
            n *= Math.max(size, 1);
            to[i] = i >= lead && size == own && rnd.nextInt(3) == 0 ? -1 : size;
        }
        return view(g, a, "expand(" + JavaText.args(to) + ")", t -> t.expand(to));
    }

    /** A random shape with as many elements as {@code s} (one -1 now and then). */
    static long[] reshapeTarget(Random rnd, long[] s) {
        long n = SequenceGenerator.numel(s);
        List<Long> dims = new ArrayList<>();
        if (n == 0) {
            dims.add(0L);
            if (rnd.nextBoolean()) dims.add(1 + (long) rnd.nextInt(3));
        } else {
            long left = n;
            while (left > 1 && dims.size() < 3) {
                List<Long> divisors = new ArrayList<>();
                for (long d = 2; d <= left; d++) if (left % d == 0) divisors.add(d);
                long d = divisors.get(rnd.nextInt(divisors.size()));
                dims.add(d);
                left /= d;
            }
            if (left > 1) dims.add(left);
            if (rnd.nextInt(4) == 0) dims.add(rnd.nextInt(dims.size() + 1), 1L);
        }
        java.util.Collections.shuffle(dims, rnd);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (n > 0 && shape.length > 0 && rnd.nextInt(3) == 0) shape[rnd.nextInt(shape.length)] = -1;
        return shape;
    }

    /** {@code a.get(items)}: an item for some leading dimensions, sometimes after {@code ...} or with {@code None}. */
    private static boolean slice(SequenceGenerator g, String a, long[] s) {
        Random rnd = g.rnd;
        List<Item> items = new ArrayList<>();
        boolean ellipsis = s.length > 1 && rnd.nextInt(5) == 0;
        if (ellipsis) items.add(new Item("Index.ellipsis()", Index.ellipsis()));
        int count = s.length == 0 ? 0 : 1 + rnd.nextInt(s.length);
        for (int i = 0; i < count; i++) {
            long size = ellipsis ? s[s.length - count + i] : s[i];
            items.add(basicItem(rnd, size));
        }
        if (items.isEmpty() || rnd.nextInt(6) == 0) items.add(rnd.nextInt(items.size() + 1), new Item("Index.newAxis()", Index.newAxis()));
        Object[] values = items.stream().map(Item::value).toArray();
        String java = String.join(", ", items.stream().map(Item::java).toList());
        return g.define(a + ".get(" + java + ")", w -> w.get(a).get(values), true, a) != null;
    }

    /** An integer index (negative counts from the end) or a slice, for a dimension of {@code size}. */
    static Item basicItem(Random rnd, long size) {
        int r = rnd.nextInt(5);
        if (r == 0 && size > 0) {
            int i = rnd.nextInt((int) size);
            int at = rnd.nextBoolean() ? i : i - (int) size;
            return new Item(Integer.toString(at), at);
        }
        if (r == 1) return new Item("Index.all()", Index.all());
        // bounds may lie outside the dimension: slicing clamps them, as in Python
        Long start = rnd.nextInt(3) == 0 ? null : (long) (rnd.nextInt((int) size + 3) - 1 - (rnd.nextInt(4) == 0 ? size : 0));
        Long stop = rnd.nextInt(3) == 0 ? null : (long) (rnd.nextInt((int) size + 3) - (rnd.nextInt(4) == 0 ? size : 0));
        long step = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(3) : 0);
        return new Item("Index.slice(" + (start == null ? "null" : start + "L") + ", " + (stop == null ? "null" : stop + "L")
                + ", " + step + ")", Index.slice(start, stop, step));
    }
}
