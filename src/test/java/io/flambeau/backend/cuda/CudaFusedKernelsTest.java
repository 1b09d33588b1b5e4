package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.core.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels outside the Backend primitives: softmax/log-softmax along the last dim, and the
 * fused optimizer updates, each against a plain Java transcription of PyTorch's definition.
 */
class CudaFusedKernelsTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void device() {
        gpu = SimCuda.install();
    }

    private static View upload(double[] v, DType t, long... shape) {
        Object host = v;
        if (t == DType.FLOAT32) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            host = f;
        }
        return CudaBackend.dense(gpu.upload(host), shape);
    }

    private static double[] download(View v) {
        return TwinViews.doubles(gpu.download(v));
    }

    @Test
    void softmaxAndLogSoftmaxAlongTheLastDim() {
        Random r = new Random(41);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int rows = 5, cols = 300;
            double[] x = new double[rows * cols];
            for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() * 8;
            x[3 * cols + 7] = Double.NaN; // row 3 becomes NaN, as in PyTorch
            View in = upload(x, t, rows, cols);
            for (boolean log : new boolean[] {false, true}) {
                View out = CudaBackend.dense(gpu.allocate(t, x.length), new long[] {rows, cols});
                gpu.softmaxLastDim(in, out, log);
                double[] got = download(out);
                for (int row = 0; row < rows; row++) {
                    double m = Double.NEGATIVE_INFINITY, s = 0;
                    for (int j = 0; j < cols; j++) m = Math.max(m, round(x[row * cols + j], t));
                    for (int j = 0; j < cols; j++) s += Math.exp(round(x[row * cols + j], t) - m);
                    for (int j = 0; j < cols; j++) {
                        double xv = round(x[row * cols + j], t);
                        double want = log ? xv - m - Math.log(s) : Math.exp(xv - m) / s;
                        double g = got[row * cols + j];
                        if (row == 3) {
                            assertTrue(Double.isNaN(g), "a NaN poisons its row");
                            continue;
                        }
                        double tol = t == DType.FLOAT32 ? 2e-6 : 1e-13;
                        assertEquals(want, g, tol * Math.max(1, Math.abs(want)), (log ? "log_softmax " : "softmax ") + t
                                + " [" + row + "," + j + "]");
                    }
                }
            }
        }
    }

    private static double round(double v, DType t) { return t == DType.FLOAT32 ? (float) v : v; }

    @Test
    void adamAndAdamWFollowTorchOptim() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean decoupled : new boolean[] {false, true}) {
                int n = 50;
                Random r = new Random(42);
                double[] p = new double[n], m = new double[n], v = new double[n];
                for (int i = 0; i < n; i++) p[i] = round(r.nextGaussian(), t);
                View gp = upload(p, t, n), gm = upload(m, t, n), gv = upload(v, t, n);
                double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
                for (int step = 1; step <= 5; step++) {
                    double[] g = new double[n];
                    for (int i = 0; i < n; i++) g[i] = round(r.nextGaussian(), t);
                    gpu.optimizers().adam(gp, upload(g, t, n), gm, gv, lr, b1, b2, eps, wd, step, decoupled);
                    double bc1 = 1 - Math.pow(b1, step), bc2 = Math.sqrt(1 - Math.pow(b2, step));
                    for (int i = 0; i < n; i++) {
                        if (decoupled) p[i] *= 1 - lr * wd;
                        double d = decoupled ? g[i] : g[i] + wd * p[i];
                        m[i] = m[i] + (1 - b1) * (d - m[i]);
                        v[i] = v[i] * b2 + d * d * (1 - b2);
                        p[i] = p[i] - lr / bc1 * (m[i] / (Math.sqrt(v[i]) / bc2 + eps));
                    }
                }
                assertArrayClose(p, download(gp), t, (decoupled ? "AdamW " : "Adam ") + t);
                assertArrayClose(v, download(gv), t, "Adam second moments " + t);
            }
        }
    }

    @Test
    void sgdAdagradAndRmspropFollowTorchOptim() {
        DType t = DType.FLOAT64;
        int n = 40;
        Random r = new Random(43);
        double[] p = new double[n], buf = new double[n], sum = new double[n], sq = new double[n], gavg = new double[n], mb = new double[n];
        for (int i = 0; i < n; i++) p[i] = r.nextGaussian();
        double[] p2 = p.clone(), p3 = p.clone();
        View gp = upload(p, t, n), gbuf = upload(buf, t, n), gp2 = upload(p2, t, n), gsum = upload(sum, t, n);
        View gp3 = upload(p3, t, n), gsq = upload(sq, t, n), ggavg = upload(gavg, t, n), gmb = upload(mb, t, n);
        for (int step = 1; step <= 4; step++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = r.nextGaussian();
            View gg = upload(g, t, n);
            gpu.optimizers().sgd(gp, gg, gbuf, 0.1, 0.9, 0.1, 0.01, true, step == 1);
            gpu.optimizers().adagrad(gp2, gg, gsum, 0.1, 0.01, 0.01, 1e-10, step);
            gpu.optimizers().rmsprop(gp3, gg, gsq, ggavg, gmb, 0.01, 0.99, 1e-8, 0.01, 0.9);
            for (int i = 0; i < n; i++) {
                double d = g[i] + 0.01 * p[i];
                buf[i] = step == 1 ? d : buf[i] * 0.9 + d * (1 - 0.1);
                p[i] += (d + 0.9 * buf[i]) * -0.1;
                double d2 = g[i] + 0.01 * p2[i];
                sum[i] += d2 * d2;
                p2[i] += d2 / (Math.sqrt(sum[i]) + 1e-10) * -(0.1 / (1 + (step - 1) * 0.01));
                double d3 = g[i] + 0.01 * p3[i];
                sq[i] = sq[i] * 0.99 + d3 * d3 * (1 - 0.99);
                gavg[i] = gavg[i] + (1 - 0.99) * (d3 - gavg[i]);
                double avg = Math.sqrt(sq[i] - gavg[i] * gavg[i]) + 1e-8;
                mb[i] = mb[i] * 0.9 + d3 / avg;
                p3[i] += mb[i] * -0.01;
            }
        }
        assertArrayClose(p, download(gp), t, "SGD with Nesterov momentum");
        assertArrayClose(p2, download(gp2), t, "Adagrad");
        assertArrayClose(p3, download(gp3), t, "centered RMSprop with momentum");
    }

    private static void assertArrayClose(double[] want, double[] got, DType t, String what) {
        double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + ": element " + i);
        }
    }
}
