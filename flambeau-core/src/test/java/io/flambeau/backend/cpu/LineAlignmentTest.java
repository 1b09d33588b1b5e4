package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The line-aligned start of the vector loops: where the head ends, and that running a head
 * through the scalar tail changes no element's bits and no sum beyond rounding.
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
    void binaryOpsGiveTheScalarTailsBitsAtEveryStart() {
        assumeTrue(CpuVectors.ENABLED, "the Vector API module is not loaded: no vector loops to align");
        float[] a = data(1), b = data(2);
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
            BinaryOp.MINIMUM, BinaryOp.THRESHOLD_BACKWARD};
        for (BinaryOp op : ops) {
            for (int sb : new int[] {1, 0}) {
                for (int off = 0; off < 18; off++) {
                    float[] o = new float[N + 32], ref = new float[N + 32];
                    assertTrue(Float32Loops.binary(op, a, off, 1, b, 3, sb, o, off, N));
                    for (int i = 0; i < N; i++) {
                        // one element at a time: below MIN_RUN and a vector, so the scalar tail alone
                        assertTrue(Float32Loops.binary(op, a, off + i, 1, b, 3 + i * sb, sb, ref, off + i, 1));
                    }
                    for (int i = off; i < off + N; i++) {
                        assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(o[i]),
                                op + " stride " + sb + " start " + off + " element " + i);
                    }
                }
            }
        }
    }

    @Test
    void unaryOpsGiveTheScalarTailsBitsAtEveryStart() {
        assumeTrue(CpuVectors.ENABLED, "the Vector API module is not loaded: no vector loops to align");
        float[] a = data(3);
        UnaryOp[] ops = {UnaryOp.RELU, UnaryOp.NEG, UnaryOp.SQUARE, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.RECIPROCAL,
            UnaryOp.CLAMP};
        for (UnaryOp op : ops) {
            for (int off = 0; off < 18; off++) {
                float[] o = new float[N + 32], ref = new float[N + 32];
                assertTrue(Float32Loops.unary(op, a, off, o, off, N, -0.5f, 0.75f));
                for (int i = 0; i < N; i++) assertTrue(Float32Loops.unary(op, a, off + i, ref, off + i, 1, -0.5f, 0.75f));
                for (int i = off; i < off + N; i++) {
                    assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(o[i]), op + " start " + off + " element " + i);
                }
            }
        }
    }

    @Test
    void sumsFromEveryStartAgreeWithTheExactSum() {
        assumeTrue(CpuVectors.ENABLED, "the Vector API module is not loaded: no vector loops to align");
        float[] a = data(4);
        for (int n : new int[] {N, 3 * 8192 + 5}) {
            float[] big = n <= a.length - 32 ? a : data(5, n + 32);
            for (int off = 0; off < 18; off++) {
                double exact = 0;
                for (int i = 0; i < n; i++) exact += big[off + i];
                double s = Float32Loops.sum(big, off, n);
                assertEquals(exact, s, 1e-5 * n, "n " + n + " start " + off);
            }
        }
    }

    private static float[] data(long seed) {
        return data(seed, N + 32);
    }

    private static float[] data(long seed, int length) {
        Random r = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        x[7] = Float.NaN; // NaN and a signed zero travel through head and vector loop alike
        x[40] = -0.0f;
        return x;
    }
}
