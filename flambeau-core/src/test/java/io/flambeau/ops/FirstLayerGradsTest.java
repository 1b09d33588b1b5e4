package io.flambeau.ops;

import io.flambeau.backend.BinaryOp;
import io.flambeau.core.Device;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The CPU's fused first-layer backward ({@link Linalg#reluLinearGrads}): the bias and weight
 * gradients of {@code relu(bias + a·b)} in one pass give the bits of the unfused route —
 * threshold_backward, the sum over rows and {@code aᵀ·d} — where that route takes its usual
 * kernels, values within float rounding of a double reference everywhere else, and the pass
 * declines (null) what it was not made for.
 */
class FirstLayerGradsTest {

    private static RawTensor randn(Random r, long rows, long cols) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return RawTensor.fromHost(v, new long[] {rows, cols}, Device.CPU);
    }

    private static RawTensor floats(float[] v, long rows, long cols) {
        return RawTensor.fromHost(v, new long[] {rows, cols}, Device.CPU);
    }

    /** A saved ReLU output (m, n) with exact zeros, negative zeros and NaNs among its values. */
    private static RawTensor reluOutput(Random r, int m, int n) {
        float[] v = new float[m * n];
        for (int i = 0; i < v.length; i++) {
            double x = r.nextGaussian();
            v[i] = x <= 0 ? 0f : (float) x;
            if (i % 17 == 3) v[i] = -0.0f;
            if (i % 101 == 7) v[i] = Float.NaN; // threshold_backward passes g where the output is NaN
        }
        return floats(v, m, n);
    }

    /** An upstream gradient (m, n), a few NaNs included (masked ones must vanish). */
    private static RawTensor upstream(Random r, int m, int n) {
        float[] v = new float[m * n];
        for (int i = 0; i < v.length; i++) v[i] = i % 97 == 5 ? Float.NaN : (float) r.nextGaussian();
        return floats(v, m, n);
    }

    /** {gbias, gb} along the unfused route. */
    private static RawTensor[] unfused(RawTensor g, RawTensor out, RawTensor a) {
        RawTensor d = Elementwise.binary("backward", BinaryOp.THRESHOLD_BACKWARD, g, out);
        return new RawTensor[] {Reductions.sumToShape(d, new long[] {g.shape[1]}), Linalg.matmul(ShapeOps.t(a), d)};
    }

    private static void assertSameBits(String what, RawTensor expected, RawTensor actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape, actual.shape, what + ": shape");
        double[] e = expected.toDoubles(), a = actual.toDoubles();
        for (int i = 0; i < e.length; i++) {
            if (Double.compare(e[i], a[i]) != 0) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", the unfused route gives " + e[i]);
            }
        }
    }

    private static void check(String what, RawTensor g, RawTensor out, RawTensor a) {
        RawTensor[] fused = Linalg.reluLinearGrads(g, out, a, true);
        assertNotNull(fused, what + ": the CPU fuses float32 with at most 4 features");
        RawTensor[] plain = unfused(g, out, a);
        assertSameBits(what + " bias grad", plain[0], fused[0]);
        assertSameBits(what + " weight grad", plain[1], fused[1]);
        RawTensor[] noBias = Linalg.reluLinearGrads(g, out, a, false);
        assertNull(noBias[0], what + ": no bias gradient when none is wanted");
        assertSameBits(what + " weight grad without the bias's", plain[1], noBias[1]);
    }

    /**
     * n ≥ 16 (a vector of columns at AVX-512's width): the unfused product takes its short-m form
     * and the sum its row-block form, the fused pass's arithmetic; the spiral's shapes among them.
     */
    @Test
    void wideLayersGiveTheUnfusedBits() {
        Random r = new Random(5);
        int[][] shapes = { // m, k, n
            {300, 2, 100}, {300, 2, 1000}, {300, 1, 16}, {300, 3, 17}, {300, 4, 1000}, {5000, 2, 1000},
            {1, 2, 100}, {33, 4, 31}, {64, 2, 48}, {31, 3, 257}};
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            String what = "m=" + m + " k=" + k + " n=" + n;
            RawTensor g = upstream(r, m, n), out = reluOutput(r, m, n);
            check(what, g, out, randn(r, m, k));
            check(what + " transposed a", g, out, ShapeOps.t(randn(r, k, m)));
        }
    }

    /** Every shape against sums taken in double, in no particular order: float rounding apart. */
    @Test
    void anyShapeMatchesADoubleReference() {
        Random r = new Random(9);
        int[] ms = {1, 5, 33, 300}, ns = {1, 7, 16, 17, 40}, ks = {1, 2, 3, 4};
        for (int m : ms) for (int n : ns) for (int k : ks) {
            String what = "m=" + m + " k=" + k + " n=" + n;
            float[] gv = new float[m * n], ov = new float[m * n], av = new float[m * k];
            for (int i = 0; i < gv.length; i++) {
                gv[i] = (float) r.nextGaussian();
                ov[i] = r.nextInt(3) == 0 ? (r.nextBoolean() ? 0f : -0.0f) : (float) Math.abs(r.nextGaussian());
            }
            for (int i = 0; i < av.length; i++) av[i] = (float) r.nextGaussian();
            RawTensor[] fused = Linalg.reluLinearGrads(floats(gv, m, n), floats(ov, m, n), floats(av, m, k), true);
            assertNotNull(fused, what);
            double[] gbias = fused[0].toDoubles(), gb = fused[1].toDoubles();
            for (int j = 0; j < n; j++) {
                double s = 0, mag = 0;
                double[] w = new double[k], wmag = new double[k];
                for (int i = 0; i < m; i++) {
                    double d = ov[i * n + j] <= 0 ? 0 : gv[i * n + j];
                    s += d;
                    mag += Math.abs(d);
                    for (int p = 0; p < k; p++) {
                        w[p] += (double) av[i * k + p] * d;
                        wmag[p] += Math.abs((double) av[i * k + p] * d);
                    }
                }
                assertWithin(what + " bias grad col " + j, s, gbias[j], mag);
                for (int p = 0; p < k; p++) assertWithin(what + " weight grad " + p + "," + j, w[p], gb[p * n + j], wmag[p]);
            }
        }
    }

    private static void assertWithin(String what, double want, double got, double magnitude) {
        double tol = 1e-6 * magnitude * 8 + 1e-30;
        if (!(Math.abs(want - got) <= tol)) throw new AssertionError(what + ": " + got + ", in double " + want);
    }

    /** Other dtypes, more features and strided gradients take the unfused route: null, nothing written. */
    @Test
    void declinesWhatItWasNotMadeFor() {
        Random r = new Random(2);
        RawTensor g = upstream(r, 30, 20), out = reluOutput(r, 30, 20);
        assertNull(Linalg.reluLinearGrads(g, out, randn(r, 30, 5), true), "5 features");
        RawTensor g64 = Elementwise.cast(g, io.flambeau.core.DType.FLOAT64);
        RawTensor out64 = Elementwise.cast(out, io.flambeau.core.DType.FLOAT64);
        assertNull(Linalg.reluLinearGrads(g64, out64, Elementwise.cast(randn(r, 30, 2), io.flambeau.core.DType.FLOAT64),
                true), "float64");
        RawTensor row = randn(r, 1, 20);
        assertNull(Linalg.reluLinearGrads(ShapeOps.expand(row, new long[] {30, 20}), out, randn(r, 30, 2), true),
                "an expanded upstream gradient");
        assertNull(Linalg.reluLinearGrads(ShapeOps.t(randn(r, 20, 30)), out, randn(r, 30, 2), true),
                "a transposed upstream gradient");
    }
}
