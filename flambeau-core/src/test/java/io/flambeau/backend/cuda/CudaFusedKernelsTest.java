package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.core.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels outside the Backend primitives: softmax/log-softmax along the last dim, against a
 * plain Java transcription of PyTorch's definition (the fused optimizer updates are checked against
 * the per-tensor updates by FusedOptimizerTest).
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
}
