package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Sgemm} and {@link Dgemm} against a naive double-accumulated reference over random
 * and boundary shapes, every operand layout the strided API allows, both accumulate modes, and
 * sizes that cross each path and block boundary (direct path, edge tiles, several KC / NC blocks,
 * the threaded split, the narrow-C transposition). Also checks that C outside the m x n window
 * (the padding of ldc) is never written.
 */
class GemmTest {

    /** How an operand is laid out in its backing array. */
    enum Layout {
        /** Row-major with padded rows. */
        ROW_MAJOR,
        /** Column-major: the operand is a transposed view of a row-major array. */
        TRANSPOSED,
        /** Every other column of a row-major array (column stride 2). */
        STRIDED_COLUMNS,
        /** Every other row of a column-major array (row stride 2, column stride > 1). */
        STRIDED_ROWS,
        /** One row repeated: row stride 0, as an expanded (broadcast) view has. */
        EXPANDED_ROWS
    }

    /** A rows x cols operand inside a backing array, with its offset and strides. */
    record Operand(double[] data, int off, int rowStride, int colStride, int rows, int cols) {

        double get(int i, int j) {
            return data[off + i * rowStride + j * colStride];
        }

        static Operand random(int rows, int cols, Layout layout, Random rnd) {
            int off = rnd.nextInt(5);
            int pad = rnd.nextInt(4);
            int rowStride;
            int colStride;
            switch (layout) {
                case ROW_MAJOR -> { rowStride = cols + pad; colStride = 1; }
                case TRANSPOSED -> { rowStride = 1; colStride = rows + pad; }
                case STRIDED_COLUMNS -> { rowStride = 2 * cols + pad; colStride = 2; }
                case STRIDED_ROWS -> { rowStride = 2; colStride = 2 * rows + pad; }
                default -> { rowStride = 0; colStride = 1; }
            }
            int size = off + Math.max(0, rows - 1) * rowStride + Math.max(0, cols - 1) * colStride + 1;
            double[] data = new double[size];
            for (int i = 0; i < size; i++) {
                // Multiples of 1/64 in [-1, 1]: exact in float, so sgemm and the reference see the
                // same inputs.
                data[i] = (rnd.nextInt(129) - 64) / 64.0;
            }
            return new Operand(data, off, rowStride, colStride, rows, cols);
        }
    }

    private static final Layout[] LAYOUTS = Layout.values();
    private static final double SENTINEL = 12345.0;

    @Test
    void randomSmallShapesAllLayouts() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 600; trial++) {
            int m = rnd.nextInt(71);
            int n = rnd.nextInt(71);
            int k = rnd.nextInt(71);
            Layout la = LAYOUTS[rnd.nextInt(LAYOUTS.length)];
            Layout lb = LAYOUTS[rnd.nextInt(LAYOUTS.length)];
            boolean accumulate = rnd.nextBoolean();
            checkBoth(m, n, k, la, lb, accumulate, rnd);
        }
    }

    @Test
    void boundaryExtents() {
        Random rnd = new Random(11);
        int[] extents = {0, 1, 2, 11, 12, 13, 15, 16, 17, 31, 32, 33};
        for (int m : extents) {
            for (int n : extents) {
                for (int k : new int[] {0, 1, 7, 64}) {
                    checkBoth(m, n, k, Layout.ROW_MAJOR, Layout.ROW_MAJOR, rnd.nextBoolean(), rnd);
                }
            }
        }
    }

    @Test
    void everyLayoutPairOnThePackedPath() {
        Random rnd = new Random(3);
        for (Layout la : LAYOUTS) {
            for (Layout lb : LAYOUTS) {
                checkBoth(90, 70, 60, la, lb, rnd.nextBoolean(), rnd);
            }
        }
    }

    @Test
    void largeShapeEachLayout() {
        Random rnd = new Random(4);
        for (Layout layout : LAYOUTS) {
            checkBoth(300, 257, 129, layout, layout, false, rnd);
        }
        checkBoth(300, 257, 129, Layout.ROW_MAJOR, Layout.TRANSPOSED, true, rnd);
        checkBoth(300, 257, 129, Layout.TRANSPOSED, Layout.STRIDED_COLUMNS, true, rnd);
    }

    @Test
    void shapesCrossingBlockBoundaries() {
        Random rnd = new Random(5);
        int[][] shapes = {
            {37, 1100, 20},   // more columns than one NC block
            {500, 40, 600},   // several KC blocks, threads on pieces of rows
            {130, 2100, 40},  // wide: bands of columns, each across NC blocks, the last panel partial (rows sharing B with more cores)
            {250, 1030, 300}, // wide: bands of columns by two KC blocks (rows sharing B, two NC blocks, with more cores)
            {33, 700, 300},   // threads on bands of columns, two KC blocks
            {1000, 3, 50},    // narrow C: computed transposed
            {3000, 5, 200},   // narrow C, transposed and threaded
            {700, 1, 80},     // matrix-vector
            {1, 900, 64},     // vector-matrix
            {150, 150, 150},  // between the direct and the threaded thresholds
            {40, 40, 40},     // the largest cube on the direct path
            {41, 40, 40},     // just past it
            {3, 200, 100},    // direct path in rows of four, with one left over
        };
        for (int[] s : shapes) {
            for (boolean accumulate : new boolean[] {false, true}) {
                checkBoth(s[0], s[1], s[2], LAYOUTS[rnd.nextInt(LAYOUTS.length)],
                        LAYOUTS[rnd.nextInt(LAYOUTS.length)], accumulate, rnd);
            }
        }
    }

    /** The skinny forms (short k, short m, narrow n), direct and transposed, every layout pair. */
    @Test
    void skinnyShapesEveryLayoutPair() {
        Random rnd = new Random(9);
        int[][] shapes = {
            {300, 1000, 2},   // x·W1^T: short k
            {70, 33, 8},      // short k with a masked column tail
            {3, 1000, 300},   // g^T·h: short m
            {1, 47, 2000},    // short m, one row, masked tail
            {300, 3, 1000},   // h·W2^T: narrow n
            {1000, 2, 300},   // dh^T·x: narrow n computed transposed
            {129, 4, 37},     // narrow n with a k tail
            {2, 5, 40000},    // short m and narrow n at once
        };
        for (int[] s : shapes) {
            for (Layout la : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED, Layout.STRIDED_COLUMNS}) {
                for (Layout lb : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED, Layout.STRIDED_ROWS, Layout.EXPANDED_ROWS}) {
                    checkBoth(s[0], s[1], s[2], la, lb, rnd.nextBoolean(), rnd);
                }
            }
        }
    }

    /** sgemmBias: C = A·B + bias row, on the fused skinny forms and on the prefill fallback. */
    @Test
    void biasRowIsAddedToEveryRow() {
        Random rnd = new Random(13);
        int[][] shapes = {{300, 1000, 2}, {300, 3, 1000}, {90, 70, 60}, {5, 6, 7}, {3, 1000, 300}};
        for (int[] s : shapes) {
            for (Layout lb : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED}) {
                int m = s[0], n = s[1], k = s[2];
                Operand a = Operand.random(m, k, Layout.ROW_MAJOR, rnd);
                Operand b = Operand.random(k, n, lb, rnd);
                int biasStride = 1 + rnd.nextInt(2);
                double[] bias = new double[n * biasStride];
                for (int j = 0; j < bias.length; j++) bias[j] = (rnd.nextInt(129) - 64) / 64.0;
                int ldc = n + 1;
                double[] c0 = new double[m * ldc];
                java.util.Arrays.fill(c0, SENTINEL);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0[i * ldc + j] = bias[j * biasStride];
                double[][] ref = reference(a, b, c0, 0, ldc, true);
                float[] cf = toFloat(c0);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) cf[i * ldc + j] = Float.NaN; // never read
                Sgemm.sgemmBias(m, n, k, toFloat(a.data()), a.off(), a.rowStride(), a.colStride(),
                        toFloat(b.data()), b.off(), b.rowStride(), b.colStride(), cf, 0, ldc,
                        toFloat(bias), 0, biasStride);
                double[] cs = new double[cf.length];
                for (int i = 0; i < cf.length; i++) cs[i] = cf[i];
                compare(String.format("sgemmBias m=%d n=%d k=%d B=%s", m, n, k, lb), ref, c0, cs, m, n, 0, ldc, 1e-5);
            }
        }
    }

    @Test
    void overwriteIgnoresGarbageInC() {
        for (int size : new int[] {5, 40, 130}) {
            float[] a = new float[size * size];
            float[] b = new float[size * size];
            float[] c = new float[size * size];
            java.util.Arrays.fill(a, 1f);
            java.util.Arrays.fill(b, 2f);
            java.util.Arrays.fill(c, Float.NaN);
            Sgemm.sgemm(size, size, size, a, 0, size, 1, b, 0, size, 1, c, 0, size, false);
            for (float v : c) {
                assertEquals(2f * size, v, 0f);
            }
            double[] cd = new double[size * size];
            java.util.Arrays.fill(cd, Double.NaN);
            double[] ad = new double[size * size];
            double[] bd = new double[size * size];
            java.util.Arrays.fill(ad, 1.0);
            java.util.Arrays.fill(bd, 2.0);
            Dgemm.dgemm(size, size, size, ad, 0, size, 1, bd, 0, size, 1, cd, 0, size, false);
            for (double v : cd) {
                assertEquals(2.0 * size, v, 0.0);
            }
        }
    }

    @Test
    void negativeExtentIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sgemm.sgemm(
                -1, 1, 1, new float[1], 0, 1, 1, new float[1], 0, 1, 1, new float[1], 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Dgemm.dgemm(
                1, 1, -1, new double[1], 0, 1, 1, new double[1], 0, 1, 1, new double[1], 0, 1, false));
    }

    /** Runs one case through both sgemm and dgemm and compares each with the reference. */
    private static void checkBoth(int m, int n, int k, Layout la, Layout lb, boolean accumulate, Random rnd) {
        Operand a = Operand.random(m, k, la, rnd);
        Operand b = Operand.random(k, n, lb, rnd);
        int ldc = Math.max(1, n + rnd.nextInt(3));
        int cOff = rnd.nextInt(4);
        double[] c0 = new double[cOff + m * ldc + 2];
        java.util.Arrays.fill(c0, SENTINEL);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c0[cOff + i * ldc + j] = (rnd.nextInt(129) - 64) / 64.0;
            }
        }
        String what = String.format("m=%d n=%d k=%d A=%s B=%s accumulate=%b", m, n, k, la, lb, accumulate);

        float[] cf = toFloat(c0);
        Sgemm.sgemm(m, n, k, toFloat(a.data()), a.off(), a.rowStride(), a.colStride(),
                toFloat(b.data()), b.off(), b.rowStride(), b.colStride(), cf, cOff, ldc, accumulate);
        double[] cs = new double[cf.length];
        for (int i = 0; i < cf.length; i++) {
            cs[i] = cf[i];
        }
        double[][] ref = reference(a, b, c0, cOff, ldc, accumulate);
        compare("sgemm " + what, ref, c0, cs, m, n, cOff, ldc, 1e-5);

        double[] cd = c0.clone();
        Dgemm.dgemm(m, n, k, a.data(), a.off(), a.rowStride(), a.colStride(),
                b.data(), b.off(), b.rowStride(), b.colStride(), cd, cOff, ldc, accumulate);
        compare("dgemm " + what, ref, c0, cd, m, n, cOff, ldc, 1e-12);
    }

    /**
     * The naive product in double: {@code [0]} holds the expected C (with C's original contents
     * added when accumulating), {@code [1]} the sum of the magnitudes that went into each element,
     * the scale of its rounding error.
     */
    private static double[][] reference(Operand a, Operand b, double[] c0, int cOff, int ldc, boolean accumulate) {
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        double[] expected = c0.clone();
        double[] scale = new double[c0.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = cOff + i * ldc + j;
                double sum = accumulate ? c0[idx] : 0.0;
                double mag = Math.abs(sum);
                for (int p = 0; p < k; p++) {
                    double prod = a.get(i, p) * b.get(p, j);
                    sum += prod;
                    mag += Math.abs(prod);
                }
                expected[idx] = sum;
                scale[idx] = mag;
            }
        }
        return new double[][] {expected, scale};
    }

    /**
     * Compares C with the reference, each element within {@code relTol} of its error scale, and
     * checks that every element outside the m x n window still holds its original value.
     */
    private static void compare(String what, double[][] ref, double[] c0, double[] c,
                                int m, int n, int cOff, int ldc, double relTol) {
        for (int idx = 0; idx < c.length; idx++) {
            int row = (idx - cOff) / ldc;
            int col = (idx - cOff) % ldc;
            boolean inside = idx >= cOff && row < m && col < n;
            if (!inside) {
                if (c[idx] != c0[idx]) {
                    fail(what + ": wrote outside C at array index " + idx);
                }
            } else if (!(Math.abs(c[idx] - ref[0][idx]) <= relTol * ref[1][idx])) {
                fail(what + ": C[" + row + "," + col + "] = " + c[idx] + ", expected " + ref[0][idx]);
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
