package io.flambeau.backend.cpu;

import static io.flambeau.backend.cpu.SgemmMicroKernel.F;
import static io.flambeau.backend.cpu.SgemmMicroKernel.L;
import static io.flambeau.backend.cpu.SgemmMicroKernel.MR;
import static io.flambeau.backend.cpu.SgemmMicroKernel.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of A and B, read through arbitrary element strides, into the contiguous
 * micro-panel layouts that {@link SgemmMicroKernel} streams through.
 *
 * <p>Packing is where strides are absorbed: a transposed or sliced operand costs one strided
 * read per element per block here, and the O(m n k) inner loops only ever see unit-stride,
 * zero-padded panels. Each routine picks its loop order so that the source is read along its
 * contiguous axis when it has one.
 */
final class SgemmPacking {

    private SgemmPacking() {}

    /**
     * Packs the {@code mc x kc} block of A starting at row {@code i0}, column {@code p0} into
     * {@code ap}: ceil(mc / MR) micro-panels of {@code MR * kc} floats, each holding MR values
     * of one column of A per k step, with rows past {@code mc} zeroed.
     */
    static void packA(float[] a, int aOff, int aRowStride, int aColStride,
                      int i0, int mc, int p0, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            int src = aOff + (i0 + ir) * aRowStride + p0 * aColStride;
            if (aColStride == 1 && mr == MR && MR == 12) {
                packRowMajorPanel(a, src, aRowStride, kc, ap, dst);
            } else if (aColStride == 1) {
                // Row-major A: read each row along k, write it down the panel's column r.
                for (int r = 0; r < mr; r++) {
                    int s = src + r * aRowStride;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR + r] = a[s + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * aColStride;
                    int d = dst + p * MR;
                    for (int r = 0; r < mr; r++) {
                        ap[d + r] = a[s + r * aRowStride];
                    }
                }
            }
            if (mr < MR) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(ap, dst + p * MR + mr, dst + (p + 1) * MR, 0f);
                }
            }
        }
    }

    /**
     * One full micro-panel of a row-major A (rows {@code lda} apart): for each k step, the MR
     * values of one column, read from MR rows that each advance by one float, and written
     * in order. Measured on AMD Zen 5, packing all of a 2048 x 2048 A (one thread): 1.8 ms this
     * way, 2.4-3.8 ms with vector gathers of a repeating offset pattern (what this did before),
     * 2.8 ms with the rows in an inner loop instead of named here (C2 then computes each row's
     * address from {@code r * lda} again); the element-by-element transpose that walked each row
     * along k and stored down the panel was slower still (a 256^3 product spent ~11% of its
     * time packing A that way). Written for MR = 12 ({@link #packA} takes the general loop otherwise).
     */
    private static void packRowMajorPanel(float[] a, int src, int lda, int kc, float[] ap, int dst) {
        int s0 = src, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
        int s6 = s5 + lda, s7 = s6 + lda, s8 = s7 + lda, s9 = s8 + lda, s10 = s9 + lda, s11 = s10 + lda;
        for (int p = 0; p < kc; p++) {
            int d = dst + p * 12;
            ap[d] = a[s0 + p];
            ap[d + 1] = a[s1 + p];
            ap[d + 2] = a[s2 + p];
            ap[d + 3] = a[s3 + p];
            ap[d + 4] = a[s4 + p];
            ap[d + 5] = a[s5 + p];
            ap[d + 6] = a[s6 + p];
            ap[d + 7] = a[s7 + p];
            ap[d + 8] = a[s8 + p];
            ap[d + 9] = a[s9 + p];
            ap[d + 10] = a[s10 + p];
            ap[d + 11] = a[s11 + p];
        }
    }

    /**
     * Packs the {@code kc x nc} block of B starting at row {@code p0}, column {@code j0} into
     * {@code bp} from {@code bpOff} on: ceil(nc / NR) micro-panels of {@code kc * NR} floats,
     * each holding NR values of one row of B per k step, with columns past {@code nc} zeroed.
     */
    static void packB(float[] b, int bOff, int bRowStride, int bColStride,
                      int p0, int kc, int j0, int nc, float[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = bpOff + jr * kc;
            int src = bOff + p0 * bRowStride + (j0 + jr) * bColStride;
            if (bColStride == 1 && nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * bRowStride;
                    int d = dst + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(F, b, s + v).intoArray(bp, d + v);
                    }
                }
                continue;
            }
            if (bColStride == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, src + p * bRowStride, bp, dst + p * NR, nr);
                }
            } else if (bRowStride == 1) {
                // Transposed B: each column is contiguous along k.
                for (int j = 0; j < nr; j++) {
                    int s = src + j * bColStride;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * NR + j] = b[s + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * bRowStride;
                    int d = dst + p * NR;
                    for (int j = 0; j < nr; j++) {
                        bp[d + j] = b[s + j * bColStride];
                    }
                }
            }
            if (nr < NR) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, dst + p * NR + nr, dst + (p + 1) * NR, 0f);
                }
            }
        }
    }

    /**
     * A rows x cols matrix (element (r, c) at {@code src[off + r*rowStride + c*colStride]}) as a
     * dense row-major copy with {@code pad} spare elements at the end, so that a masked vector
     * load at the end of the last row stays inside the array.
     */
    static float[] dense(float[] src, int off, int rowStride, int colStride, int rows, int cols, int pad) {
        float[] out = new float[rows * cols + pad];
        for (int r = 0; r < rows; r++) {
            int from = off + r * rowStride;
            if (colStride == 1) {
                System.arraycopy(src, from, out, r * cols, cols);
            } else {
                for (int c = 0; c < cols; c++) out[r * cols + c] = src[from + c * colStride];
            }
        }
        return out;
    }
}
