package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
    /**
     * Elements of the large operand from which a product is split across cores
     * ({@code flambeau.cpu.skinnyParallelElements}). At 2^15 the spiral step's small weight
     * gradients (60–90 thousand multiply-adds) went to both cores and paid a hand-off each; at
     * 2^17 the h = 100 step ran at 79–83 µs instead of 108 on a 2-core Xeon, the h = 1000 step
     * within its run-to-run spread (572–788 µs over 2^15–2^19).
     */
    private static final int PARALLEL_MIN_ELEMENTS = Integer.getInteger("flambeau.cpu.skinnyParallelElements", 1 << 17);
    /** Chunks per thread: small pieces, so a late-waking thread delays nobody. */
    private static final int CHUNKS_PER_THREAD = 8;

    private SgemmSkinny() {}

    /**
     * A bias row: element j is {@code data[off + j*stride]}; with {@code relu}, C's elements are
     * stored through {@link Float32Loops#relu} (a linear layer followed by a ReLU).
     */
    record Bias(float[] data, int off, int stride, boolean relu) {
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
        boolean relu = bias != null && bias.relu();
        int quads = (m + 3) / 4;
        int grain = Math.max(1, PARALLEL_MIN_ELEMENTS / (4 * n));
        CpuParallel.parallelFor(quads, grain, CHUNKS_PER_THREAD, (q0, q1) -> {
            int i0 = 4 * q0, i1 = Math.min(m, 4 * q1);
            SgemmDirect.multiply(i1 - i0, n, k, a, aOff + i0 * ars, ars, acs, bb, bo, bs, 1,
                    c, cOff + i0 * ldc, ldc, accumulate, init, relu);
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
            shortMTail(p0, p1, j, width, bOff + j0 + j, a, aOff, acs, r1, r2, r3, b, brs, acc, o1, o2, o3);
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

    /**
     * {@link #shortMVector} for the last, partial vector of columns, one column at a time with
     * scalar fmas (the same operation as a lane of the vector fma, so the same bits). A masked
     * vector loop here took a fifth of the spiral step at h = 1000 for a sixty-third of its
     * columns: masked loads and stores cost far more than the few scalar fmas they replace.
     */
    private static void shortMTail(int p0, int p1, int j, int width, int bCol,
                                   float[] a, int aOff, int acs, int r1, int r2, int r3,
                                   float[] b, int brs, float[] acc, int o1, int o2, int o3) {
        for (int col = j; col < width; col++) {
            float c0 = acc[col], c1 = acc[o1 + col], c2 = acc[o2 + col], c3 = acc[o3 + col];
            int bIdx = bCol + (col - j);
            for (int p = p0; p < p1; p++) {
                float bv = b[bIdx + p * brs];
                int ap = aOff + p * acs;
                c0 = Math.fma(a[ap], bv, c0);
                c1 = Math.fma(a[ap + r1], bv, c1);
                c2 = Math.fma(a[ap + r2], bv, c2);
                c3 = Math.fma(a[ap + r3], bv, c3);
            }
            // the duplicated rows store the same sums to the same place
            acc[o3 + col] = c3;
            acc[o2 + col] = c2;
            acc[o1 + col] = c1;
            acc[col] = c0;
        }
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
        if (FOLD) {
            // each column of B padded with zeros to whole vectors: the block kernel loads B unmasked
            int kp = (k + L - 1) / L * L;
            float[] bp = new float[MAX_NARROW * kp];
            for (int j = 0; j < MAX_NARROW; j++) {
                int col = bOff + Math.min(j, n - 1) * bcs;
                System.arraycopy(b, col, bp, j * kp, k);
            }
            b = bp;
            bOff = 0;
            bcs = kp;
        }
        int b0 = bOff, b1 = bOff + Math.min(1, n - 1) * bcs, b2 = bOff + Math.min(2, n - 1) * bcs, b3 = bOff + Math.min(3, n - 1) * bcs;
        float[] bb = b;
        boolean relu = bias != null && bias.relu();
        CpuParallel.parallelFor(m, grain, CHUNKS_PER_THREAD, (i0, i1) -> {
            float[] dots = new float[L];
            float[] sums = FOLD ? new float[16 * L] : null;
            int i = i0;
            if (FOLD) {
                for (; i + 4 <= i1; i += 4) {
                    dot4x4(k, a, aOff + i * ars, ars, bb, b0, b1, b2, b3, sums);
                    fold4x4(sums, dots);
                    for (int r = 0; r < 4; r++) {
                        int cRow = cOff + (i + r) * crs;
                        for (int j = 0; j < n; j++) {
                            int idx = cRow + j * ccs;
                            float base = accumulate ? c[idx] : bias != null ? bias.get(j) : 0f;
                            float v = base + dots[FOLD_LANE[4 * r + j]];
                            c[idx] = relu ? Float32Loops.relu(v) : v;
                        }
                    }
                }
            }
            for (; i < i1; i++) {
                dotRow(k, a, aOff + i * ars, bb, b0, b1, b2, b3, dots);
                int cRow = cOff + i * crs;
                for (int j = 0; j < n; j++) {
                    int idx = cRow + j * ccs;
                    float base = accumulate ? c[idx] : bias != null ? bias.get(j) : 0f;
                    float v = base + dots[j];
                    c[idx] = relu ? Float32Loops.relu(v) : v;
                }
            }
        });
    }

    // ---- narrow n, four rows at a time, on 16-lane vectors ------------------------------------

    /**
     * Whether the block kernel applies: on 16-lane vectors (512-bit floats) the 16 dot products of
     * four rows with four columns fold into one vector in 15 steps, where reducing each apart
     * takes 4 shuffles and 4 adds apiece, and every load of B serves four rows.
     */
    private static final boolean FOLD = L == 16;
    /** Lane i + h ... exchanged with lane i: i XOR h, and the lanes whose bit h is set. */
    private static final VectorShuffle<Float> X8 = xor(8), X4 = xor(4), X2 = xor(2), X1 = xor(1);
    private static final VectorMask<Float> M8 = bit(8), M4 = bit(4), M2 = bit(2), M1 = bit(1);
    /** The lane holding the sum of accumulator j (4 * row + column): j with its 4 bits reversed. */
    private static final int[] FOLD_LANE = new int[16];

    static {
        for (int j = 0; j < 16; j++) {
            FOLD_LANE[j] = ((j & 1) << 3) | ((j & 2) << 1) | ((j & 4) >> 1) | ((j & 8) >> 3);
        }
    }

    private static VectorShuffle<Float> xor(int h) {
        return VectorShuffle.fromOp(F, i -> FOLD ? i ^ h : i);
    }

    private static VectorMask<Float> bit(int h) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) set[i] = (i & h) != 0;
        return VectorMask.fromArray(F, set, 0);
    }

    /**
     * Lane i of the result, where bit h of i is clear: x_i + x_(i^h); where it is set: y_i + y_(i^h).
     * Each of x and y is folded in half, the halves side by side; the additions are the ones
     * {@link LaneSum} makes (lane i with lane i + h), so sums come out bit for bit the same.
     */
    private static FloatVector fold(FloatVector x, FloatVector y, VectorMask<Float> m, VectorShuffle<Float> xs) {
        return x.blend(y, m).add(y.blend(x, m).rearrange(xs));
    }

    /**
     * The 16 dot products of rows {@code aRow + r*ars} (r < 4) of A with the zero-padded columns
     * b0..b3 of B, as 16 vectors of lane partial sums stored in {@code sums} (vector 4r + c at
     * {@code (4r + c) * L}), for {@link #fold4x4} to add up.
     *
     * <p>The fold is a method of its own because of C2's inlining budget: inside this method the
     * 60 vector calls of the fold came after the loop bodies had used up NodeCountInliningCutoff,
     * were left as calls, and ran the Vector API's boxed fallback (a tenth of the spiral step's
     * samples). Storing 16 vectors and loading them again costs far less.
     */
    private static void dot4x4(int k, float[] a, int aRow, int ars, float[] b, int b0, int b1, int b2, int b3, float[] sums) {
        FloatVector z = FloatVector.zero(F);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        int a1 = aRow + ars, a2 = a1 + ars, a3 = a2 + ars;
        // The whole vectors in a loop of their own and the masked tail after it: with the tail's
        // test inside the loop, C2 kept a bounds check on each of the eight loads of every step
        // (a fifth of the spiral step's samples at h = 1000). Each accumulator still sums in k
        // order, so the results are the same bits.
        int full = F.loopBound(k);
        int p = 0;
        for (; p < full; p += L) {
            FloatVector v0 = FloatVector.fromArray(F, a, aRow + p);
            FloatVector v1 = FloatVector.fromArray(F, a, a1 + p);
            FloatVector v2 = FloatVector.fromArray(F, a, a2 + p);
            FloatVector v3 = FloatVector.fromArray(F, a, a3 + p);
            FloatVector c0 = FloatVector.fromArray(F, b, b0 + p), c1 = FloatVector.fromArray(F, b, b1 + p);
            FloatVector c2 = FloatVector.fromArray(F, b, b2 + p), c3 = FloatVector.fromArray(F, b, b3 + p);
            s00 = v0.fma(c0, s00); s01 = v0.fma(c1, s01); s02 = v0.fma(c2, s02); s03 = v0.fma(c3, s03);
            s10 = v1.fma(c0, s10); s11 = v1.fma(c1, s11); s12 = v1.fma(c2, s12); s13 = v1.fma(c3, s13);
            s20 = v2.fma(c0, s20); s21 = v2.fma(c1, s21); s22 = v2.fma(c2, s22); s23 = v2.fma(c3, s23);
            s30 = v3.fma(c0, s30); s31 = v3.fma(c1, s31); s32 = v3.fma(c2, s32); s33 = v3.fma(c3, s33);
        }
        if (p < k) {
            // B's columns are zero-padded to whole vectors; only A's rows need the mask
            VectorMask<Float> tail = F.indexInRange(p, k);
            FloatVector v0 = FloatVector.fromArray(F, a, aRow + p, tail);
            FloatVector v1 = FloatVector.fromArray(F, a, a1 + p, tail);
            FloatVector v2 = FloatVector.fromArray(F, a, a2 + p, tail);
            FloatVector v3 = FloatVector.fromArray(F, a, a3 + p, tail);
            FloatVector c0 = FloatVector.fromArray(F, b, b0 + p), c1 = FloatVector.fromArray(F, b, b1 + p);
            FloatVector c2 = FloatVector.fromArray(F, b, b2 + p), c3 = FloatVector.fromArray(F, b, b3 + p);
            s00 = v0.fma(c0, s00); s01 = v0.fma(c1, s01); s02 = v0.fma(c2, s02); s03 = v0.fma(c3, s03);
            s10 = v1.fma(c0, s10); s11 = v1.fma(c1, s11); s12 = v1.fma(c2, s12); s13 = v1.fma(c3, s13);
            s20 = v2.fma(c0, s20); s21 = v2.fma(c1, s21); s22 = v2.fma(c2, s22); s23 = v2.fma(c3, s23);
            s30 = v3.fma(c0, s30); s31 = v3.fma(c1, s31); s32 = v3.fma(c2, s32); s33 = v3.fma(c3, s33);
        }
        s00.intoArray(sums, 0); s01.intoArray(sums, L); s02.intoArray(sums, 2 * L); s03.intoArray(sums, 3 * L);
        s10.intoArray(sums, 4 * L); s11.intoArray(sums, 5 * L); s12.intoArray(sums, 6 * L); s13.intoArray(sums, 7 * L);
        s20.intoArray(sums, 8 * L); s21.intoArray(sums, 9 * L); s22.intoArray(sums, 10 * L); s23.intoArray(sums, 11 * L);
        s30.intoArray(sums, 12 * L); s31.intoArray(sums, 13 * L); s32.intoArray(sums, 14 * L); s33.intoArray(sums, 15 * L);
    }

    /**
     * Adds up each of the 16 vectors {@link #dot4x4} stored in {@code sums}: the sum of vector j
     * (4 * row + column) goes to lane {@link #FOLD_LANE}[j] of {@code dots}.
     */
    private static void fold4x4(float[] sums, float[] dots) {
        FloatVector s00 = FloatVector.fromArray(F, sums, 0), s01 = FloatVector.fromArray(F, sums, L);
        FloatVector s02 = FloatVector.fromArray(F, sums, 2 * L), s03 = FloatVector.fromArray(F, sums, 3 * L);
        FloatVector s10 = FloatVector.fromArray(F, sums, 4 * L), s11 = FloatVector.fromArray(F, sums, 5 * L);
        FloatVector s12 = FloatVector.fromArray(F, sums, 6 * L), s13 = FloatVector.fromArray(F, sums, 7 * L);
        FloatVector s20 = FloatVector.fromArray(F, sums, 8 * L), s21 = FloatVector.fromArray(F, sums, 9 * L);
        FloatVector s22 = FloatVector.fromArray(F, sums, 10 * L), s23 = FloatVector.fromArray(F, sums, 11 * L);
        FloatVector s30 = FloatVector.fromArray(F, sums, 12 * L), s31 = FloatVector.fromArray(F, sums, 13 * L);
        FloatVector s32 = FloatVector.fromArray(F, sums, 14 * L), s33 = FloatVector.fromArray(F, sums, 15 * L);
        // accumulator j = 4r + c; each level pairs j with j + 1, j + 2, … and moves one bit of j into the lane
        FloatVector t0 = fold(s00, s01, M8, X8), t1 = fold(s02, s03, M8, X8), t2 = fold(s10, s11, M8, X8);
        FloatVector t3 = fold(s12, s13, M8, X8), t4 = fold(s20, s21, M8, X8), t5 = fold(s22, s23, M8, X8);
        FloatVector t6 = fold(s30, s31, M8, X8), t7 = fold(s32, s33, M8, X8);
        FloatVector u0 = fold(t0, t1, M4, X4), u1 = fold(t2, t3, M4, X4), u2 = fold(t4, t5, M4, X4), u3 = fold(t6, t7, M4, X4);
        // the last two levels in a method of their own: one method for all four levels passes the
        // inlining budget too (the last two folds were left as calls)
        u0.intoArray(sums, 0); u1.intoArray(sums, L); u2.intoArray(sums, 2 * L); u3.intoArray(sums, 3 * L);
        foldLast(sums, dots);
    }

    /** The last two fold levels of {@link #fold4x4} over the four vectors it left at the front of {@code sums}. */
    private static void foldLast(float[] sums, float[] dots) {
        FloatVector u0 = FloatVector.fromArray(F, sums, 0), u1 = FloatVector.fromArray(F, sums, L);
        FloatVector u2 = FloatVector.fromArray(F, sums, 2 * L), u3 = FloatVector.fromArray(F, sums, 3 * L);
        FloatVector w0 = fold(u0, u1, M2, X2), w1 = fold(u2, u3, M2, X2);
        fold(w0, w1, M1, X1).intoArray(dots, 0);
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
