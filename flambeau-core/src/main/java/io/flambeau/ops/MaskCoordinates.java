package io.flambeau.ops;

import io.flambeau.backend.Backend;
import io.flambeau.backend.View;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The coordinates of the true elements of a bool mask ({@code nonzero}, as {@code x[mask]} uses it):
 * one int64 tensor per mask dim, in row-major order, for a mask of any size.
 *
 * <p>The mask is read in pieces of at most {@link #pieceElements()} elements (system property
 * {@value #PIECE_PROPERTY}, default 2^22), so no Java array ever holds the whole mask or all of its
 * coordinates. A mask that fits in one piece is downloaded once, as before. A larger one is read in
 * two passes: the first counts the true elements of each piece (on a GPU a sum reduction per piece,
 * one scalar read each, so the mask itself does not cross; on the CPU a host count), which gives the
 * output size, as PyTorch also synchronises for it; the outputs are then allocated once and the
 * second pass downloads only the pieces holding a true element, writing their coordinates at their
 * place in the outputs with {@link Backend#uploadInto}. Positions are long throughout.
 */
final class MaskCoordinates {
    /** System property: the most mask elements one piece holds. */
    static final String PIECE_PROPERTY = "flambeau.index.maskPieceElements";
    private static final long DEFAULT_PIECE = 1L << 22;
    /** A piece is downloaded into one Java array. */
    private static final long MAX_PIECE = Integer.MAX_VALUE - 8;

    private MaskCoordinates() {}

    /** The piece size in elements: {@value #PIECE_PROPERTY}, else 2^22; between 1 and the largest Java array. */
    static long pieceElements() {
        return Math.min(MAX_PIECE, Math.max(1, Long.getLong(PIECE_PROPERTY, DEFAULT_PIECE)));
    }

    /** {@code mask.nonzero()} as one int64 tensor of shape {@code [count]} per mask dim, on the mask's device ({@code op} names allocation failures). */
    static List<RawTensor> of(String op, RawTensor mask) {
        long piece = pieceElements();
        List<View> pieces = new ArrayList<>();
        Transfer.forEachPiece(mask.view(), piece, pieces::add); // row-major order, strided masks too
        Backend backend = mask.backend();
        if (pieces.size() <= 1) {
            boolean[] m = pieces.isEmpty() ? new boolean[0] : (boolean[]) backend.download(pieces.get(0));
            long[][] coords = coordinates(m, 0, trueCount(m), mask.shape);
            List<RawTensor> out = new ArrayList<>(mask.dim());
            for (long[] c : coords) out.add(RawTensor.fromHost(c, new long[] {c.length}, mask.device()));
            return out;
        }

        long[] counts = new long[pieces.size()];
        long total = 0;
        for (int p = 0; p < counts.length; p++) {
            counts[p] = count(backend, pieces.get(p));
            total += counts[p];
        }
        List<RawTensor> out = new ArrayList<>(mask.dim());
        for (int j = 0; j < mask.dim(); j++) out.add(RawTensor.empty(op, new long[] {total}, DType.INT64, mask.device()));
        long flat = 0, written = 0; // row-major position of the piece's first element; coordinates written so far
        for (int p = 0; p < counts.length; p++) {
            View part = pieces.get(p);
            if (counts[p] > 0) {
                boolean[] m = (boolean[]) backend.download(part);
                long[][] coords = coordinates(m, flat, (int) counts[p], mask.shape);
                for (int j = 0; j < coords.length; j++) {
                    RawTensor o = out.get(j);
                    backend.uploadInto(coords[j], new View(o.storage, written, new long[] {counts[p]}, new long[] {1}));
                }
                written += counts[p];
            }
            flat += part.numel();
        }
        return out;
    }

    /** The true elements of one piece: a sum on a device (one scalar read), a host count on the CPU. */
    private static long count(Backend backend, View part) {
        if (!backend.device().isCuda()) return trueCount((boolean[]) backend.download(part));
        RawTensor piece = RawTensor.over(part.storage(), part.offset(), part.shape(), part.strides());
        RawTensor wide = Elementwise.cast(piece, DType.INT64); // what sum counts bools in, as PyTorch
        RawTensor sum = Reductions.sum(wide);
        try {
            return sum.toLongs()[0];
        } finally { // released now: a large mask has many pieces, and each widened one is 8 bytes an element
            wide.storage.close();
            sum.storage.close();
        }
    }

    private static int trueCount(boolean[] m) {
        int count = 0;
        for (boolean b : m) if (b) count++;
        return count;
    }

    /**
     * The coordinates (one array per dim of {@code shape}) of the {@code count} true elements of
     * {@code m}, the piece of the mask that starts at row-major position {@code start}.
     */
    private static long[][] coordinates(boolean[] m, long start, int count, long[] shape) {
        int k = shape.length;
        long[][] coords = new long[k][count];
        long[] pos = new long[k];
        for (int j = k - 1; j >= 0 && start > 0; j--) { // the multi-index of start (> 0: no size is 0 then)
            pos[j] = start % shape[j];
            start /= shape[j];
        }
        for (int flat = 0, hit = 0; flat < m.length; flat++) {
            if (m[flat]) {
                for (int j = 0; j < k; j++) coords[j][hit] = pos[j];
                hit++;
            }
            for (int j = k - 1; j >= 0; j--) { // advance the row-major position
                if (++pos[j] < shape[j]) break;
                pos[j] = 0;
            }
        }
        return coords;
    }
}
