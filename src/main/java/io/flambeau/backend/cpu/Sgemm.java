package io.flambeau.backend.cpu;

import static io.flambeau.backend.cpu.SgemmMicroKernel.MR;
import static io.flambeau.backend.cpu.SgemmMicroKernel.NR;

import java.util.Arrays;

/**
 * float32 matrix multiply for the CPU backend: C = A·B, or C += A·B, with A and B read through
 * arbitrary element strides (so transposed and sliced views need no copy) and C row-major.
 *
 * <p>This class owns the dispatch and the loop nest. Tiny products go to {@link SgemmDirect},
 * products with a short side to {@link SgemmSkinny}. Larger ones follow the classic packed
 * scheme: B is packed a kc x nc block at a time, A an mc x kc block at a time (both by
 * {@link SgemmPacking}), and {@link SgemmMicroKernel} sweeps each A micro-panel across the whole
 * packed B block. The block sizes follow the machine's caches ({@link SgemmBlocking}). Block
 * extents are balanced (k = 300 becomes two blocks of 150, not 256 + 44), so no block is a thin
 * sliver that the kernel would run inefficiently.
 *
 * <p>Threads: products big enough to pay for a handoff pack each B block together and then
 * multiply it by bands of rows of C, one band per core via {@link CpuParallel}; threads share
 * the read-only A and B and the packed B block, and each packs its own rows of A.
 *
 * <p>C must not overlap A or B.
 */
public final class Sgemm {

    /** Below this many multiply-adds (m*n*k), the direct path beats packing (measured: ~40^3). */
    static final long DIRECT_MAX_WORK = 64 * 1024;
    /** From this many multiply-adds up, a product with a short side takes {@link SgemmSkinny}'s forms. */
    static final long SKINNY_MIN_WORK = 4096;
    /** From this many multiply-adds up (~128^3), splitting across cores beats the handoff cost. */
    static final long PARALLEL_MIN_WORK = 1L << 21;

    /** Per-thread packing buffers, reused across calls so large products do not allocate. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Sgemm() {}

    /** The tile shape and cache blocking chosen for this machine, and the caches they fit (for benchmarks). */
    public static String blockingDescription() {
        return SgemmBlocking.get().toString();
    }

    /**
     * C = A·B, or C += A·B when {@code accumulate}, where A is m x k, B is k x n and C is m x n.
     * Element (i, p) of A is {@code a[aOff + i*aRowStride + p*aColStride]}, element (p, j) of B is
     * {@code b[bOff + p*bRowStride + j*bColStride]}, and element (i, j) of C is
     * {@code c[cOff + i*ldc + j]}. Any of m, n, k may be 0; with k = 0, C is zeroed (or left
     * alone when accumulating). Without {@code accumulate}, C's previous contents are never read.
     */
    public static void sgemm(int m, int n, int k,
                             float[] a, int aOff, int aRowStride, int aColStride,
                             float[] b, int bOff, int bRowStride, int bColStride,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (isEmpty(m, n, k)) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        if (work >= SKINNY_MIN_WORK && SgemmSkinny.tryMultiply(m, n, k, a, aOff, aRowStride, aColStride,
                b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate, null)) {
            return;
        }
        if (work < DIRECT_MAX_WORK) {
            SgemmDirect.multiply(m, n, k, a, aOff, aRowStride, aColStride,
                    b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
            return;
        }
        // Tiles are padded to MR x NR, so a very narrow C (n far below NR) wastes most of each
        // tile. Computing C^T = B^T·A^T instead turns n into the row dimension, padded only to MR.
        long paddedWork = (long) roundUp(m, MR) * roundUp(n, NR);
        long paddedWorkTransposed = (long) roundUp(n, MR) * roundUp(m, NR);
        if (paddedWorkTransposed * 5 < paddedWork * 4) {
            blocked(n, m, k, b, bOff, bColStride, bRowStride, a, aOff, aColStride, aRowStride,
                    c, cOff, 1, ldc, accumulate);
        } else {
            blocked(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, ldc, 1, accumulate);
        }
    }

    /**
     * C = A·B + bias, the bias a row of n elements ({@code bias[biasOff + j*biasStride]}) added to
     * every row of C: a linear layer's output written in one pass where the shape allows (short
     * k, narrow n), else C is set to the bias and the product accumulated onto it.
     */
    public static void sgemmBias(int m, int n, int k,
                                 float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride, int bColStride,
                                 float[] c, int cOff, int ldc, float[] bias, int biasOff, int biasStride) {
        if (isEmpty(m, n, k)) {
            return;
        }
        SgemmSkinny.Bias row = new SgemmSkinny.Bias(bias, biasOff, biasStride);
        if ((long) m * n * k >= SKINNY_MIN_WORK && SgemmSkinny.tryMultiply(m, n, k, a, aOff, aRowStride, aColStride,
                b, bOff, bRowStride, bColStride, c, cOff, ldc, false, row)) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (biasStride == 1) System.arraycopy(bias, biasOff, c, cRow, n);
            else for (int j = 0; j < n; j++) c[cRow + j] = row.get(j);
        }
        sgemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, true);
    }

    /** Whether C is empty (nothing to do); refuses negative extents. */
    private static boolean isEmpty(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative gemm extent: m=" + m + " n=" + n + " k=" + k);
        }
        return m == 0 || n == 0;
    }

    /** The packed path, with C given by general strides; splits across cores when worthwhile. */
    private static void blocked(int m, int n, int k,
                                float[] a, int aOff, int aRowStride, int aColStride,
                                float[] b, int bOff, int bRowStride, int bColStride,
                                float[] c, int cOff, int cRowStride, int cColStride,
                                boolean accumulate) {
        blocked(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                c, cOff, cRowStride, cColStride, accumulate, SgemmBlocking.get(),
                CpuParallel.parallelism() > 1 && (long) m * n * k >= PARALLEL_MIN_WORK);
    }

    /**
     * The blocked loop nest under a given blocking. For each KC x NC block of B: the threads pack
     * it together into the caller's buffer (each a share of its micro-panels), then each thread
     * takes a band of rows of C, packs its rows of A an MC block at a time into a buffer of its
     * own and sweeps each A micro-panel across the whole shared block. Sharing the packed B
     * block means B is packed once, not once per thread, and that one block, not one per
     * thread, has to stay in L2 (two hardware threads of one core share it). When C has fewer
     * row tiles than there are threads, the threads take bands of the block's columns instead.
     */
    static void blocked(int m, int n, int k,
                        float[] a, int aOff, int aRowStride, int aColStride,
                        float[] b, int bOff, int bRowStride, int bColStride,
                        float[] c, int cOff, int cRowStride, int cColStride,
                        boolean accumulate, SgemmBlocking plan, boolean parallel) {
        float[] packedB = WORKSPACE.get().packedB(plan);
        int ncStep = balancedStep(n, plan.nc(), NR);
        int kcStep = balancedStep(k, plan.kc(), 1);
        int rowTiles = ceilDiv(m, MR);
        boolean byRows = rowTiles >= CpuParallel.parallelism();
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            int panels = ceilDiv(nc, NR);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                // Only the first k block may overwrite C; later ones add to it.
                boolean addC = accumulate || pc > 0;
                int jBlock = jc, pBlock = pc;
                CpuParallel.IntRange pack = (q0, q1) -> SgemmPacking.packB(b, bOff, bRowStride, bColStride,
                        pBlock, kc, jBlock + q0 * NR, Math.min(nc, q1 * NR) - q0 * NR, packedB, q0 * NR * kc);
                CpuParallel.IntRange rows = (t0, t1) -> multiplyRows(t0 * MR, Math.min(m, t1 * MR), 0, nc, kc,
                        a, aOff, aRowStride, aColStride, pBlock, packedB, c, cOff + jBlock * cColStride,
                        cRowStride, cColStride, addC, plan);
                CpuParallel.IntRange cols = (q0, q1) -> multiplyRows(0, m, q0 * NR, Math.min(nc, q1 * NR), kc,
                        a, aOff, aRowStride, aColStride, pBlock, packedB, c, cOff + jBlock * cColStride,
                        cRowStride, cColStride, addC, plan);
                if (parallel) {
                    CpuParallel.parallelFor(panels, 1, pack);
                    if (byRows) CpuParallel.parallelFor(rowTiles, 1, rows);
                    else CpuParallel.parallelFor(panels, 1, cols);
                } else {
                    pack.run(0, panels);
                    rows.run(0, rowTiles);
                }
            }
        }
    }

    /**
     * Rows {@code [i0, i1)} of C (i0 a multiple of MR) times the packed B block's columns
     * {@code [j0, j1)} (j0 a multiple of NR), on the calling thread: A packed an MC block at a
     * time into this thread's buffer. C's column 0 is the block's first column.
     */
    private static void multiplyRows(int i0, int i1, int j0, int j1, int kc,
                                     float[] a, int aOff, int aRowStride, int aColStride, int pc,
                                     float[] packedB, float[] c, int cOff, int cRowStride, int cColStride,
                                     boolean addC, SgemmBlocking plan) {
        Workspace ws = WORKSPACE.get();
        float[] packedA = ws.packedA(plan);
        int mcStep = balancedStep(i1 - i0, plan.mc(), MR);
        // Full tiles run in a loop of their own, the partial ones after it. With a full-or-edge
        // test per tile inside one loop instead, C2 was seen to compile a version that sent
        // every tile down the slow edge path.
        int fullEnd = cColStride == 1 ? j0 + (j1 - j0) / NR * NR : j0;
        for (int ic = i0; ic < i1; ic += mcStep) {
            int mc = Math.min(mcStep, i1 - ic);
            SgemmPacking.packA(a, aOff, aRowStride, aColStride, ic, mc, pc, kc, packedA);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cRow = cOff + (ic + ir) * cRowStride;
                int jr = j0;
                if (mr == MR) {
                    for (; jr < fullEnd; jr += NR) {
                        SgemmMicroKernel.fullTile(kc, packedA, ir * kc, packedB, jr * kc,
                                c, cRow + jr, cRowStride, addC);
                    }
                }
                for (; jr < j1; jr += NR) {
                    SgemmMicroKernel.edgeTile(kc, packedA, ir * kc, packedB, jr * kc,
                            mr, Math.min(NR, j1 - jr), c, cRow + jr * cColStride,
                            cRowStride, cColStride, addC, ws.tile);
                }
            }
        }
    }

    /**
     * The block size that covers {@code extent} in as few blocks as {@code maxStep} allows, with
     * the blocks as equal as possible and each a multiple of {@code unit}.
     */
    static int balancedStep(int extent, int maxStep, int unit) {
        int blocks = ceilDiv(extent, maxStep);
        return Math.min(maxStep, roundUp(ceilDiv(extent, blocks), unit));
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int unit) {
        return ceilDiv(x, unit) * unit;
    }

    /** One thread's packing buffers, grown to the largest blocks it has packed. */
    private static final class Workspace {
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];

        float[] packedA(SgemmBlocking plan) {
            if (packedA.length < plan.mc() * plan.kc()) packedA = new float[plan.mc() * plan.kc()];
            return packedA;
        }

        float[] packedB(SgemmBlocking plan) {
            if (packedB.length < plan.kc() * plan.nc()) packedB = new float[plan.kc() * plan.nc()];
            return packedB;
        }
    }
}
