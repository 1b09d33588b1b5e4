package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The line-aligned start of the dense sum: where the head ends, and that a sum from any start
 * agrees with the exact sum.
 */
class LineAlignmentTest {
    @SuppressWarnings("removal")
    private static final int BASE = sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET;
    private static final int N = LineAlignment.MIN_RUN + 37;

    @Test
    void theHeadEndsOnALineStart() {
        for (int index = 0; index < 200; index++) {
            int h = LineAlignment.floatsToLine(index, N);
            assertTrue(h >= 0 && h < 16, "head " + h + " at " + index);
            assertEquals(0, (BASE + 4L * (index + h)) % 64, "element " + (index + h) + " starts a line");
            assertEquals(0, LineAlignment.floatsToLine(index, LineAlignment.MIN_RUN - 1), "short runs take no head");
        }
    }

    @Test
    void sumsFromEveryStartAgreeWithTheExactSum() {
        assumeTrue(CpuVectors.ENABLED, "the Vector API module is not loaded: no vector loops to align");
        for (int n : new int[] {N, 3 * 8192 + 5}) {
            float[] big = data(n, n + 32);
            for (int off = 0; off < 18; off++) {
                double exact = 0;
                for (int i = 0; i < n; i++) exact += big[off + i];
                double s = Float32Loops.sum(big, off, n);
                assertEquals(exact, s, 1e-5 * n, "n " + n + " start " + off);
            }
        }
    }

    private static float[] data(long seed, int length) {
        Random r = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
