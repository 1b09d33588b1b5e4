package io.flambeau.backend.cpu;

/** Plain double GEMM (placeholder until the blocked kernel lands). */
final class Dgemm {
    private Dgemm() {}

    static void dgemm(int m, int n, int k, double[] a, int aOff, int aRowStride, int aColStride,
                      double[] b, int bOff, int bRowStride, int bColStride, double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, (double) 0);
            for (int p = 0; p < k; p++) {
                double av = a[aOff + i * aRowStride + p * aColStride];
                int bp = bOff + p * bRowStride;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j * bColStride];
            }
        }
    }
}
