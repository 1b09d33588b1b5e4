package io.flambeau.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * float64 matrix multiply for the CPU backend, with the same contract as {@link Sgemm#sgemm}:
 * C = A·B (or C += A·B), A and B through arbitrary element strides, C row-major.
 *
 * <p>float64 matters less for speed than float32 (it is the precision of checks and of the odd
 * user who asks for it), so this is the same packed, blocked, threaded scheme as Sgemm in one
 * file, without Sgemm's narrow-C transposition and with a smaller tile: MR = 8 rows by
 * NR = two vectors (16 doubles with 512-bit vectors), 16 accumulators.
 *
 * <p>Blocking: KC = 256 k steps (an A micro-panel, 8 x 256 doubles = 16 KiB, stays in L1 while
 * the kernel sweeps it across B); NC = 512 columns (the packed B block, 256 x 512 doubles =
 * 1 MiB, stays in L2); MC = 96 rows of A packed at a time. Products under DIRECT_MAX_WORK
 * multiply-adds skip packing entirely.
 */
public final class Dgemm {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;

    private static final int KC = 256;
    private static final int MC = 12 * MR;
    private static final int NC = Sgemm.roundUp(512, NR);
    private static final long DIRECT_MAX_WORK = 32 * 1024;
    private static final long PARALLEL_MIN_WORK = 1L << 20;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Dgemm() {}

    /** C = A·B, or C += A·B when {@code accumulate}; see {@link Sgemm#sgemm} for the layout. */
    public static void dgemm(int m, int n, int k,
                             double[] a, int aOff, int aRowStride, int aColStride,
                             double[] b, int bOff, int bRowStride, int bColStride,
                             double[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative gemm extent: m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
                }
            }
            return;
        }
        if ((long) m * n * k < DIRECT_MAX_WORK) {
            direct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, ldc, accumulate);
            return;
        }
        int rowTiles = Sgemm.ceilDiv(m, MR);
        int colTiles = Sgemm.ceilDiv(n, NR);
        if (CpuParallel.parallelism() <= 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            serial(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, ldc, accumulate);
        } else if (rowTiles >= colTiles) {
            CpuParallel.parallelFor(rowTiles, 1, (t0, t1) -> {
                int i0 = t0 * MR;
                int i1 = Math.min(m, t1 * MR);
                serial(i1 - i0, n, k, a, aOff + i0 * aRowStride, aRowStride, aColStride,
                        b, bOff, bRowStride, bColStride, c, cOff + i0 * ldc, ldc, accumulate);
            });
        } else {
            CpuParallel.parallelFor(colTiles, 1, (t0, t1) -> {
                int j0 = t0 * NR;
                int j1 = Math.min(n, t1 * NR);
                serial(m, j1 - j0, k, a, aOff, aRowStride, aColStride,
                        b, bOff + j0 * bColStride, bRowStride, bColStride, c, cOff + j0, ldc, accumulate);
            });
        }
    }

    /**
     * Tiny products, no packing: a register accumulator per (masked) vector of columns, or a
     * dot product per element when B's rows are not contiguous.
     */
    private static void direct(int m, int n, int k,
                               double[] a, int aOff, int aRowStride, int aColStride,
                               double[] b, int bOff, int bRowStride, int bColStride,
                               double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * aRowStride;
            int cRow = cOff + i * ldc;
            if (bColStride != 1) {
                for (int j = 0; j < n; j++) {
                    double sum = 0.0;
                    int bIdx = bOff + j * bColStride;
                    for (int p = 0; p < k; p++) {
                        sum += a[aRow + p * aColStride] * b[bIdx];
                        bIdx += bRowStride;
                    }
                    c[cRow + j] = accumulate ? c[cRow + j] + sum : sum;
                }
                continue;
            }
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> cols = D.indexInRange(j, n);
                DoubleVector acc = DoubleVector.zero(D);
                int bIdx = bOff + j;
                for (int p = 0; p < k; p++) {
                    acc = DoubleVector.broadcast(D, a[aRow + p * aColStride])
                            .fma(DoubleVector.fromArray(D, b, bIdx, cols), acc);
                    bIdx += bRowStride;
                }
                if (accumulate) {
                    acc = acc.add(DoubleVector.fromArray(D, c, cRow + j, cols));
                }
                acc.intoArray(c, cRow + j, cols);
            }
        }
    }

    /** The blocked loop nest on the calling thread (see {@link Sgemm} for the scheme). */
    private static void serial(int m, int n, int k,
                               double[] a, int aOff, int aRowStride, int aColStride,
                               double[] b, int bOff, int bRowStride, int bColStride,
                               double[] c, int cOff, int ldc, boolean accumulate) {
        Workspace ws = WORKSPACE.get();
        int ncStep = Sgemm.balancedStep(n, NC, NR);
        int kcStep = Sgemm.balancedStep(k, KC, 1);
        int mcStep = Sgemm.balancedStep(m, MC, MR);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean addC = accumulate || pc > 0;
                packB(b, bOff, bRowStride, bColStride, pc, kc, jc, nc, ws.packedB);
                for (int ic = 0; ic < m; ic += mcStep) {
                    int mc = Math.min(mcStep, m - ic);
                    packA(a, aOff, aRowStride, aColStride, ic, mc, pc, kc, ws.packedA);
                    // Full tiles in a branch-free loop, then the partial ones (see Sgemm.serial).
                    int fullCols = nc - nc % NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        int cRow = cOff + (ic + ir) * ldc + jc;
                        int jr = 0;
                        if (mr == MR) {
                            for (; jr < fullCols; jr += NR) {
                                fullTile(kc, ws.packedA, ir * kc, ws.packedB, jr * kc, c, cRow + jr, ldc, addC);
                            }
                        }
                        for (; jr < nc; jr += NR) {
                            fullTile(kc, ws.packedA, ir * kc, ws.packedB, jr * kc, ws.tile, 0, NR, false);
                            mergeTile(ws.tile, mr, Math.min(NR, nc - jr), c, cRow + jr, ldc, addC);
                        }
                    }
                }
            }
        }
    }

    /** A block of A as MR-row micro-panels, MR values of one column per k step, zero-padded. */
    private static void packA(double[] a, int aOff, int aRowStride, int aColStride,
                              int i0, int mc, int p0, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            int src = aOff + (i0 + ir) * aRowStride + p0 * aColStride;
            for (int r = 0; r < mr; r++) {
                int s = src + r * aRowStride;
                for (int p = 0; p < kc; p++) {
                    ap[dst + p * MR + r] = a[s + p * aColStride];
                }
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[dst + p * MR + r] = 0.0;
                }
            }
        }
    }

    /** A block of B as NR-column micro-panels, NR values of one row per k step, zero-padded. */
    private static void packB(double[] b, int bOff, int bRowStride, int bColStride,
                              int p0, int kc, int j0, int nc, double[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            int src = bOff + p0 * bRowStride + (j0 + jr) * bColStride;
            for (int p = 0; p < kc; p++) {
                int s = src + p * bRowStride;
                int d = dst + p * NR;
                if (bColStride == 1 && nr == NR) {
                    for (int v = 0; v < NR; v += L) {
                        DoubleVector.fromArray(D, b, s + v).intoArray(bp, d + v);
                    }
                } else if (bColStride == 1) {
                    System.arraycopy(b, s, bp, d, nr);
                } else {
                    for (int j = 0; j < nr; j++) {
                        bp[d + j] = b[s + j * bColStride];
                    }
                }
                if (nr < NR) {
                    Arrays.fill(bp, d + nr, d + NR, 0.0);
                }
            }
        }
    }

    /** One MR x NR tile over kc k steps; with addC false, C is written without being read. */
    private static void fullTile(int kc, double[] ap, int aOff, double[] bp, int bOff,
                                 double[] c, int cOff, int ldc, boolean addC) {
        DoubleVector zero = DoubleVector.zero(D);
        DoubleVector c0a = zero, c0b = zero;
        DoubleVector c1a = zero, c1b = zero;
        DoubleVector c2a = zero, c2b = zero;
        DoubleVector c3a = zero, c3b = zero;
        DoubleVector c4a = zero, c4b = zero;
        DoubleVector c5a = zero, c5b = zero;
        DoubleVector c6a = zero, c6b = zero;
        DoubleVector c7a = zero, c7b = zero;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(D, bp, bOff);
            DoubleVector b1 = DoubleVector.fromArray(D, bp, bOff + L);
            DoubleVector a0 = DoubleVector.broadcast(D, ap[aOff + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            DoubleVector a1 = DoubleVector.broadcast(D, ap[aOff + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            DoubleVector a2 = DoubleVector.broadcast(D, ap[aOff + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            DoubleVector a3 = DoubleVector.broadcast(D, ap[aOff + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            DoubleVector a4 = DoubleVector.broadcast(D, ap[aOff + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            DoubleVector a5 = DoubleVector.broadcast(D, ap[aOff + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            DoubleVector a6 = DoubleVector.broadcast(D, ap[aOff + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            DoubleVector a7 = DoubleVector.broadcast(D, ap[aOff + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
            aOff += MR;
            bOff += NR;
        }
        if (addC) {
            c0a = c0a.add(DoubleVector.fromArray(D, c, cOff + 0 * ldc));
            c0b = c0b.add(DoubleVector.fromArray(D, c, cOff + 0 * ldc + L));
            c1a = c1a.add(DoubleVector.fromArray(D, c, cOff + 1 * ldc));
            c1b = c1b.add(DoubleVector.fromArray(D, c, cOff + 1 * ldc + L));
            c2a = c2a.add(DoubleVector.fromArray(D, c, cOff + 2 * ldc));
            c2b = c2b.add(DoubleVector.fromArray(D, c, cOff + 2 * ldc + L));
            c3a = c3a.add(DoubleVector.fromArray(D, c, cOff + 3 * ldc));
            c3b = c3b.add(DoubleVector.fromArray(D, c, cOff + 3 * ldc + L));
            c4a = c4a.add(DoubleVector.fromArray(D, c, cOff + 4 * ldc));
            c4b = c4b.add(DoubleVector.fromArray(D, c, cOff + 4 * ldc + L));
            c5a = c5a.add(DoubleVector.fromArray(D, c, cOff + 5 * ldc));
            c5b = c5b.add(DoubleVector.fromArray(D, c, cOff + 5 * ldc + L));
            c6a = c6a.add(DoubleVector.fromArray(D, c, cOff + 6 * ldc));
            c6b = c6b.add(DoubleVector.fromArray(D, c, cOff + 6 * ldc + L));
            c7a = c7a.add(DoubleVector.fromArray(D, c, cOff + 7 * ldc));
            c7b = c7b.add(DoubleVector.fromArray(D, c, cOff + 7 * ldc + L));
        }
        c0a.intoArray(c, cOff + 0 * ldc);
        c0b.intoArray(c, cOff + 0 * ldc + L);
        c1a.intoArray(c, cOff + 1 * ldc);
        c1b.intoArray(c, cOff + 1 * ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc);
        c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc);
        c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc);
        c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc);
        c7b.intoArray(c, cOff + 7 * ldc + L);
    }

    /** Moves the valid {@code mr x nr} corner of an edge tile computed into scratch into C. */
    private static void mergeTile(double[] tile, int mr, int nr, double[] c, int cOff, int ldc, boolean addC) {
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                double v = tile[r * NR + j];
                c[cOff + r * ldc + j] = addC ? c[cOff + r * ldc + j] + v : v;
            }
        }
    }

    /** One thread's packing buffers, sized for the largest blocks. */
    private static final class Workspace {
        final double[] packedA = new double[MC * KC];
        final double[] packedB = new double[KC * NC];
        final double[] tile = new double[MR * NR];
    }
}
