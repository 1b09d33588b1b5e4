package io.flambeau.backend.cpu;

import io.flambeau.backend.View;

/**
 * Batched matrix products: float32 through {@link Sgemm}, float64 through {@link Dgemm}, int64 by a
 * plain loop; both floating types through {@link ScalarGemm} where the Vector API is absent
 * ({@link CpuVectors}).
 */
final class CpuMatmul {
    private CpuMatmul() {}

    static void matmul(View x, View y, View out) {
        CpuStorage a = (CpuStorage) x.storage(), b = (CpuStorage) y.storage(), o = (CpuStorage) out.storage();
        long[] xs = x.shape(), ys = y.shape();
        int batch = (int) out.shape()[0], m = (int) xs[1], k = (int) xs[2], n = (int) ys[2];
        long[] xst = x.strides(), yst = y.strides();
        for (int bi = 0; bi < batch; bi++) {
            int aOff = (int) (x.offset() + bi * xst[0]);
            int bOff = (int) (y.offset() + bi * yst[0]);
            int cOff = (int) (out.offset() + (long) bi * m * n);
            switch (o.dtype()) {
                case FLOAT32 -> {
                    if (CpuVectors.ENABLED) {
                        Sgemm.sgemm(m, n, k, a.f, aOff, (int) xst[1], (int) xst[2], b.f, bOff, (int) yst[1], (int) yst[2],
                                o.f, cOff, n, false);
                    } else {
                        ScalarGemm.sgemm(m, n, k, a.f, aOff, (int) xst[1], (int) xst[2], b.f, bOff, (int) yst[1],
                                (int) yst[2], o.f, cOff, n, false);
                    }
                }
                case FLOAT64 -> {
                    if (CpuVectors.ENABLED) {
                        Dgemm.dgemm(m, n, k, a.d, aOff, (int) xst[1], (int) xst[2], b.d, bOff, (int) yst[1], (int) yst[2],
                                o.d, cOff, n, false);
                    } else {
                        ScalarGemm.dgemm(m, n, k, a.d, aOff, (int) xst[1], (int) xst[2], b.d, bOff, (int) yst[1],
                                (int) yst[2], o.d, cOff, n, false);
                    }
                }
                default -> longGemm(m, n, k, a, aOff, (int) xst[1], (int) xst[2], b, bOff, (int) yst[1], (int) yst[2], o, cOff, n);
            }
        }
    }

    /**
     * float32 {@code out = x·y + bias} for a bias that is one row broadcast over batches and rows
     * (a linear layer's); false, with nothing done, for any other case.
     */
    static boolean matmulBias(View x, View y, View bias, View out) {
        return matmulBias(x, y, bias, out, false);
    }

    /**
     * {@link #matmulBias}, with {@code relu} the output stored through the RELU of
     * {@link Float32Loops} (fused into the product's store where {@link Sgemm#sgemmBias} can).
     */
    static boolean matmulBias(View x, View y, View bias, View out, boolean relu) {
        long[] bst = bias.strides();
        if (out.dtype() != io.flambeau.core.DType.FLOAT32 || bst[0] != 0 || bst[1] != 0) return false;
        CpuStorage a = (CpuStorage) x.storage(), b = (CpuStorage) y.storage(), o = (CpuStorage) out.storage();
        float[] bf = ((CpuStorage) bias.storage()).f;
        long[] xs = x.shape(), ys = y.shape(), xst = x.strides(), yst = y.strides();
        int batch = (int) out.shape()[0], m = (int) xs[1], k = (int) xs[2], n = (int) ys[2];
        for (int bi = 0; bi < batch; bi++) {
            if (!CpuVectors.ENABLED) {
                ScalarGemm.sgemmBias(m, n, k, a.f, (int) (x.offset() + bi * xst[0]), (int) xst[1], (int) xst[2],
                        b.f, (int) (y.offset() + bi * yst[0]), (int) yst[1], (int) yst[2],
                        o.f, (int) (out.offset() + (long) bi * m * n), n, bf, (int) bias.offset(), (int) bst[2]);
                if (relu) {
                    int cOff = (int) (out.offset() + (long) bi * m * n);
                    Float32Scalar.unary(io.flambeau.backend.UnaryOp.RELU, o.f, cOff, o.f, cOff, m * n, 0f, 0f);
                }
                continue;
            }
            Sgemm.sgemmBias(m, n, k, a.f, (int) (x.offset() + bi * xst[0]), (int) xst[1], (int) xst[2],
                    b.f, (int) (y.offset() + bi * yst[0]), (int) yst[1], (int) yst[2],
                    o.f, (int) (out.offset() + (long) bi * m * n), n, bf, (int) bias.offset(), (int) bst[2], relu);
        }
        return true;
    }

    private static void longGemm(int m, int n, int k, CpuStorage a, int aOff, int ars, int acs,
                                 CpuStorage b, int bOff, int brs, int bcs, CpuStorage c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int p = 0; p < k; p++) s += a.getL(aOff + i * ars + p * acs) * b.getL(bOff + p * brs + j * bcs);
                c.setL(cOff + i * ldc + j, s);
            }
        }
    }
}
