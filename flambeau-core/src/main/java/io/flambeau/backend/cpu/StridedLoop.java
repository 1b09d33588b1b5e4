package io.flambeau.backend.cpu;

/**
 * Walks the elements of up to three same-shaped strided operands, handing contiguous runs of the
 * innermost dim to a kernel. Dims of size 1 are dropped and dims that are contiguous for every
 * operand are merged first, so dense tensors become one long run whatever their rank.
 */
final class StridedLoop {
    /** One run: {@code n} elements starting at the given offsets, stepping by the given strides. */
    interface Run {
        void run(int offA, int offB, int offC, int n, int strideA, int strideB, int strideC);
    }

    private final int[] shape;
    private final int[][] strides;   // [operand][dim]
    private final int[] offsets;
    /** A dim of size 0: there is nothing to walk. */
    private final boolean empty;

    /** Operands that are absent pass null strides. */
    StridedLoop(long[] shape, long offA, long[] stA, long offB, long[] stB, long offC, long[] stC) {
        int rank = shape.length;
        boolean none = false;
        for (long s : shape) none |= s == 0;
        this.empty = none;
        int[] sh = new int[rank];
        int[][] st = new int[3][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) continue;
            sh[r] = (int) shape[d];
            st[0][r] = stA == null ? 0 : (int) stA[d];
            st[1][r] = stB == null ? 0 : (int) stB[d];
            st[2][r] = stC == null ? 0 : (int) stC[d];
            r++;
        }
        // merge dim i into dim i+1 when every operand steps over dim i exactly as a contiguous block
        int w = 0;
        for (int d = 0; d < r; d++) {
            if (w > 0 && mergeable(sh, st, w - 1, d)) {
                sh[w - 1] *= sh[d];
                for (int k = 0; k < 3; k++) st[k][w - 1] = st[k][d];
            } else {
                sh[w] = sh[d];
                for (int k = 0; k < 3; k++) st[k][w] = st[k][d];
                w++;
            }
        }
        this.shape = java.util.Arrays.copyOf(sh, w);
        this.strides = new int[3][];
        for (int k = 0; k < 3; k++) this.strides[k] = java.util.Arrays.copyOf(st[k], w);
        this.offsets = new int[] {(int) offA, (int) offB, (int) offC};
    }

    private static boolean mergeable(int[] sh, int[][] st, int outer, int inner) {
        for (int k = 0; k < 3; k++) {
            if (st[k][outer] != (long) st[k][inner] * sh[inner]) return false;
        }
        return true;
    }

    /** Number of runs (product of all dims but the innermost). */
    long runCount() {
        if (empty) return 0;
        long n = 1;
        for (int d = 0; d < shape.length - 1; d++) n *= shape[d];
        return n;
    }

    int runLength() { return shape.length == 0 ? 1 : shape[shape.length - 1]; }

    /** Where operand {@code k} (0, 1, or 2 for the third) starts. */
    int offset(int k) { return offsets[k]; }

    /**
     * Whether this walk is a row broadcast: two dims {@code [rows, period]} over which the third
     * operand (the output) and operand {@code dense} step densely ({@code {period, 1}}) and the
     * other input repeats one row ({@code {0, 1}}), as {@code x[R, C] op y[C]} does.
     */
    boolean isRowBroadcast(int dense) {
        if (empty || shape.length != 2) return false;
        int period = shape[1];
        int[] d = strides[dense], p = strides[1 - dense], o = strides[2];
        return d[0] == period && d[1] == 1 && o[0] == period && o[1] == 1 && p[0] == 0 && p[1] == 1;
    }

    /** Executes runs {@code [from, to)} in order. */
    void forEach(long from, long to, Run kernel) {
        int rank = shape.length;
        if (empty) return;
        if (rank == 0) {
            if (from == 0 && to > 0) kernel.run(offsets[0], offsets[1], offsets[2], 1, 0, 0, 0);
            return;
        }
        int n = shape[rank - 1];
        int sa = strides[0][rank - 1], sb = strides[1][rank - 1], sc = strides[2][rank - 1];
        if (rank == 1) {
            if (from == 0 && to > 0) kernel.run(offsets[0], offsets[1], offsets[2], n, sa, sb, sc);
            return;
        }
        int outer = rank - 1;
        int[] idx = new int[outer];
        long rem = from;
        int oa = offsets[0], ob = offsets[1], oc = offsets[2];
        for (int d = outer - 1; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= shape[d];
            oa += idx[d] * strides[0][d];
            ob += idx[d] * strides[1][d];
            oc += idx[d] * strides[2][d];
        }
        for (long run = from; run < to; run++) {
            kernel.run(oa, ob, oc, n, sa, sb, sc);
            for (int d = outer - 1; d >= 0; d--) {
                oa += strides[0][d];
                ob += strides[1][d];
                oc += strides[2][d];
                if (++idx[d] < shape[d]) break;
                oa -= strides[0][d] * shape[d];
                ob -= strides[1][d] * shape[d];
                oc -= strides[2][d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** Runs everything in order on the calling thread. */
    void forAll(Run kernel) {
        forEach(0, runCount(), kernel);
    }

    /** Fewer elements than this run on the calling thread: splitting would cost more than it saves. */
    static final int PARALLEL_FROM = 1 << 17;

    /** Runs everything, splitting the runs over the CPU threads when the work is large. */
    void forEachParallel(Run kernel) {
        long runs = runCount();
        long total = runs * runLength();
        if (total < PARALLEL_FROM || CpuThreads.COUNT < 2) {
            forEach(0, runs, kernel);
            return;
        }
        int slices = CpuThreads.COUNT * CpuThreads.PARTS_PER_THREAD;
        if (runs < slices) {
            // a few long runs (a dense tensor is a single one): each part is a slice of every run
            int n = runLength();
            int sa = strides[0][shape.length - 1], sb = strides[1][shape.length - 1], sc = strides[2][shape.length - 1];
            CpuThreads.forRange(slices, (from, to) -> {
                for (long part = from; part < to; part++) {
                    int lo = (int) ((long) n * part / slices), hi = (int) ((long) n * (part + 1) / slices);
                    forEach(0, runs, (oa, ob, oc, len, ra, rb, rc) ->
                            kernel.run(oa + lo * ra, ob + lo * rb, oc + lo * rc, hi - lo, ra, rb, rc));
                }
            });
            return;
        }
        CpuThreads.forRange(runs, (from, to) -> forEach(from, to, kernel));
    }
}
