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
            if (aColStride == 1 && mr == MR) {
                packRowMajorPanel(a, src, aRowStride, kc, ap, dst, GATHER.get().offsets(aRowStride));
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

    /** k steps whose MR values fill a whole number of vectors: the period of the gather pattern. */
    private static final int GATHER_STEPS = lcm(MR, L) / MR;

    /**
     * One full micro-panel of a row-major A (rows {@code lda} apart): the panel, read in order,
     * is MR values of one column per k step, so each vector of it gathers from MR rows at once,
     * with a pattern of {@code offsets} that repeats every {@link #GATHER_STEPS} k steps. Gathered
     * vectors are written whole, where the element-by-element transpose stored one float at a
     * time (a 256^3 product spent ~11% of its time packing A that way).
     */
    private static void packRowMajorPanel(float[] a, int src, int lda, int kc, float[] ap, int dst, int[] offsets) {
        int period = GATHER_STEPS * MR;
        int p = 0;
        for (; p + GATHER_STEPS <= kc; p += GATHER_STEPS) {
            int d = dst + p * MR;
            for (int v = 0; v < period; v += L) {
                FloatVector.fromArray(F, a, src + p, offsets, v).intoArray(ap, d + v);
            }
        }
        for (; p < kc; p++) {
            for (int r = 0; r < MR; r++) ap[dst + p * MR + r] = a[src + r * lda + p];
        }
    }

    /** Each thread's gather pattern, rebuilt only when the row stride of A changes. */
    private static final ThreadLocal<GatherPattern> GATHER = ThreadLocal.withInitial(GatherPattern::new);

    /** The offsets of a panel's first {@link #GATHER_STEPS} k steps from its first element, for one row stride. */
    private static final class GatherPattern {
        private final int[] offsets = new int[GATHER_STEPS * MR];
        private int lda = -1;

        int[] offsets(int rowStride) {
            if (rowStride != lda) {
                for (int q = 0; q < offsets.length; q++) offsets[q] = (q % MR) * rowStride + q / MR;
                lda = rowStride;
            }
            return offsets;
        }
    }

    private static int lcm(int x, int y) {
        int g = x, h = y;
        while (h != 0) {
            int t = g % h;
            g = h;
            h = t;
        }
        return x / g * y;
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
