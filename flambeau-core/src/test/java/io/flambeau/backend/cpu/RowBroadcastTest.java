package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.BinaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flat row-broadcast loop ({@link RowBroadcastLoops}) gives, bit for bit, what the element
 * formula gives: every operator, both operand orders, periods around the vector length, starts
 * on and off a cache line, parallel and not, in place, and through the tensor API with views.
 */
class RowBroadcastTest {
    private static final BinaryOp[] OPS = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV};

    @Test
    void everyOperatorPeriodAndStartMatchesTheElementFormula() {
        assumeTrue(CpuVectors.ENABLED, "the Vector API module is not loaded: no vector loops to check");
        int[][] shapes = {{16, 1}, {17, 3}, {40, 15}, {33, 16}, {20, 17}, {64, 1000}, {4096, 40}, {300, 1024}};
        for (int[] shape : shapes) {
            int rows = shape[0], period = shape[1], total = rows * period;
            for (int start : new int[] {0, 3, 12, 16}) {
                float[] a = data(total + start, 1), y = data(period + 5, 2);
                for (BinaryOp op : OPS) {
                    for (boolean first : new boolean[] {false, true}) {
                        float[] o = new float[total + start + 7];
                        RowBroadcastLoops.run(op, a, start, y, 5, period, first, o, start + 7, total);
                        for (int i = 0; i < total; i++) {
                            float x = a[start + i], p = y[5 + i % period];
                            float want = first ? apply(op, p, x) : apply(op, x, p);
                            assertEquals(want, o[start + 7 + i], 0f,
                                    op + (first ? " (y op x)" : "") + " [" + rows + ", " + period + "] start " + start + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inPlaceUpdatesEachElementOnce() {
        int rows = 1 << 10, period = 1024, start = 5;
        float[] a = data(rows * period + start, 3), y = data(period, 4), before = a.clone();
        RowBroadcastLoops.run(BinaryOp.ADD, a, start, y, 0, period, false, a, start, rows * period);
        for (int i = 0; i < rows * period; i++) assertEquals(before[start + i] + y[i % period], a[start + i], 0f, "at " + i);
        for (int i = 0; i < start; i++) assertEquals(before[i], a[i], 0f, "before the range, " + i);
    }

    @Test
    void tensorBroadcastsThroughViewsAgreeWithTheRowWalk() {
        Tensor big = Torch.randn(1030, 1024);
        Tensor x = big.get(Index.slice(3, 1027));              // a view starting 3 rows in
        Tensor y = Torch.randn(2, 1024).get(1);                // a row starting 1024 elements in
        float[] xs = x.toFloatArray(), ys = y.toFloatArray();
        assertBroadcast(xs, ys, x.add(y).toFloatArray(), BinaryOp.ADD, false);
        assertBroadcast(xs, ys, y.sub(x).toFloatArray(), BinaryOp.SUB, true);
        assertBroadcast(xs, ys, x.div(y).toFloatArray(), BinaryOp.DIV, false);
        assertBroadcast(xs, ys, y.mul(x).toFloatArray(), BinaryOp.MUL, true);
        Tensor z = x.clone();
        z.sub_(y);
        assertBroadcast(xs, ys, z.toFloatArray(), BinaryOp.SUB, false);
        // the three-dim [2, 512, 3] + [512, 3] merges into one row broadcast of period 1536
        Tensor u = Torch.randn(2, 512, 3), w = Torch.randn(512, 3);
        assertBroadcast(u.toFloatArray(), w.toFloatArray(), u.add(w).toFloatArray(), BinaryOp.ADD, false);
    }

    private static void assertBroadcast(float[] xs, float[] ys, float[] got, BinaryOp op, boolean first) {
        float[] want = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            float p = ys[i % ys.length];
            want[i] = first ? apply(op, p, xs[i]) : apply(op, xs[i], p);
        }
        assertArrayEquals(want, got, 0f, op.toString());
    }

    private static float apply(BinaryOp op, float l, float r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            default -> throw new AssertionError(op);
        };
    }

    private static float[] data(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        x[n / 2] = 0f; // a 0 to divide by
        return x;
    }
}
