package io.flambeau.backend.cpu;

/**
 * Matrix products without the Vector API, for JVMs started without its module (see
 * {@link CpuVectors}): C = A·B (+ C) for float32 and float64 with the operands' element strides
 * of {@link Sgemm#sgemm}. Each row of C is built as a sum of rows of B scaled by A's elements, in
 * a per-thread double row whose inner loop runs over contiguous elements, a form the JIT compiles
 * to SIMD code by itself (see {@link #rowProduct} for why double). B is first copied densely when its rows are not contiguous (a transposed view), and
 * rows of C are split across the CPU threads when the product is big enough to pay for it. A C of
 * only a few columns (a layer's 3 outputs, a weight gradient of 2 inputs) would make that inner
 * loop a few elements long: it is computed as dot products along k when both operands are
 * contiguous there, else as its transpose C^T = B^T·A^T, whose rows are long.
 */
final class ScalarGemm {
    /** From this many multiply-adds up, bands of rows run on several threads. */
    private static final long PARALLEL_MIN_WORK = 1L << 17;

    private ScalarGemm() {}

    /** Below this many columns of C, a row of C is too short for the row form's inner loop. */
    private static final int NARROW = 16;

    static void sgemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                      float[] b, int bOff, int bRowStride, int bColStride,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        if (n < NARROW && m > n) {
            if (aColStride == 1 && bRowStride == 1) {
                dots(m, n, k, a, aOff, aRowStride, b, bOff, bColStride, c, cOff, ldc, accumulate);
            } else {
                // C^T = B^T·A^T: the long side m becomes the rows' length; then C^T is written back
                float[] ct = new float[n * m];
                sgemm(n, m, k, b, bOff, bColStride, bRowStride, a, aOff, aColStride, aRowStride, ct, 0, m, false);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * ldc;
                    for (int j = 0; j < n; j++) c[cRow + j] = accumulate ? c[cRow + j] + ct[j * m + i] : ct[j * m + i];
                }
            }
            return;
        }
        rowProduct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc,
                accumulate ? c : null, cOff, ldc);
    }

    /**
     * C = I + A·B in the row form, where row i of I is {@code init[initOff + i*initRowStride + j]}
     * (none: zeros). Each row of C is summed in a per-thread double row, four rows of B per pass,
     * and rounded into C once: a {@code double[]} cannot be the {@code float[]} B, so C2 knows
     * that no store of the sum feeds a load of B and compiles the inner loop to SIMD code (summed
     * straight into C's float row, whose offset differs from B's, the loop ran one element at a
     * time). The double row also makes the sum more accurate than float accumulation.
     */
    private static void rowProduct(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                                   float[] b, int bOff, int bRowStride, int bColStride,
                                   float[] c, int cOff, int ldc, float[] init, int initOff, int initRowStride) {
        float[] bd = b;
        int bo = bOff, brs = bRowStride;
        if (bColStride != 1) {
            bd = new float[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) bd[p * n + j] = b[bOff + p * bRowStride + j * bColStride];
            }
            bo = 0;
            brs = n;
        }
        float[] bDense = bd;
        int bBase = bo, bStep = brs;
        rows(m, (long) m * n * k, (i0, i1) -> {
            double[] acc = accumulatorRow(n);
            for (int i = i0; i < i1; i++) {
                if (init == null) {
                    java.util.Arrays.fill(acc, 0, n, 0.0);
                } else {
                    int r = initOff + i * initRowStride;
                    for (int j = 0; j < n; j++) acc[j] = init[r + j];
                }
                int aRow = aOff + i * aRowStride;
                int p = 0;
                // four rows of B per pass over the row: a quarter of the loads and stores of the sum
                for (; p + 4 <= k; p += 4) {
                    float s0 = a[aRow + p * aColStride], s1 = a[aRow + (p + 1) * aColStride];
                    float s2 = a[aRow + (p + 2) * aColStride], s3 = a[aRow + (p + 3) * aColStride];
                    int b0 = bBase + p * bStep, b1 = b0 + bStep, b2 = b1 + bStep, b3 = b2 + bStep;
                    for (int j = 0; j < n; j++) {
                        acc[j] += s0 * bDense[b0 + j] + s1 * bDense[b1 + j] + s2 * bDense[b2 + j] + s3 * bDense[b3 + j];
                    }
                }
                if (k - p == 3) { // the last rows of B in one pass too: k = 2 and 3 are a layer's 2 or 3 inputs
                    float s0 = a[aRow + p * aColStride], s1 = a[aRow + (p + 1) * aColStride], s2 = a[aRow + (p + 2) * aColStride];
                    int b0 = bBase + p * bStep, b1 = b0 + bStep, b2 = b1 + bStep;
                    for (int j = 0; j < n; j++) acc[j] += s0 * bDense[b0 + j] + s1 * bDense[b1 + j] + s2 * bDense[b2 + j];
                } else if (k - p == 2) {
                    float s0 = a[aRow + p * aColStride], s1 = a[aRow + (p + 1) * aColStride];
                    int b0 = bBase + p * bStep, b1 = b0 + bStep;
                    for (int j = 0; j < n; j++) acc[j] += s0 * bDense[b0 + j] + s1 * bDense[b1 + j];
                } else if (k - p == 1) {
                    float s = a[aRow + p * aColStride];
                    int bRow = bBase + p * bStep;
                    for (int j = 0; j < n; j++) acc[j] += s * bDense[bRow + j];
                }
                int cRow = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[cRow + j] = (float) acc[j];
            }
        });
    }

    private static final ThreadLocal<double[][]> ACCUMULATOR = ThreadLocal.withInitial(() -> new double[1][0]);

    /** This thread's double row of at least n elements (kept for the next product). */
    private static double[] accumulatorRow(int n) {
        double[][] slot = ACCUMULATOR.get();
        if (slot[0].length < n) slot[0] = new double[n];
        return slot[0];
    }

    /**
     * C as dot products of A's rows with B's columns, both contiguous along k: the form for a C of
     * a few columns (a layer with 3 outputs). A float sum along k is a chain C2 will not reorder
     * into SIMD lanes, so the products are added lane-wise into a double row of {@link #LANES}
     * partial sums, chunk by chunk of k (a loop C2 vectorises: the double row cannot be A or B),
     * and the partial sums are added up at the end: 5 times faster than four scalar chains.
     */
    private static void dots(int m, int n, int k, float[] a, int aOff, int aRowStride, float[] b, int bOff, int bColStride,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        int width = Math.min(LANES, Integer.highestOneBit(Math.max(1, k - 1)) * 2); // a power of two >= k, at most LANES
        rows(m, (long) m * n * k, (i0, i1) -> {
            double[] part = new double[LANES];
            for (int i = i0; i < i1; i++) {
                int aRow = aOff + i * aRowStride;
                for (int j = 0; j < n; j++) {
                    int bCol = bOff + j * bColStride;
                    java.util.Arrays.fill(part, 0, width, 0.0);
                    for (int p0 = 0; p0 < k; p0 += LANES) {
                        int len = Math.min(LANES, k - p0), ap = aRow + p0, bp = bCol + p0;
                        for (int l = 0; l < len; l++) part[l] += a[ap + l] * b[bp + l];
                    }
                    // fold the partial sums in halves (vectorised loops) down to 8, then add those
                    for (int half = width / 2; half >= 8; half /= 2) {
                        for (int l = 0; l < half; l++) part[l] += part[l + half];
                    }
                    double dotSum = 0;
                    for (int l = 0; l < Math.min(8, width); l++) dotSum += part[l];
                    float dot = (float) dotSum;
                    c[cOff + i * ldc + j] = accumulate ? c[cOff + i * ldc + j] + dot : dot;
                }
            }
        });
    }

    /** Partial sums per dot product in {@link #dots} (measured: 128 beat 64 and 256). */
    private static final int LANES = 128;

    /** C = A·B + bias, the bias a row of n elements ({@code bias[biasOff + j*biasStride]}), as {@link Sgemm#sgemmBias}. */
    static void sgemmBias(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                          float[] b, int bOff, int bRowStride, int bColStride,
                          float[] c, int cOff, int ldc, float[] bias, int biasOff, int biasStride) {
        if (n < NARROW && m > n) { // the narrow forms accumulate onto C set to the bias
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = bias[biasOff + j * biasStride];
            }
            sgemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, true);
            return;
        }
        float[] row = bias;
        int rowOff = biasOff;
        if (biasStride != 1) {
            row = new float[n];
            for (int j = 0; j < n; j++) row[j] = bias[biasOff + j * biasStride];
            rowOff = 0;
        }
        rowProduct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, row, rowOff, 0);
    }

    static void dgemm(int m, int n, int k, double[] a, int aOff, int aRowStride, int aColStride,
                      double[] b, int bOff, int bRowStride, int bColStride,
                      double[] c, int cOff, int ldc, boolean accumulate) {
        double[] bd = b;
        int bo = bOff, brs = bRowStride;
        if (bColStride != 1) {
            bd = new double[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) bd[p * n + j] = b[bOff + p * bRowStride + j * bColStride];
            }
            bo = 0;
            brs = n;
        }
        double[] bDense = bd;
        int bBase = bo, bStep = brs;
        rows(m, (long) m * n * k, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int cRow = cOff + i * ldc;
                if (!accumulate) java.util.Arrays.fill(c, cRow, cRow + n, 0.0);
                int aRow = aOff + i * aRowStride;
                for (int p = 0; p < k; p++) {
                    double s = a[aRow + p * aColStride];
                    int bRow = bBase + p * bStep;
                    for (int j = 0; j < n; j++) c[cRow + j] += s * bDense[bRow + j];
                }
            }
        });
    }

    private static void rows(int m, long work, CpuParallel.IntRange body) {
        if (work < PARALLEL_MIN_WORK || CpuParallel.parallelism() <= 1) body.run(0, m);
        else CpuParallel.parallelFor(m, Math.max(1, (int) (PARALLEL_MIN_WORK / Math.max(1, work / m))), body);
    }

    /** {@code acc[j] += a[oa + j]} for j below n: {@link Float32Loops#addInto}'s twin. */
    static void addInto(float[] acc, float[] a, int oa, int n) {
        // acc and a at different offsets: through Float32Scalar's same-index staging
        Float32Scalar.binary(io.flambeau.backend.BinaryOp.ADD, acc, 0, 1, a, oa, 1, acc, 0, n);
    }

    /**
     * Sum in double of float blocks of 8192, as {@link Float32Loops#sum} adds them (which starts
     * its blocks on a cache line in long runs, so the two agree to rounding, not to the bit).
     */
    static double sum(float[] a, int oa, int n) {
        double total = 0;
        for (int start = 0; start < n; start += 8192) {
            int end = Math.min(n, start + 8192);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = oa + start, stop = oa + end;
            for (; i + 4 <= stop; i += 4) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
            }
            double block = (double) (s0 + s1) + (s2 + s3);
            for (; i < stop; i++) block += a[i];
            total += block;
        }
        return total;
    }
}
