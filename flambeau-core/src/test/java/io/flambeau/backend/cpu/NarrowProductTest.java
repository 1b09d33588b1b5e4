package io.flambeau.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The narrow-n product (n ≤ 4 columns, as a network's last layer into 3 classes) computes rows in
 * blocks of four where the vectors allow it, and one at a time otherwise: both must give every
 * element bit for bit the same sum, so that a row's value does not depend on where it falls.
 */
class NarrowProductTest {
    @Test
    void rowsInBlocksOfFourEqualRowsComputedAlone() {
        Random rnd = new Random(7);
        for (int[] shape : new int[][] {{11, 3, 100}, {8, 4, 16}, {9, 1, 37}, {300, 3, 1000}, {6, 2, 33}}) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = new float[m * k], w = new float[n * k]; // C = A·Wᵀ, W as a linear layer's (n, k) weight
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
            float[] c = new float[m * n];
            assertTrue(SgemmSkinny.tryMultiply(m, n, k, a, 0, k, 1, w, 0, 1, k, c, 0, n, false, null));
            for (int i = 0; i < m; i++) {
                float[] row = new float[n];
                assertTrue(SgemmSkinny.tryMultiply(1, n, k, a, i * k, k, 1, w, 0, 1, k, row, 0, n, false, null));
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToIntBits(row[j]), Float.floatToIntBits(c[i * n + j]),
                            "C[" + i + ", " + j + "] of " + m + "x" + n + "x" + k + ": " + c[i * n + j] + " alone " + row[j]);
                }
                double want = 0; // and both are the product, to float accuracy
                for (int p = 0; p < k; p++) want += (double) a[i * k + p] * w[p];
                assertEquals(want, c[i * n], 1e-4 * Math.sqrt(k) * 4);
            }
        }
    }
}
