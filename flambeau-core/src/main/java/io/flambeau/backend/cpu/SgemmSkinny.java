package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 *   <li>short k ({@link #MAX_SHORT_K}): each row of C is a sum of k scaled rows of B, four rows
 *       of C at a time by {@link SgemmDirect}'s kernel, in bands of rows;</li>
 *   <li>short m ({@link #MAX_NARROW}): each thread keeps its band of columns of C's rows in a
 *       dense buffer and adds B into it {@link #SHORT_M_ROWS} rows at a time, each row read left
 *       to right;</li>
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
    /** Chunks per thread: small pieces, so a late-waking thread delays nobody. */
    private static final int CHUNKS_PER_THREAD = 8;

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
            shortK(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, bias);
            return true;
        }
        if (n <= MAX_NARROW && k >= L) {
            if (acs == 1) {
                narrowN(m, n, k, a, aOff, ars, b, bOff, brs, bcs, c, cOff, ldc, 1, accumulate, bias);
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
                narrowN(n, m, k, b, bOff, bcs, a, aOff, acs, ars, c, cOff, 1, ldc, accumulate, null);
                return true;
            }
        }
        return false;
    }

    // ---- short k: C[i, :] = bias + sum_p A[i, p] * B[p, :] -----------------------------------

    /**
     * Bands of rows through {@link SgemmDirect}'s four-row kernel, which shares each load of B
     * among four rows of C. B gets a dense copy (k*n elements against m*n*k multiply-adds) when its
     * rows are strided, or when a masked load at the end of its last row would reach past the
     * array, where masked loads are checked lane by lane — on every band; the bias row is always
     * copied with that padding.
     */
    private static void shortK(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc,
                               boolean accumulate, Bias bias) {
        float[] biasRow = bias != null && !accumulate
                ? SgemmPacking.dense(bias.data(), bias.off(), 0, bias.stride(), 1, n, L) : null;
        if (bcs != 1 || (n % L != 0 && bOff + (long) (k - 1) * brs + n + L > b.length)) {
            b = SgemmPacking.dense(b, bOff, brs, bcs, k, n, L);
            bOff = 0;
            brs = n;
        }
        float[] bb = b, init = biasRow;
        int bo = bOff, bs = brs;
        int quads = (m + 3) / 4;
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / (4 * n));
        CpuParallel.parallelFor(quads, grain, CHUNKS_PER_THREAD, (q0, q1) -> {
            int i0 = 4 * q0, i1 = Math.min(m, 4 * q1);
            SgemmDirect.multiply(i1 - i0, n, k, a, aOff + i0 * ars, ars, acs, bb, bo, bs, 1,
                    c, cOff + i0 * ldc, ldc, accumulate, init);
        });
    }

    // ---- short m: C[r, :] += A[r, p] * B[p, :], B streamed row by row -----------------------

    /** Rows of B taken per pass over a band of columns: that many streams run in parallel. */
    private static final int SHORT_M_ROWS = 32;

    /**
     * m ≤ 4, B's rows contiguous ({@code bcs = 1}); C at any strides. Each thread owns a band of
     * columns and keeps its m rows of C in a dense buffer (L1-sized for the networks of the
     * course); B is read a few rows at a time, each row left to right, which the prefetcher
     * follows — walking down a column block instead jumps a whole row per load.
     */
    private static void shortM(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, float[] c, int cOff, int crs, int ccs,
                               boolean accumulate) {
        int vectors = (n + L - 1) / L;
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, L * k));
        CpuParallel.parallelFor(vectors, grain, CHUNKS_PER_THREAD, (v0, v1) -> {
            int j0 = v0 * L, j1 = Math.min(n, v1 * L), width = j1 - j0;
            float[] acc = new float[MAX_NARROW * width + L]; // + L: masked tails stay inside
            for (int p0 = 0; p0 < k; p0 += SHORT_M_ROWS) {
                shortMRows(m, Math.min(k, p0 + SHORT_M_ROWS), p0, j0, width, a, aOff, ars, acs, b, bOff, brs, acc);
            }
            for (int r = 0; r < m; r++) {
                int base = cOff + r * crs;
                for (int j = 0; j < width; j++) {
                    int idx = base + (j0 + j) * ccs;
                    c[idx] = accumulate ? c[idx] + acc[r * width + j] : acc[r * width + j];
                }
            }
        });
    }

    /** Adds rows p0..p1 of B, scaled by A, to the m accumulator rows of columns j0..j0+width. */
    private static void shortMRows(int m, int p1, int p0, int j0, int width, float[] a, int aOff, int ars, int acs,
                                   float[] b, int bOff, int brs, float[] acc) {
        // rows past m repeat the last row into a spare accumulator row: computed, never stored
        int r1 = Math.min(1, m - 1) * ars, r2 = Math.min(2, m - 1) * ars, r3 = Math.min(3, m - 1) * ars;
        int o1 = Math.min(1, m - 1) * width, o2 = Math.min(2, m - 1) * width, o3 = Math.min(3, m - 1) * width;
        int full = F.loopBound(width);
        int j = 0;
        for (; j < full; j += L) {
            shortMVector(p0, p1, j, bOff + j0 + j, a, aOff, acs, r1, r2, r3, b, brs, acc, o1, o2, o3);
        }
        if (j < width) {
            shortMTail(F.indexInRange(j, width), p0, p1, j, bOff + j0 + j, a, aOff, acs, r1, r2, r3, b, brs, acc, o1, o2, o3);
        }
    }

    /**
     * One vector of columns of the four accumulator rows, through rows p0..p1 of B. Kept small and
     * unmasked on purpose: the JIT turns Vector API calls into SIMD instructions only when it can
     * inline them all into one compilation, and a large method can exhaust that budget.
     */
    private static void shortMVector(int p0, int p1, int j, int bCol,
                                     float[] a, int aOff, int acs, int r1, int r2, int r3,
                                     float[] b, int brs, float[] acc, int o1, int o2, int o3) {
        FloatVector c0 = FloatVector.fromArray(F, acc, j);
        FloatVector c1 = FloatVector.fromArray(F, acc, o1 + j);
        FloatVector c2 = FloatVector.fromArray(F, acc, o2 + j);
        FloatVector c3 = FloatVector.fromArray(F, acc, o3 + j);
        for (int p = p0; p < p1; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, bCol + p * brs);
            int ap = aOff + p * acs;
            c0 = FloatVector.broadcast(F, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, a[ap + r1]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, a[ap + r2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, a[ap + r3]).fma(bv, c3);
        }
        // the duplicated rows store the same sums to the same place
        c3.intoArray(acc, o3 + j);
        c2.intoArray(acc, o2 + j);
        c1.intoArray(acc, o1 + j);
        c0.intoArray(acc, j);
    }

    /** {@link #shortMVector} for the last, partial vector of columns. */
    private static void shortMTail(VectorMask<Float> cols, int p0, int p1, int j, int bCol,
                                     float[] a, int aOff, int acs, int r1, int r2, int r3,
                                     float[] b, int brs, float[] acc, int o1, int o2, int o3) {
        FloatVector c0 = FloatVector.fromArray(F, acc, j, cols);
        FloatVector c1 = FloatVector.fromArray(F, acc, o1 + j, cols);
        FloatVector c2 = FloatVector.fromArray(F, acc, o2 + j, cols);
        FloatVector c3 = FloatVector.fromArray(F, acc, o3 + j, cols);
        for (int p = p0; p < p1; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, bCol + p * brs, cols);
            int ap = aOff + p * acs;
            c0 = FloatVector.broadcast(F, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, a[ap + r1]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, a[ap + r2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, a[ap + r3]).fma(bv, c3);
        }
        // the duplicated rows store the same sums to the same place
        c3.intoArray(acc, o3 + j, cols);
        c2.intoArray(acc, o2 + j, cols);
        c1.intoArray(acc, o1 + j, cols);
        c0.intoArray(acc, j, cols);
    }

    // ---- narrow n: C[i, j] = bias[j] + dot(A[i, :], B[:, j]) ----------------------------------

    /**
     * n ≤ 4, A's rows contiguous along k; C at any strides. B's n columns get a dense copy (n*k
     * elements) when they are strided along k, or when the masked tail of the last one would reach
     * past B's end, where masked loads are checked lane by lane — on every row of C.
     */
    private static void narrowN(int m, int n, int k, float[] a, int aOff, int ars,
                                float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int crs, int ccs,
                                boolean accumulate, Bias bias) {
        if (brs != 1 || (k % L != 0 && bOff + (long) (n - 1) * bcs + k + L > b.length)) {
            b = SgemmPacking.dense(b, bOff, bcs, brs, n, k, L); // row j of the copy is column j of B
            bOff = 0;
            bcs = k;
        }
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / k);
        int b0 = bOff, b1 = bOff + Math.min(1, n - 1) * bcs, b2 = bOff + Math.min(2, n - 1) * bcs, b3 = bOff + Math.min(3, n - 1) * bcs;
        float[] bb = b;
        CpuParallel.parallelFor(m, grain, CHUNKS_PER_THREAD, (i0, i1) -> {
            float[] dots = new float[4];
            for (int i = i0; i < i1; i++) {
                dotRow(k, a, aOff + i * ars, bb, b0, b1, b2, b3, dots);
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
        dots[0] = LaneSum.of(s0);
        dots[1] = LaneSum.of(s1);
        dots[2] = LaneSum.of(s2);
        dots[3] = LaneSum.of(s3);
    }
}
