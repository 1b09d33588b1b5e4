package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bias and weight gradients of a linear layer followed by a ReLU, {@code out = relu(a·b +
 * bias)}, when a's own gradient is not wanted — the first layer of a network, fed the data — in
 * one pass over the upstream gradient g and the saved output, with a few (at most {@link #MAX_K})
 * input features: with {@code d = out <= 0 ? 0 : g} (threshold_backward; a NaN output passes g),
 * {@code gbias[j] = Σ_i d[i, j]} and {@code gb[p, j] = Σ_i a[i, p]·d[i, j]}.
 *
 * <p>Why: unfused, d is written out (an (m, n) array, cold when fresh) and read back twice, by the
 * bias's sum and by the product {@code aᵀ·d}; here it lives in registers for the moment it takes
 * to add it in, so the pass reads g and out once and writes only the (k + 1) x n results.
 *
 * <p>Same arithmetic, in the same order, as the unfused route, so the results are those of
 * threshold_backward, sum and matmul bit for bit where those take their usual kernels: the bias
 * sum as {@link CpuReduce}'s sum over the outer dim (float sums over blocks of
 * {@link CpuReduce#SUM_BLOCK_ROWS} rows, folded into doubles), the weight as
 * {@link SgemmSkinny}'s short-m product (one float fma per row, rows in order, from zero).
 *
 * <p>Layout: g and out dense row-major (m, n); a (m, k) at any strides; gb dense (k, n); gbias
 * dense (n). Each thread takes a band of columns and keeps the band's accumulators in small
 * buffers, adding a block of rows at a time into registers; rows are read left to right.
 */
final class ReluLinearGrads {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** Largest number of input features: one bias and four weight accumulators per vector of columns. */
    static final int MAX_K = 4;
    /** Elements of g from which the pass is split across cores (as {@link SgemmSkinny}'s products). */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 17;
    private static final int CHUNKS_PER_THREAD = 8;

    private ReluLinearGrads() {}

    /**
     * The pass over rows 0..m of g (offset gOff) and out (offset oOff), row length n; a's element
     * (i, p) at {@code aOff + i*ars + p*acs}; gbias may be null.
     */
    static void apply(int m, int n, int k, float[] g, int gOff, float[] out, int oOff,
                      float[] a, int aOff, int ars, int acs,
                      float[] gbias, int biasOff, float[] gb, int gbOff) {
        int vectors = (n + L - 1) / L;
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, L * m));
        CpuParallel.parallelFor(vectors, grain, CHUNKS_PER_THREAD, (v0, v1) -> {
            int j0 = v0 * L, j1 = Math.min(n, v1 * L), width = j1 - j0;
            float[] part = new float[width];          // the bias's float sums of the current block
            double[] sums = new double[width];        // ... folded in after each block
            float[] w = new float[MAX_K * width];     // the weight's rows, as short-m keeps them
            // features past k repeat the last one into a spare row: computed, never stored
            int c1 = Math.min(1, k - 1) * acs, c2 = Math.min(2, k - 1) * acs, c3 = Math.min(3, k - 1) * acs;
            int o1 = Math.min(1, k - 1) * width, o2 = Math.min(2, k - 1) * width, o3 = Math.min(3, k - 1) * width;
            int full = F.loopBound(width);
            for (int i0 = 0; i0 < m; i0 += CpuReduce.SUM_BLOCK_ROWS) {
                int i1 = Math.min(m, i0 + CpuReduce.SUM_BLOCK_ROWS);
                int j = 0;
                for (; j < full; j += L) {
                    blockVector(i0, i1, j, j0 + j, n, g, gOff, out, oOff, a, aOff, ars, c1, c2, c3,
                            part, w, o1, o2, o3);
                }
                if (j < width) {
                    blockTail(i0, i1, j, width, j0 + j, n, g, gOff, out, oOff, a, aOff, ars, c1, c2, c3,
                            part, w, o1, o2, o3);
                }
                for (int c = 0; c < width; c++) { sums[c] += part[c]; part[c] = 0f; }
            }
            if (gbias != null) for (int c = 0; c < width; c++) gbias[biasOff + j0 + c] = (float) sums[c];
            for (int p = 0; p < k; p++) System.arraycopy(w, p * width, gb, gbOff + p * n + j0, width);
        });
    }

    /**
     * One vector of columns (band position j, matrix column col) through rows i0..i1. Kept small
     * and unmasked: the JIT turns Vector API calls into SIMD instructions only when it can inline
     * them all into one compilation.
     */
    private static void blockVector(int i0, int i1, int j, int col, int n, float[] g, int gOff, float[] out, int oOff,
                                    float[] a, int aOff, int ars, int c1, int c2, int c3,
                                    float[] part, float[] w, int o1, int o2, int o3) {
        FloatVector s = FloatVector.fromArray(F, part, j);
        FloatVector w0 = FloatVector.fromArray(F, w, j);
        FloatVector w1 = FloatVector.fromArray(F, w, o1 + j);
        FloatVector w2 = FloatVector.fromArray(F, w, o2 + j);
        FloatVector w3 = FloatVector.fromArray(F, w, o3 + j);
        for (int i = i0; i < i1; i++) {
            int at = i * n + col;
            FloatVector d = Float32Loops.thresholdBackward(FloatVector.fromArray(F, g, gOff + at),
                    FloatVector.fromArray(F, out, oOff + at));
            int ai = aOff + i * ars;
            s = s.add(d);
            w0 = FloatVector.broadcast(F, a[ai]).fma(d, w0);
            w1 = FloatVector.broadcast(F, a[ai + c1]).fma(d, w1);
            w2 = FloatVector.broadcast(F, a[ai + c2]).fma(d, w2);
            w3 = FloatVector.broadcast(F, a[ai + c3]).fma(d, w3);
        }
        s.intoArray(part, j);
        // the repeated features store the same sums to the same place
        w3.intoArray(w, o3 + j);
        w2.intoArray(w, o2 + j);
        w1.intoArray(w, o1 + j);
        w0.intoArray(w, j);
    }

    /** {@link #blockVector} for the band's last, partial vector, one column at a time in scalars (the same bits). */
    private static void blockTail(int i0, int i1, int j, int width, int col, int n, float[] g, int gOff,
                                  float[] out, int oOff, float[] a, int aOff, int ars, int c1, int c2, int c3,
                                  float[] part, float[] w, int o1, int o2, int o3) {
        for (int c = j; c < width; c++) {
            float s = part[c], w0 = w[c], w1 = w[o1 + c], w2 = w[o2 + c], w3 = w[o3 + c];
            int at = col + (c - j);
            for (int i = i0; i < i1; i++) {
                float d = Float32Loops.thresholdBackward(g[gOff + i * n + at], out[oOff + i * n + at]);
                int ai = aOff + i * ars;
                s += d;
                w0 = Math.fma(a[ai], d, w0);
                w1 = Math.fma(a[ai + c1], d, w1);
                w2 = Math.fma(a[ai + c2], d, w2);
                w3 = Math.fma(a[ai + c3], d, w3);
            }
            part[c] = s;
            w[o3 + c] = w3;
            w[o2 + c] = w2;
            w[o1 + c] = w1;
            w[c] = w0;
        }
    }
}
