package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.View;

/**
 * Batched matmul on the piecewise route ({@link CpuPieces}): the output is cut into tiles of at
 * most {@code t x t} elements, {@code t = floor(sqrt(piece))}, and the shared dim into blocks of
 * {@code t}, so every gathered block of {@code a}, {@code b} and the product fits a piece. Each
 * tile's product is the array GEMM of its blocks ({@link CpuMatmul}), the k-blocks added in order;
 * tiles run in parallel and each is scattered into the output once.
 */
final class PiecewiseMatmul {
    private PiecewiseMatmul() {}

    static void matmul(View x, View y, View out) {
        long batch = out.shape()[0], m = x.shape()[1], k = x.shape()[2], n = y.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            CpuPieces.fill(out, 0);
            return;
        }
        int t = (int) Math.max(1, Math.sqrt(CpuPieces.piece()));
        int mb = (int) Math.min(m, t), nb = (int) Math.min(n, t), kb = (int) Math.min(k, t);
        long rowTiles = (m + mb - 1) / mb, colTiles = (n + nb - 1) / nb;
        long[] xs = x.strides(), ys = y.strides(), os = out.strides();
        CpuThreads.forRange(batch * rowTiles * colTiles, (t0, t1) -> {
            CpuStorage ab = CpuPieces.buffer(x.dtype(), mb * kb), bb = CpuPieces.buffer(y.dtype(), kb * nb);
            CpuStorage cb = CpuPieces.buffer(out.dtype(), mb * nb), pb = CpuPieces.buffer(out.dtype(), mb * nb);
            for (long tile = t0; tile < t1; tile++) {
                long bi = tile / (rowTiles * colTiles), rest = tile % (rowTiles * colTiles);
                long i0 = rest / colTiles * mb, j0 = rest % colTiles * nb;
                int mi = (int) Math.min(mb, m - i0), nj = (int) Math.min(nb, n - j0);
                View c = dense(cb, mi, nj), part = dense(pb, mi, nj);
                for (long p0 = 0; p0 < k; p0 += kb) {
                    int kp = (int) Math.min(kb, k - p0);
                    View aBlock = new View(x.storage(), x.offset() + bi * xs[0] + i0 * xs[1] + p0 * xs[2],
                            new long[] {mi, kp}, new long[] {xs[1], xs[2]});
                    View bBlock = new View(y.storage(), y.offset() + bi * ys[0] + p0 * ys[1] + j0 * ys[2],
                            new long[] {kp, nj}, new long[] {ys[1], ys[2]});
                    PieceCopy.gather(aBlock, 0, mi * kp, ab.array());
                    PieceCopy.gather(bBlock, 0, kp * nj, bb.array());
                    CpuMatmul.matmul(dense(ab, mi, kp), dense(bb, kp, nj), p0 == 0 ? c : part);
                    if (p0 > 0) CpuElementwise.binary(BinaryOp.ADD, flat(c), flat(part), flat(c));
                }
                View cTile = new View(out.storage(), out.offset() + bi * os[0] + i0 * os[1] + j0 * os[2],
                        new long[] {mi, nj}, new long[] {os[1], os[2]});
                PieceCopy.scatter(cb.array(), cTile, 0, mi * nj);
            }
        });
    }

    /** The first {@code rows * cols} elements of a buffer as a dense (1, rows, cols) view. */
    private static View dense(CpuStorage buf, int rows, int cols) {
        return new View(buf, 0, new long[] {1, rows, cols}, new long[] {(long) rows * cols, cols, 1});
    }

    private static View flat(View v) {
        return new View(v.storage(), 0, new long[] {v.numel()}, new long[] {1});
    }
}
