package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 products with one extent of at most a few elements — the shapes a small network
 * trains with: {@code x·W₁ᵀ} with 2 input features (short k), {@code h·W₂ᵀ} into 3 classes
 * (narrow n), the weight gradients {@code gᵀ·h} and {@code gᵀ·x} (short m). The packed path
 * pads such products to whole 12 x 32 tiles and copies the large operand into its buffers; here
 * the large operand is read once, straight from its array, and only the short side is kept in
 * registers. These products are bound by memory traffic, not arithmetic.
 *
 * <p>Three forms, each vectorised along a contiguous extent of the large operand:
 * <ul>
 *   <li>short k ({@link #MAX_SHORT_K}): each row of C is a sum of k scaled rows of B;</li>
 *   <li>short m ({@link #MAX_NARROW}): rows of C accumulate along k, a block of columns at a
 *       time, B streamed row by row;</li>
 *   <li>narrow n ({@link #MAX_NARROW}): each element of C is a dot product of a row of A with a
 *       column of B, both contiguous along k.</li>
 * </ul>
 * Shorter sides are padded to four by repeating the last row or column (computed, never
 * stored), so one register-blocked loop serves 1 to 4. Large products split across cores along
 * the long extent.
 *
 * <p>An optional bias row initialises C (C = A·B + bias, the bias indexed by column), which
 * lets a linear layer write its output once.
 */
final class SgemmSkinny {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** Largest k for the short-k form. */
    static final int MAX_SHORT_K = 8;
    /** Largest m (short-m form) or n (narrow-n form). */
    static final int MAX_NARROW = 4;
    /** Elements of the large operand from which a product is split across cores. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private SgemmSkinny() {}

    /** A bias row: element j is {@code data[off + j*stride]}. */
    record Bias(float[] data, int off, int stride) {
        float get(int j) { return data[off + j * stride]; }
    }

    /**
     * C = A·B (+ bias), or C += A·B, when one of the forms applies; returns false, having touched
     * nothing, when none does. Operands as in {@link Sgemm#sgemm}; C is row-major with {@code ldc}.
     */
    static boolean tryMultiply(int m, int n, int k,
                               float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, int bcs,
                               float[] c, int cOff, int ldc, boolean accumulate, Bias bias) {
        if (k <= MAX_SHORT_K && m > MAX_NARROW && n >= L) {
            if (bcs != 1) { // densify the k x n operand: k*n copies against m*n*k fmas
                float[] dense = new float[k * n];
                for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) dense[p * n + j] = b[bOff + p * brs + j * bcs];
                b = dense; bOff = 0; brs = n;
            }
            shortK(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, accumulate, bias);
            return true;
        }
        if (n <= MAX_NARROW && k >= L) {
            if (acs == 1) {
                if (brs != 1) { // B^T as n dense rows of k: n*k copies
                    float[] dense = new float[n * k];
                    for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) dense[j * k + p] = b[bOff + p * brs + j * bcs];
                    b = dense; bOff = 0; brs = 1; bcs = k;
                }
                narrowN(m, n, k, a, aOff, ars, b, bOff, bcs, c, cOff, ldc, 1, accumulate, bias);
                return true;
            }
            if (ars == 1 && bias == null) { // C^T = B^T·A^T has a short m, and A^T contiguous rows
                shortM(n, m, k, b, bOff, bcs, brs, a, aOff, acs, c, cOff, 1, ldc, accumulate);
                return true;
            }
        }
        if (m <= MAX_NARROW && bias == null) {
            if (bcs == 1 && n >= L) {
                shortM(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, 1, accumulate);
                return true;
            }
            if (brs == 1 && acs == 1 && k >= L) { // C^T = B^T·A^T has a narrow n, contiguous along k
                narrowN(n, m, k, b, bOff, bcs, a, aOff, ars, c, cOff, 1, ldc, accumulate, null);
                return true;
            }
        }
        return false;
    }

    // ---- short k: C[i, :] = bias + sum_p A[i, p] * B[p, :] -----------------------------------

    private static void shortK(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, float[] c, int cOff, int ldc,
                               boolean accumulate, Bias bias) {
        float[] init = null;
        if (bias != null && !accumulate) {
            init = new float[n];
            for (int j = 0; j < n; j++) init[j] = bias.get(j);
        }
        float[] biasRow = init;
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / n);
        CpuParallel.parallelFor(m, grain, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                shortKRow(n, k, a, aOff + i * ars, acs, b, bOff, brs, c, cOff + i * ldc, accumulate, biasRow);
            }
        });
    }

    private static void shortKRow(int n, int k, float[] a, int aRow, int acs, float[] b, int bOff, int brs,
                                  float[] c, int cRow, boolean accumulate, float[] biasRow) {
        int full = F.loopBound(n);
        int j = 0;
        for (; j < full; j += L) {
            FloatVector acc = accumulate ? FloatVector.fromArray(F, c, cRow + j)
                    : biasRow != null ? FloatVector.fromArray(F, biasRow, j) : FloatVector.zero(F);
            int bIdx = bOff + j;
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(F, a[aRow + p * acs]).fma(FloatVector.fromArray(F, b, bIdx), acc);
                bIdx += brs;
            }
            acc.intoArray(c, cRow + j);
        }
        if (j < n) {
            VectorMask<Float> cols = F.indexInRange(j, n);
            FloatVector acc = accumulate ? FloatVector.fromArray(F, c, cRow + j, cols)
                    : biasRow != null ? FloatVector.fromArray(F, biasRow, j, cols) : FloatVector.zero(F);
            int bIdx = bOff + j;
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(F, a[aRow + p * acs]).fma(FloatVector.fromArray(F, b, bIdx, cols), acc);
                bIdx += brs;
            }
            acc.intoArray(c, cRow + j, cols);
        }
    }

    // ---- short m: rows of C built a block of 2L columns at a time, B streamed down k ------------

    /** m ≤ 4, B's rows contiguous ({@code bcs = 1}); C at any strides. */
    private static void shortM(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, float[] c, int cOff, int crs, int ccs,
                               boolean accumulate) {
        int blocks = (n + 2 * L - 1) / (2 * L);
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, 2 * L * k));
        CpuParallel.parallelFor(blocks, grain, (q0, q1) -> {
            float[] lanes = new float[L];
            for (int q = q0; q < q1; q++) {
                shortMBlock(m, n, k, q * 2 * L, a, aOff, ars, acs, b, bOff, brs, c, cOff, crs, ccs, accumulate, lanes);
            }
        });
    }

    private static void shortMBlock(int m, int n, int k, int j, float[] a, int aOff, int ars, int acs,
                                    float[] b, int bOff, int brs, float[] c, int cOff, int crs, int ccs,
                                    boolean accumulate, float[] lanes) {
        VectorMask<Float> m0 = F.indexInRange(j, n);
        VectorMask<Float> m1 = F.indexInRange(j + L, n);
        boolean second = j + L < n;
        // rows past m repeat the last row: computed, never stored
        int a0 = aOff, a1 = aOff + Math.min(1, m - 1) * ars, a2 = aOff + Math.min(2, m - 1) * ars, a3 = aOff + Math.min(3, m - 1) * ars;
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int bIdx = bOff + j;
        boolean full = j + 2 * L <= n;
        for (int p = 0; p < k; p++) {
            FloatVector b0, b1;
            if (full) {
                b0 = FloatVector.fromArray(F, b, bIdx);
                b1 = FloatVector.fromArray(F, b, bIdx + L);
            } else {
                b0 = FloatVector.fromArray(F, b, bIdx, m0);
                b1 = second ? FloatVector.fromArray(F, b, bIdx + L, m1) : z;
            }
            int ap = p * acs;
            FloatVector w = FloatVector.broadcast(F, a[a0 + ap]);
            c00 = w.fma(b0, c00); c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(F, a[a1 + ap]);
            c10 = w.fma(b0, c10); c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(F, a[a2 + ap]);
            c20 = w.fma(b0, c20); c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(F, a[a3 + ap]);
            c30 = w.fma(b0, c30); c31 = w.fma(b1, c31);
            bIdx += brs;
        }
        storeRow(c00, c01, 0, m, n, j, c, cOff, crs, ccs, accumulate, m0, m1, second, lanes);
        storeRow(c10, c11, 1, m, n, j, c, cOff, crs, ccs, accumulate, m0, m1, second, lanes);
        storeRow(c20, c21, 2, m, n, j, c, cOff, crs, ccs, accumulate, m0, m1, second, lanes);
        storeRow(c30, c31, 3, m, n, j, c, cOff, crs, ccs, accumulate, m0, m1, second, lanes);
    }

    private static void storeRow(FloatVector v0, FloatVector v1, int row, int m, int n, int j,
                                 float[] c, int cOff, int crs, int ccs, boolean accumulate,
                                 VectorMask<Float> m0, VectorMask<Float> m1, boolean second, float[] lanes) {
        if (row >= m) return;
        int base = cOff + row * crs;
        if (ccs == 1) {
            if (accumulate) v0 = v0.add(FloatVector.fromArray(F, c, base + j, m0));
            v0.intoArray(c, base + j, m0);
            if (second) {
                if (accumulate) v1 = v1.add(FloatVector.fromArray(F, c, base + j + L, m1));
                v1.intoArray(c, base + j + L, m1);
            }
            return;
        }
        scatter(v0, j, n, c, base, ccs, accumulate, lanes);
        if (second) scatter(v1, j + L, n, c, base, ccs, accumulate, lanes);
    }

    private static void scatter(FloatVector v, int j, int n, float[] c, int base, int ccs, boolean accumulate, float[] lanes) {
        v.intoArray(lanes, 0);
        int count = Math.min(L, n - j);
        for (int l = 0; l < count; l++) {
            int idx = base + (j + l) * ccs;
            c[idx] = accumulate ? c[idx] + lanes[l] : lanes[l];
        }
    }

    // ---- narrow n: C[i, j] = bias[j] + dot(A[i, :], B[:, j]) ----------------------------------

    /** n ≤ 4, A's rows and B's columns contiguous along k; C at any strides. */
    private static void narrowN(int m, int n, int k, float[] a, int aOff, int ars,
                                float[] b, int bOff, int bcs, float[] c, int cOff, int crs, int ccs,
                                boolean accumulate, Bias bias) {
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / k);
        int b0 = bOff, b1 = bOff + Math.min(1, n - 1) * bcs, b2 = bOff + Math.min(2, n - 1) * bcs, b3 = bOff + Math.min(3, n - 1) * bcs;
        CpuParallel.parallelFor(m, grain, (i0, i1) -> {
            float[] dots = new float[4];
            for (int i = i0; i < i1; i++) {
                dotRow(k, a, aOff + i * ars, b, b0, b1, b2, b3, dots);
                int cRow = cOff + i * crs;
                for (int j = 0; j < n; j++) {
                    int idx = cRow + j * ccs;
                    float base = accumulate ? c[idx] : bias != null ? bias.get(j) : 0f;
                    c[idx] = base + dots[j];
                }
            }
        });
    }

    /** The four dot products of one row of A with four columns of B. */
    private static void dotRow(int k, float[] a, int aRow, float[] b, int b0, int b1, int b2, int b3, float[] dots) {
        FloatVector z = FloatVector.zero(F);
        FloatVector s0 = z, s1 = z, s2 = z, s3 = z;
        int full = F.loopBound(k);
        int p = 0;
        for (; p < full; p += L) {
            FloatVector av = FloatVector.fromArray(F, a, aRow + p);
            s0 = av.fma(FloatVector.fromArray(F, b, b0 + p), s0);
            s1 = av.fma(FloatVector.fromArray(F, b, b1 + p), s1);
            s2 = av.fma(FloatVector.fromArray(F, b, b2 + p), s2);
            s3 = av.fma(FloatVector.fromArray(F, b, b3 + p), s3);
        }
        if (p < k) {
            VectorMask<Float> tail = F.indexInRange(p, k);
            FloatVector av = FloatVector.fromArray(F, a, aRow + p, tail);
            s0 = av.fma(FloatVector.fromArray(F, b, b0 + p, tail), s0);
            s1 = av.fma(FloatVector.fromArray(F, b, b1 + p, tail), s1);
            s2 = av.fma(FloatVector.fromArray(F, b, b2 + p, tail), s2);
            s3 = av.fma(FloatVector.fromArray(F, b, b3 + p, tail), s3);
        }
        dots[0] = s0.reduceLanes(VectorOperators.ADD);
        dots[1] = s1.reduceLanes(VectorOperators.ADD);
        dots[2] = s2.reduceLanes(VectorOperators.ADD);
        dots[3] = s3.reduceLanes(VectorOperators.ADD);
    }
}
