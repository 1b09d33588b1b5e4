package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.core.CollectiveMismatchException;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one rank passes to a collective, as 16 int64s that every rank all-gathers before the data
 * moves: the collective, its sequence number in the group, dtype, device, reduction, root, whether
 * the rank's own arguments failed its local checks, and the shape. Comparing them is what turns a
 * rank calling with another shape or dtype into the same typed error on every rank instead of a
 * hang or garbage; the exchange is also where a rank that never arrives is caught by the timeout.
 */
final class CollectiveHeader {
    static final int LONGS = 16;
    /** Dims shown in messages; every dim is compared through the shape's hash. */
    private static final int MAX_DIMS = 6;
    private static final int KIND = 0, SEQUENCE = 1, DTYPE = 2, DEVICE = 3, OP = 4, ROOT = 5, LOCAL_ERROR = 6,
            NDIM = 7, NUMEL = 8, DIMS = 9, SHAPE_HASH = 15;

    private CollectiveHeader() {}

    /** The header of a call on {@code t} (null for a barrier); {@code localError} when this rank's own checks failed. */
    static long[] of(String collective, long sequence, Tensor t, ReduceOp op, int root, boolean localError) {
        long[] h = new long[LONGS];
        h[KIND] = collective.hashCode();
        h[SEQUENCE] = sequence;
        h[DTYPE] = t == null ? -1 : t.dtype().ordinal();
        h[DEVICE] = t == null ? -1 : t.device().isCuda() ? 1 + t.device().index() : 0;
        h[OP] = op == null ? -1 : op.ordinal();
        h[ROOT] = root;
        h[LOCAL_ERROR] = localError ? 1 : 0;
        if (t != null && !localError) {
            long[] shape = t.shape().toArray();
            h[NDIM] = shape.length;
            h[NUMEL] = t.numel();
            for (int i = 0; i < Math.min(shape.length, MAX_DIMS); i++) h[DIMS + i] = shape[i];
            h[SHAPE_HASH] = java.util.Arrays.hashCode(shape);
        }
        return h;
    }

    /**
     * Throws the same {@link CollectiveMismatchException} on every rank unless all headers (one per
     * rank, in rank order) agree. A rank whose own checks failed throws its own error instead, so it
     * is not checked here beyond being named.
     */
    static void requireAgreement(String collective, String group, long[] all, int size, int me) {
        // compared in place: the common case, every rank agreeing, allocates nothing
        boolean same = true, anyFailed = false;
        for (int r = 0; r < size; r++) {
            anyFailed |= all[r * LONGS + LOCAL_ERROR] != 0;
            same &= Arrays.equals(all, r * LONGS, (r + 1) * LONGS, all, 0, LONGS);
        }
        if (same && !anyFailed) return;
        List<Integer> failedLocally = new ArrayList<>();
        for (int r = 0; r < size; r++) if (all[r * LONGS + LOCAL_ERROR] != 0) failedLocally.add(r);
        if (!failedLocally.isEmpty()) {
            if (failedLocally.contains(me)) return; // the caller throws this rank's own, more precise error
            throw new CollectiveMismatchException(collective + " on rank " + me + " of " + group + ": rank"
                    + (failedLocally.size() > 1 ? "s " : " ") + join(failedLocally) + " passed arguments that failed"
                    + " their own checks (see the error on " + (failedLocally.size() > 1 ? "those ranks" : "that rank")
                    + "); no data was exchanged");
        }
        StringBuilder b = new StringBuilder(collective + " on rank " + me + " of " + group
                + ": the ranks passed arguments that do not go together; every rank must call the same collective, in"
                + " the same order, with tensors of one shape, dtype and device (and the same reduction and root):");
        for (int r = 0; r < size; r++) {
            b.append("\n  rank ").append(r).append(": ").append(describe(Arrays.copyOfRange(all, r * LONGS, (r + 1) * LONGS)));
        }
        throw new CollectiveMismatchException(b.toString());
    }

    /** "collective #3, shape [2, 3], float32 on cpu, op sum, root 0", or the foreign collective's hash. */
    static String describe(long[] h) {
        StringBuilder b = new StringBuilder();
        String name = nameOf(h[KIND]);
        b.append(name != null ? name : "another collective (" + h[KIND] + ")").append(" #").append(h[SEQUENCE]);
        if (h[DTYPE] >= 0) {
            b.append(", shape ").append(shape(h)).append(", ").append(DType.values()[(int) h[DTYPE]].pyName())
                    .append(" on ").append(h[DEVICE] == 0 ? "cpu" : "cuda:" + (h[DEVICE] - 1));
        }
        if (h[OP] >= 0) b.append(", op ").append(ReduceOp.values()[(int) h[OP]]);
        if (h[ROOT] >= 0) b.append(", root ").append(h[ROOT]);
        return b.toString();
    }

    private static String shape(long[] h) {
        int n = (int) h[NDIM];
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, MAX_DIMS); i++) {
            if (i > 0) b.append(", ");
            b.append(h[DIMS + i]);
        }
        if (n > MAX_DIMS) b.append(" (and ").append(n - MAX_DIMS).append(" more dims, ").append(h[NUMEL]).append(" elements)");
        return b.append("]").toString();
    }

    static final List<String> COLLECTIVES = List.of("allReduce", "broadcast", "allGather", "allGatherIntoTensor",
            "reduceScatter", "reduceScatterTensor", "gather", "scatter", "barrier", "newGroup");

    private static String nameOf(long hash) {
        for (String c : COLLECTIVES) if (c.hashCode() == hash) return c;
        return null;
    }

    private static String join(List<Integer> ranks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ranks.size(); i++) b.append(i == 0 ? "" : ", ").append(ranks.get(i));
        return b.toString();
    }
}
