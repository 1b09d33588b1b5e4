package io.flambeau.backend.cpu;

import static io.flambeau.backend.cpu.SgemmMicroKernel.MR;
import static io.flambeau.backend.cpu.SgemmMicroKernel.NR;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Threads: products big enough to pay for a handoff are split via {@link CpuParallel}, by
 * rows or by columns, whichever leaves each thread less to pack. By rows, the threads pack each
 * block of B once between them and share it, each packing A only for the pieces of rows it takes
 * ({@link #sharedB}); by columns, each thread takes a band of whole tiles and multiplies it as an
 * independent product with its own packing buffers.
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
        sgemmBias(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc,
                bias, biasOff, biasStride, false);
    }

    /**
     * {@link #sgemmBias}, then with {@code relu} each element of C through {@code x < 0 ? 0 : x}
     * (NaN and -0.0 kept, as the CPU backend's RELU): a linear layer followed by a ReLU. The
     * skinny forms apply it as they store C, in the same pass; the packed path runs it over C
     * afterwards, a row at a time.
     */
    public static void sgemmBias(int m, int n, int k,
                                 float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride, int bColStride,
                                 float[] c, int cOff, int ldc, float[] bias, int biasOff, int biasStride,
                                 boolean relu) {
        if (isEmpty(m, n, k)) {
            return;
        }
        SgemmSkinny.Bias row = new SgemmSkinny.Bias(bias, biasOff, biasStride, relu);
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
        if (relu) {
            for (int i = 0; i < m; i++) Float32Loops.unary(io.flambeau.backend.UnaryOp.RELU, c, cOff + i * ldc, c, cOff + i * ldc, n, 0f, 0f);
        }
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
        SgemmBlocking plan = SgemmBlocking.get();
        int threads = CpuParallel.parallelism();
        if (threads <= 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            serial(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, cRowStride, cColStride, accumulate, plan);
            return;
        }
        int rowTiles = ceilDiv(m, MR);
        int colTiles = ceilDiv(n, NR);
        if (splitRows(m, n, threads, rowTiles, colTiles, plan.nc())) {
            sharedB(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, cRowStride, cColStride, accumulate, plan);
        } else {
            // Bands of columns: each thread packs its own columns of B and all of A.
            CpuParallel.parallelFor(colTiles, 1, (t0, t1) -> {
                int j0 = t0 * NR;
                int j1 = Math.min(n, t1 * NR);
                serial(m, j1 - j0, k, a, aOff, aRowStride, aColStride,
                        b, bOff + j0 * bColStride, bRowStride, bColStride,
                        c, cOff + j0 * cColStride, cRowStride, cColStride, accumulate, plan);
            });
        }
    }

    /**
     * The threaded packed path by rows, the threads sharing one packed copy of each B block. For
     * each kc x nc block of B, one {@link CpuParallel#parallelFor} hands out pieces in order:
     * first groups of B's micro-panels, packed once into the caller's buffer, then pieces of C's
     * rows, each packing its own rows of A and sweeping them across the shared block. A thread
     * that takes a piece of rows waits until every panel is packed; by then each panel has been
     * taken by a running thread, so the wait is only for work in progress. With a private copy
     * per thread, every thread packed all of B (a sixth of the work of a 256^3 product on two
     * threads). Pieces go to threads as they come for them, so a thread that starts late, or is
     * descheduled by other work on the machine, takes fewer of them instead of holding up the
     * product; the end of each block's call is the point where no thread still reads the block
     * that the next one overwrites.
     */
    private static void sharedB(int m, int n, int k,
                                float[] a, int aOff, int aRowStride, int aColStride,
                                float[] b, int bOff, int bRowStride, int bColStride,
                                float[] c, int cOff, int cRowStride, int cColStride,
                                boolean accumulate, SgemmBlocking plan) {
        float[] packedB = WORKSPACE.get().fit(plan).packedB;
        int ncStep = balancedStep(n, plan.nc(), NR);
        int kcStep = balancedStep(k, plan.kc(), 1);
        int rowTiles = ceilDiv(m, MR);
        int maxPieces = CpuParallel.parallelism() * PIECES_PER_THREAD;
        int rowPieces = Math.min(rowTiles, maxPieces);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            int colPanels = ceilDiv(nc, NR);
            int packPieces = Math.min(colPanels, maxPieces);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                boolean addC = accumulate || pc > 0;
                int jc0 = jc, pc0 = pc;
                AtomicInteger packed = new AtomicInteger();
                int pieces = packPieces + rowPieces;
                // One item per piece (as many chunks as items), so each chunk is one piece.
                CpuParallel.parallelFor(pieces, 1, pieces, (piece, end) -> {
                    if (piece < packPieces) {
                        int p0 = share(colPanels, packPieces, piece), p1 = share(colPanels, packPieces, piece + 1);
                        try {
                            SgemmPacking.packB(b, bOff, bRowStride, bColStride, pc0, kc, jc0 + p0 * NR,
                                    Math.min(nc, p1 * NR) - p0 * NR, packedB, p0 * NR * kc);
                        } finally {
                            packed.incrementAndGet(); // even on failure (rethrown by parallelFor): no waiter hangs
                        }
                        return;
                    }
                    while (packed.get() < packPieces) {
                        Thread.onSpinWait();
                    }
                    int i0 = share(rowTiles, rowPieces, piece - packPieces) * MR;
                    int rows = Math.min(m, share(rowTiles, rowPieces, piece - packPieces + 1) * MR) - i0;
                    Workspace ws = WORKSPACE.get().fit(plan);
                    int mcStep = balancedStep(rows, plan.mc(), MR);
                    for (int ic = 0; ic < rows; ic += mcStep) {
                        int mc = Math.min(mcStep, rows - ic);
                        SgemmPacking.packA(a, aOff, aRowStride, aColStride, i0 + ic, mc, pc0, kc, ws.packedA);
                        sweep(mc, nc, kc, ws.packedA, packedB, c, cOff + (i0 + ic) * cRowStride + jc0 * cColStride,
                                cRowStride, cColStride, addC, ws.tile);
                    }
                });
            }
        }
    }

    /** Start of part {@code i} of {@code parts} near-equal parts of {@code [0, n)}. */
    private static int share(int n, int parts, int i) {
        return (int) ((long) n * i / parts);
    }

    /**
     * Pieces per thread in each of {@link #sharedB}'s two kinds of work. More pieces balance a
     * late or slowed thread better; each piece of rows packs its own A, so pieces cost no extra
     * packing, only a claim and, for the last piece, a shorter final sweep.
     */
    private static final int PIECES_PER_THREAD = 4;

    /**
     * Whether bands of rows (rather than of columns) cost each thread less. A thread packs its
     * share of A once per nc-column block of its columns, and its share of B once: with rows
     * ({@link #sharedB}) that is m/t rows of A times ceil(n/nc), plus n/t columns of B; with
     * column bands, all of A times ceil(n/t/nc), plus n/t columns of B. An element of A costs
     * about twice one of B (A is transposed while packing, B copied a vector at a time). Either
     * way needs a tile per thread.
     *
     * <p>Rows also pay for their barriers: every block of {@link #sharedB} ends when its last
     * piece does, so a thread waits on average half a piece, about 1/16 of the product's time
     * with 4 pieces per thread, where column bands meet once. In the same units (an element of
     * A packed costs two, about 0.4 ns each on AMD Zen 5, where one thread does about 88 G
     * multiply-adds per second) that is about {@code m * n / threads / 600}; 500 is used, which
     * puts square 1024 products on columns. Measured there, 2 threads, column bands against
     * rows: 2048^3 1.04x, 1024^3 1.02-1.10x, 512 x 2048 x 512 1.00-1.13x, 300 x 1200 x 700
     * 1.03-1.24x, 1024 x 1024 x 256 0.96-1.00x (which this term moves to columns);
     * 768^3 0.93-0.97x, 2048 x 512 x 512 0.89x, 4096 x 256 x 256 0.76-0.80x (which stay on rows).
     * Products wider than one block of B, which the term also moves to columns: 4096 x 2048 x 256
     * 1.03x, 2048 x 1536 x 512 1.22x, 130 x 2100 x 40 1.75x, 250 x 1030 x 300 1.76x.
     */
    private static boolean splitRows(int m, int n, int threads, int rowTiles, int colTiles, int nc) {
        if (rowTiles < threads || colTiles < threads) {
            return rowTiles >= colTiles;
        }
        double rowBandCost = 2.0 * m / threads * ceilDiv(n, nc) + (double) n / threads
                + (double) m * n / threads / 500;
        double colBandCost = 2.0 * m * ceilDiv(ceilDiv(n, threads), nc) + (double) n / threads;
        return rowBandCost <= colBandCost;
    }

    /** The blocked loop nest on the calling thread, under the given blocking. */
    static void serial(int m, int n, int k,
                       float[] a, int aOff, int aRowStride, int aColStride,
                       float[] b, int bOff, int bRowStride, int bColStride,
                       float[] c, int cOff, int cRowStride, int cColStride,
                       boolean accumulate, SgemmBlocking plan) {
        Workspace ws = WORKSPACE.get().fit(plan);
        int ncStep = balancedStep(n, plan.nc(), NR);
        int kcStep = balancedStep(k, plan.kc(), 1);
        int mcStep = balancedStep(m, plan.mc(), MR);
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                // Only the first k block may overwrite C; later ones add to it.
                boolean addC = accumulate || pc > 0;
                SgemmPacking.packB(b, bOff, bRowStride, bColStride, pc, kc, jc, nc, ws.packedB, 0);
                for (int ic = 0; ic < m; ic += mcStep) {
                    int mc = Math.min(mcStep, m - ic);
                    SgemmPacking.packA(a, aOff, aRowStride, aColStride, ic, mc, pc, kc, ws.packedA);
                    sweep(mc, nc, kc, ws.packedA, ws.packedB, c, cOff + ic * cRowStride + jc * cColStride,
                            cRowStride, cColStride, addC, ws.tile);
                }
            }
        }
    }

    /**
     * Sweeps each micro-panel of a packed mc x kc block of A across a packed kc x nc block of B,
     * into the mc x nc block of C at {@code cBlock}.
     */
    private static void sweep(int mc, int nc, int kc, float[] packedA, float[] packedB,
                              float[] c, int cBlock, int cRowStride, int cColStride, boolean addC,
                              float[] tile) {
        // Full tiles run in a loop of their own, the partial ones after it. With a
        // full-or-edge test per tile inside one loop instead, C2 was seen to compile
        // a version that sent every tile down the slow edge path.
        int fullCols = cColStride == 1 ? nc - nc % NR : 0;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int cRow = cBlock + ir * cRowStride;
            int jr = 0;
            if (mr == MR) {
                for (; jr < fullCols; jr += NR) {
                    SgemmMicroKernel.fullTile(kc, packedA, ir * kc, packedB, jr * kc,
                            c, cRow + jr, cRowStride, addC);
                }
            }
            for (; jr < nc; jr += NR) {
                SgemmMicroKernel.edgeTile(kc, packedA, ir * kc, packedB, jr * kc,
                        mr, Math.min(NR, nc - jr), c, cRow + jr * cColStride,
                        cRowStride, cColStride, addC, tile);
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
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];

        Workspace fit(SgemmBlocking plan) {
            if (packedA.length < plan.mc() * plan.kc()) packedA = new float[plan.mc() * plan.kc()];
            if (packedB.length < plan.kc() * plan.nc()) packedB = new float[plan.kc() * plan.nc()];
            return this;
        }
    }
}
