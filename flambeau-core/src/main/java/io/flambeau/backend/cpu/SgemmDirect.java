package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 path for tiny products, where packing, blocking and threads would cost more than
 * the arithmetic: no allocation, no copies, one pass straight from the strided operands.
 *
 * <p>C is built four rows by one vector of columns at a time (the last vector masked), the four
 * accumulators kept in registers across the whole k loop, so C is touched once per element and
 * the fma latency is hidden. When B's rows are not contiguous, each element is a plain dot
 * product instead. Everything fits in L1 at these sizes, so the strided reads of A and B cost
 * little.
 */
final class SgemmDirect {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private SgemmDirect() {}

    /** Same contract as {@link Sgemm#sgemm}, for m, n, k all positive. */
    static void multiply(int m, int n, int k,
                         float[] a, int aOff, int aRowStride, int aColStride,
                         float[] b, int bOff, int bRowStride, int bColStride,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate,
                null, false);
    }

    /**
     * As above; a non-null {@code biasRow} (at least n elements, padded to a whole vector)
     * starts every row of C instead of zero, when not accumulating; with {@code relu}, each
     * element of C is stored as {@link Float32Loops#relu} of its value (a linear layer and its ReLU in one
     * pass: the same bits as the ReLU run over C afterwards).
     */
    static void multiply(int m, int n, int k,
                         float[] a, int aOff, int aRowStride, int aColStride,
                         float[] b, int bOff, int bRowStride, int bColStride,
                         float[] c, int cOff, int ldc, boolean accumulate, float[] biasRow, boolean relu) {
        if (bColStride != 1 && m >= 4) {
            // a dense copy of B (k*n elements) against m*n*k multiply-adds: worth it from 4 rows up
            b = SgemmPacking.dense(b, bOff, bRowStride, bColStride, k, n, 0);
            bOff = 0;
            bRowStride = n;
            bColStride = 1;
        }
        if (bColStride != 1) {
            if (biasRow != null) { // set C to the bias, then accumulate
                for (int i = 0; i < m; i++) System.arraycopy(biasRow, 0, c, cOff + i * ldc, n);
                accumulate = true;
            }
            dotProducts(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, ldc, accumulate, relu);
            return;
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            fourRows(i, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, ldc, accumulate, biasRow, relu);
        }
        for (; i < m; i++) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j += L) {
                // The last vector of a row is masked, so no column ever falls to scalar code.
                VectorMask<Float> cols = F.indexInRange(j, n);
                FloatVector acc = biasRow != null && !accumulate ? FloatVector.fromArray(F, biasRow, j, cols) : FloatVector.zero(F);
                int bIdx = bOff + j;
                for (int p = 0; p < k; p++) {
                    FloatVector av = FloatVector.broadcast(F, a[aRow + p * aColStride]);
                    acc = av.fma(FloatVector.fromArray(F, b, bIdx, cols), acc);
                    bIdx += bRowStride;
                }
                if (accumulate) {
                    acc = acc.add(FloatVector.fromArray(F, c, cRow + j, cols));
                }
                if (relu) acc = Float32Loops.relu(acc);
                acc.intoArray(c, cRow + j, cols);
            }
        }
    }

    /**
     * Rows i..i+3 of C, one vector of columns at a time: four independent accumulators share
     * each load of B and hide the fma latency that a single accumulator chain would expose.
     */
    private static void fourRows(int i, int n, int k,
                                 float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride,
                                 float[] c, int cOff, int ldc, boolean accumulate, float[] biasRow, boolean relu) {
        int a0 = aOff + i * aRowStride;
        int a1 = a0 + aRowStride;
        int a2 = a1 + aRowStride;
        int a3 = a2 + aRowStride;
        int c0 = cOff + i * ldc;
        int full = F.loopBound(n);
        boolean init = biasRow != null && !accumulate;
        for (int j = 0; j < full; j += L) {
            FloatVector acc0 = init ? FloatVector.fromArray(F, biasRow, j) : FloatVector.zero(F);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            int bIdx = bOff + j;
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(F, b, bIdx);
                int ap = p * aColStride;
                acc0 = FloatVector.broadcast(F, a[a0 + ap]).fma(bv, acc0);
                acc1 = FloatVector.broadcast(F, a[a1 + ap]).fma(bv, acc1);
                acc2 = FloatVector.broadcast(F, a[a2 + ap]).fma(bv, acc2);
                acc3 = FloatVector.broadcast(F, a[a3 + ap]).fma(bv, acc3);
                bIdx += bRowStride;
            }
            store(acc0, c, c0 + j, accumulate, relu);
            store(acc1, c, c0 + ldc + j, accumulate, relu);
            store(acc2, c, c0 + 2 * ldc + j, accumulate, relu);
            store(acc3, c, c0 + 3 * ldc + j, accumulate, relu);
        }
        if (full < n) {
            fourRowsTail(full, n, k, a, a0, a1, a2, a3, aColStride, b, bOff, bRowStride, c, c0, ldc, accumulate, biasRow,
                    relu);
        }
    }

    /**
     * The last, partial vector of columns of {@link #fourRows}, one column at a time with scalar
     * fmas (a lane of the vector fma is the same operation, so the same bits). Masked vector
     * loads and stores here cost more than the whole unmasked part of a 1000-column row.
     */
    private static void fourRowsTail(int j, int n, int k, float[] a, int a0, int a1, int a2, int a3, int aColStride,
                                     float[] b, int bOff, int bRowStride, float[] c, int c0, int ldc,
                                     boolean accumulate, float[] biasRow, boolean relu) {
        boolean init = biasRow != null && !accumulate;
        for (int col = j; col < n; col++) {
            float acc0 = init ? biasRow[col] : 0f;
            float acc1 = acc0, acc2 = acc0, acc3 = acc0;
            int bIdx = bOff + col;
            for (int p = 0; p < k; p++) {
                float bv = b[bIdx];
                int ap = p * aColStride;
                acc0 = Math.fma(a[a0 + ap], bv, acc0);
                acc1 = Math.fma(a[a1 + ap], bv, acc1);
                acc2 = Math.fma(a[a2 + ap], bv, acc2);
                acc3 = Math.fma(a[a3 + ap], bv, acc3);
                bIdx += bRowStride;
            }
            store(acc0, c, c0 + col, accumulate, relu);
            store(acc1, c, c0 + ldc + col, accumulate, relu);
            store(acc2, c, c0 + 2 * ldc + col, accumulate, relu);
            store(acc3, c, c0 + 3 * ldc + col, accumulate, relu);
        }
    }

    private static void store(float acc, float[] c, int off, boolean accumulate, boolean relu) {
        float v = accumulate ? acc + c[off] : acc;
        c[off] = relu ? Float32Loops.relu(v) : v;
    }

    private static void store(FloatVector acc, float[] c, int off, boolean accumulate, boolean relu) {
        if (accumulate) {
            acc = acc.add(FloatVector.fromArray(F, c, off));
        }
        if (relu) acc = Float32Loops.relu(acc);
        acc.intoArray(c, off);
    }

    /** B's rows are not contiguous: one scalar dot product per element of C. */
    private static void dotProducts(int m, int n, int k,
                                    float[] a, int aOff, int aRowStride, int aColStride,
                                    float[] b, int bOff, int bRowStride, int bColStride,
                                    float[] c, int cOff, int ldc, boolean accumulate, boolean relu) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                int bIdx = bOff + j * bColStride;
                for (int p = 0; p < k; p++) {
                    sum += a[aRow + p * aColStride] * b[bIdx];
                    bIdx += bRowStride;
                }
                float v = accumulate ? c[cRow + j] + sum : sum;
                c[cRow + j] = relu ? Float32Loops.relu(v) : v;
            }
        }
    }
}
