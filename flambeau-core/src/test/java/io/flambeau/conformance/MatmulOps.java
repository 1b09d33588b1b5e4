package io.flambeau.conformance;

import io.flambeau.Torch;

import java.util.Arrays;
import java.util.Random;

/**
 * Matrix products in every form {@code matmul} takes: vector·vector, matrix·vector,
 * vector·matrix, matrix·matrix ({@code mm} too), batched, and batched with broadcast batch
 * dimensions, the right operand now and then a transposed view (cuBLAS's transpose flags).
 */
final class MatmulOps implements OpFamily {
    @Override
    public boolean emit(SequenceGenerator g) {
        Random rnd = g.rnd;
        String a = g.pick(t -> t.dtype().isFloating() && t.dim() >= 1);
        if (a == null || rnd.nextInt(4) == 0) a = g.input(g.randomShape(1 + rnd.nextInt(4)), g.floatType, g.tracksGrad && rnd.nextBoolean());
        if (a == null) return false;
        long[] left = g.value(a).shape().toArray();
        long n = left[left.length - 1];
        long p = rnd.nextInt(12) == 0 ? 0 : 1 + rnd.nextInt(4);
        long[] right = switch (rnd.nextInt(left.length == 1 ? 3 : 4)) {
            case 0 -> new long[] {n};
            case 1 -> new long[] {n, p};
            case 2 -> batched(rnd, left, n, p);
            default -> {
                long[] r = left.clone(); // the same batch dimensions
                r[r.length - 2] = n;
                r[r.length - 1] = p;
                yield r;
            }
        };
        if (SequenceGenerator.numel(right) > SequenceGenerator.MAX_ELEMENTS) right = new long[] {n, p};
        String b = transposedInput(g, right);
        if (b == null) return false;
        String fa = a;
        if (left.length == 2 && right.length == 2 && rnd.nextBoolean()) {
            return g.define(a + ".mm(" + b + ")", w -> w.get(fa).mm(w.get(b)), false, a, b) != null;
        }
        return g.define(rnd.nextBoolean() ? a + ".matmul(" + b + ")" : "Torch.matmul(" + a + ", " + b + ")",
                w -> Torch.matmul(w.get(fa), w.get(b)), false, a, b) != null;
    }

    /** (batch..., n, p) with batch dimensions that broadcast against the left operand's. */
    private static long[] batched(Random rnd, long[] left, long n, long p) {
        long[] batch = left.length > 2 ? Arrays.copyOf(left, left.length - 2) : new long[] {1 + rnd.nextInt(3)};
        batch = Broadcasting.partner(batch, rnd);
        long[] r = Arrays.copyOf(batch, batch.length + 2);
        r[batch.length] = n;
        r[batch.length + 1] = p;
        return r;
    }

    /** A new input of {@code shape}; for a matrix, half the time the transpose of a (p, n) input. */
    private static String transposedInput(SequenceGenerator g, long[] shape) {
        boolean grad = g.tracksGrad && g.rnd.nextBoolean();
        if (shape.length < 2 || g.rnd.nextBoolean()) return g.input(shape, g.floatType, grad);
        long[] swapped = shape.clone();
        swapped[shape.length - 1] = shape[shape.length - 2];
        swapped[shape.length - 2] = shape[shape.length - 1];
        String base = g.input(swapped, g.floatType, grad);
        if (base == null) return null;
        return g.define(base + ".transpose(-1, -2)", w -> w.get(base).transpose(-1, -2), true, base);
    }

}
