package io.flambeau.backend.cpu;

import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.View;

/**
 * Reductions on the piecewise route ({@link CpuPieces}). The reduced dim is moved last, so the
 * input's flat order is "output position, then the reduced dim" (a full reduction is one row of
 * every element in row-major order). Rows no longer than a piece are gathered a block of whole rows
 * at a time and reduced by the array kernel ({@link CpuReduce}); a longer row is reduced in chunks
 * of a piece whose partial states ({@link CpuReduce.Acc}: double sums for float32 too, the best
 * value with its position) merge in chunk order — so NaN still wins MAX/MIN, ties still pick the
 * first index, and MEAN divides the whole row's sum by its length.
 */
final class PiecewiseReduce {
    private PiecewiseReduce() {}

    static void reduce(ReduceOp op, View x, int dim, View out) {
        View rows = dim < 0 ? x : moveLast(x, dim);
        long rowLen = dim < 0 ? x.numel() : x.shape()[dim];
        long rowCount = dim < 0 ? 1 : out.numel();
        if (rowCount == 0) return;
        if (rowLen <= CpuPieces.piece()) reduceShortRows(op, rows, rowLen, rowCount, out);
        else reduceLongRows(op, rows, rowLen, rowCount, out);
    }

    /** Blocks of whole rows, one piece each, reduced by the array kernel over dim 1 of (rows, rowLen). */
    private static void reduceShortRows(ReduceOp op, View rows, long rowLen, long rowCount, View out) {
        int perPiece = (int) Math.max(1, Math.min(rowCount, CpuPieces.piece() / Math.max(1, rowLen)));
        long pieces = (rowCount + perPiece - 1) / perPiece;
        int len = (int) rowLen;
        CpuThreads.forRange(pieces, (p0, p1) -> {
            CpuStorage xb = CpuPieces.buffer(rows.dtype(), perPiece * len);
            CpuStorage ob = CpuPieces.buffer(out.dtype(), perPiece);
            for (long p = p0; p < p1; p++) {
                long r0 = p * perPiece;
                int n = (int) Math.min(perPiece, rowCount - r0);
                PieceCopy.gather(rows, r0 * len, n * len, xb.array());
                View xv = new View(xb, 0, new long[] {n, len}, new long[] {len, 1});
                CpuReduce.reduce(op, xv, 1, CpuPieces.dense(ob, n));
                PieceCopy.scatter(ob.array(), out, r0, n);
            }
        });
    }

    /** Each row in chunks of a piece, their partial states merged in order. */
    private static void reduceLongRows(ReduceOp op, View rows, long rowLen, long rowCount, View out) {
        int piece = CpuPieces.piece();
        long chunks = (rowLen + piece - 1) / piece;
        CpuStorage ob = CpuPieces.buffer(out.dtype(), 1);
        for (long r = 0; r < rowCount; r++) {
            long rowStart = r * rowLen;
            CpuReduce.Acc[] parts = new CpuReduce.Acc[(int) chunks];
            CpuThreads.forRange(chunks, (c0, c1) -> {
                CpuStorage xb = CpuPieces.buffer(rows.dtype(), piece);
                for (long c = c0; c < c1; c++) {
                    long from = c * piece;
                    int n = (int) Math.min(piece, rowLen - from);
                    PieceCopy.gather(rows, rowStart + from, n, xb.array());
                    parts[(int) c] = CpuReduce.partial(op, CpuPieces.dense(xb, n), from);
                }
            });
            CpuReduce.Acc acc = parts[0];
            for (int c = 1; c < parts.length; c++) acc.merge(parts[c]);
            CpuReduce.store(op, acc, ob, 0, rowLen);
            PieceCopy.scatter(ob.array(), out, r, 1);
        }
    }

    /** x with {@code dim} moved to the end (a view: strides permuted, no copy). */
    private static View moveLast(View x, int dim) {
        int rank = x.rank();
        long[] shape = new long[rank], strides = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i == dim) continue;
            shape[j] = x.shape()[i];
            strides[j++] = x.strides()[i];
        }
        shape[rank - 1] = x.shape()[dim];
        strides[rank - 1] = x.strides()[dim];
        return new View(x.storage(), x.offset(), shape, strides);
    }
}
