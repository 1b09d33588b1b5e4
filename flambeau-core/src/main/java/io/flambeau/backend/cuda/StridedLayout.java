package io.flambeau.backend.cuda;

import java.util.Arrays;

/**
 * The shape and per-operand strides of an elementwise launch, simplified before a kernel is chosen:
 * dims of size 1 are dropped and neighbouring dims that every operand steps through as one block are
 * merged, so dense tensors of any rank become one dense run and a broadcast row becomes rank 2.
 * Fewer dims means fewer divisions per element and fewer kernel variants.
 */
final class StridedLayout {
    private final long numel;
    private final long[] shape;
    private final long[][] strides; // [operand][dim]

    private StridedLayout(long numel, long[] shape, long[][] strides) {
        this.numel = numel;
        this.shape = shape;
        this.strides = strides;
    }

    /** Simplifies {@code shape} as seen through each operand's {@code strides}. */
    static StridedLayout of(long[] shape, long[]... operandStrides) {
        int rank = shape.length, ops = operandStrides.length;
        long numel = 1;
        for (long s : shape) numel *= s;
        long[] sh = new long[rank];
        long[][] st = new long[ops][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) continue;
            sh[r] = shape[d];
            for (int k = 0; k < ops; k++) st[k][r] = operandStrides[k][d];
            r++;
        }
        int w = 0;
        for (int d = 0; d < r; d++) {
            if (w > 0 && mergeable(sh, st, w - 1, d)) {
                sh[w - 1] *= sh[d];
                for (int k = 0; k < ops; k++) st[k][w - 1] = st[k][d];
            } else {
                sh[w] = sh[d];
                for (int k = 0; k < ops; k++) st[k][w] = st[k][d];
                w++;
            }
        }
        long[][] out = new long[ops][];
        for (int k = 0; k < ops; k++) out[k] = Arrays.copyOf(st[k], w);
        return new StridedLayout(numel, Arrays.copyOf(sh, w), out);
    }

    private static boolean mergeable(long[] sh, long[][] st, int outer, int inner) {
        for (long[] s : st) if (s[outer] != s[inner] * sh[inner]) return false;
        return true;
    }

    long numel() { return numel; }

    int rank() { return shape.length; }

    long[] shape() { return shape; }

    long[] strides(int operand) { return strides[operand]; }

    /** Every operand walks its elements densely (element i at offset + i). */
    boolean dense() {
        if (shape.length == 0) return true;
        if (shape.length > 1) return false;
        for (long[] s : strides) if (s[0] != 1) return false;
        return true;
    }

    /** Index arithmetic needs 64 bits: numel (and so every dim) does not fit in an unsigned 32-bit value. */
    boolean needsWideIndex() {
        return numel > 0xFFFF_FFFFL;
    }
}
