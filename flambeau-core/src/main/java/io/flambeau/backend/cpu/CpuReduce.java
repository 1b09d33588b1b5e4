package io.flambeau.backend.cpu;

import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.View;
import io.flambeau.core.DType;

/**
 * Reductions over all elements or along one dim. Sums accumulate in double (long for integers);
 * MAX/MIN propagate NaN and ARGMAX/ARGMIN return the first extreme index, NaN counting as the
 * extreme, as PyTorch does.
 */
final class CpuReduce {
    private CpuReduce() {}

    static void reduce(ReduceOp op, View x, int dim, View out) {
        CpuStorage a = (CpuStorage) x.storage(), o = (CpuStorage) out.storage();
        if (dim < 0) {
            Acc acc = reduceAll(op, x, a);
            store(op, acc, o, (int) out.offset(), x.numel());
            return;
        }
        if ((op == ReduceOp.SUM || op == ReduceOp.MEAN) && a.dtype() == DType.FLOAT32 && x.isContiguous()
                && out.isContiguous() && dim < x.rank() - 1) {
            sumOuterDim(op, x, dim, a, o, (int) out.offset());
            return;
        }
        long len = x.shape()[dim];
        long stride = x.strides()[dim];
        long[] outShape = out.shape();
        long[] xStrides = removeDim(x.strides(), dim);
        StridedLoop loop = new StridedLoop(outShape, x.offset(), xStrides, 0, null, out.offset(), out.strides());
        loop.forEachParallel((oa, ob, oc, n, sa, sb, sc) -> {
            for (int i = 0; i < n; i++) {
                Acc acc = new Acc(op, a.dtype());
                acc.addStrided(a, oa + i * sa, (int) stride, (int) len, 0);
                store(op, acc, o, oc + i * sc, len);
            }
        });
    }

    /**
     * Sum/mean of a dense float32 tensor over a dim that is not the innermost (a bias gradient:
     * (batch, features) summed over the batch). Walking each output's column would stride through
     * memory; instead whole rows are added into a row of double accumulators, in order.
     */
    private static void sumOuterDim(ReduceOp op, View x, int dim, CpuStorage a, CpuStorage o, int outOffset) {
        long[] shape = x.shape();
        int len = (int) shape[dim];
        int inner = 1, outer = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= (int) shape[d];
        for (int d = 0; d < dim; d++) outer *= (int) shape[d];
        int base = (int) x.offset();
        float[] src = a.f, dst = o.f;
        int innerLen = inner;
        int grain = Math.max(1, (1 << 15) / Math.max(1, len));
        for (int g = 0; g < outer; g++) {
            int first = base + g * len * inner, to = outOffset + g * inner;
            CpuParallel.parallelFor(inner, grain, CpuThreads.PARTS_PER_THREAD, (j0, j1) -> {
                // float partial sums over blocks of rows (vectorised), folded into double
                // accumulators after each block: float speed, double-like accuracy
                int w = j1 - j0;
                float[] part = new float[w];
                double[] acc = new double[w];
                int row = first + j0;
                for (int p0 = 0; p0 < len; p0 += SUM_BLOCK_ROWS) {
                    int p1 = Math.min(len, p0 + SUM_BLOCK_ROWS);
                    for (int p = p0; p < p1; p++, row += innerLen) {
                        if (CpuVectors.ENABLED) Float32Loops.addInto(part, src, row, w);
                        else ScalarGemm.addInto(part, src, row, w);
                    }
                    for (int j = 0; j < w; j++) { acc[j] += part[j]; part[j] = 0f; }
                }
                if (op == ReduceOp.MEAN) for (int j = 0; j < w; j++) dst[to + j0 + j] = (float) mean(acc[j], len, DType.FLOAT32);
                else for (int j = 0; j < w; j++) dst[to + j0 + j] = (float) acc[j];
            });
        }
    }

    /** Rows summed in float before folding into the double accumulators. */
    static final int SUM_BLOCK_ROWS = 32;

    /**
     * The running state of {@code op} over all of {@code x} (an array view), positions counted
     * from {@code firstPos}: one piece of a reduction that {@link PiecewiseReduce} merges in order.
     */
    static Acc partial(ReduceOp op, View x, long firstPos) {
        Acc acc = reduceAll(op, x, (CpuStorage) x.storage());
        if (acc.index >= 0) acc.index += firstPos;
        return acc;
    }

    private static Acc reduceAll(ReduceOp op, View x, CpuStorage a) {
        StridedLoop loop = new StridedLoop(x.shape(), x.offset(), x.strides(), 0, null, 0, null);
        long runs = loop.runCount();
        int runLen = loop.runLength();
        long total = runs * runLen;
        if (runs == 1 && CpuThreads.COUNT > 1 && total >= (1 << 18)) {
            // one long dense run: split it by position instead of by run, into a fixed number of
            // parts merged in order, so the result never depends on which thread ran which part
            int partCount = CpuThreads.COUNT * CpuThreads.PARTS_PER_THREAD;
            Acc[] accs = new Acc[partCount];
            int off = (int) x.offset();
            int step = x.rank() == 0 ? 1 : (int) innermostStride(x);
            CpuThreads.forRange(partCount, (from, to) -> {
                for (long p = from; p < to; p++) {
                    int s0 = (int) (total * p / partCount), s1 = (int) (total * (p + 1) / partCount);
                    Acc acc = new Acc(op, a.dtype());
                    acc.addStrided(a, off + s0 * step, step, s1 - s0, s0);
                    accs[(int) p] = acc;
                }
            });
            Acc result = accs[0];
            for (int p = 1; p < accs.length; p++) result.merge(accs[p]);
            return result;
        }
        int parts = total >= (1 << 18) ? (int) Math.min((long) CpuThreads.COUNT * CpuThreads.PARTS_PER_THREAD, runs) : 1;
        Acc[] accs = new Acc[parts];
        CpuThreads.forRange(parts, (from, to) -> {
            for (long p = from; p < to; p++) {
                Acc acc = new Acc(op, a.dtype());
                long r0 = runs * p / parts, r1 = runs * (p + 1) / parts;
                long[] pos = {r0 * runLen};
                loop.forEach(r0, r1, (oa, ob, oc, n, sa, sb, sc) -> {
                    acc.addStrided(a, oa, sa, n, pos[0]);
                    pos[0] += n;
                });
                accs[(int) p] = acc;
            }
        });
        Acc result = accs[0];
        for (int p = 1; p < parts; p++) result.merge(accs[p]);
        return result;
    }

    private static long innermostStride(View x) {
        for (int d = x.rank() - 1; d >= 0; d--) if (x.shape()[d] != 1) return x.strides()[d];
        return 1;
    }

    static void store(ReduceOp op, Acc acc, CpuStorage o, int at, long count) {
        switch (op) {
            case SUM -> { if (o.dtype().isFloating()) o.setD(at, acc.sum); else o.setL(at, acc.lsum); }
            case MEAN -> o.setD(at, mean(acc.sum, count, o.dtype()));
            case MAX, MIN -> { if (o.dtype().isFloating()) o.setD(at, acc.best); else o.setL(at, acc.lbest); }
            case ARGMAX, ARGMIN -> o.setL(at, acc.index);
        }
    }

    /**
     * A mean from its sum: a float32 mean divides the sum rounded to float32, as PyTorch's mean is
     * its float32 sum divided by n — so a sum beyond float32's range gives inf, not a finite mean.
     */
    private static double mean(double sum, long count, DType out) {
        return (out == DType.FLOAT32 ? (double) (float) sum : sum) / count;
    }

    private static long[] removeDim(long[] a, int dim) {
        long[] r = new long[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != dim) r[j++] = a[i];
        return r;
    }

    /** Running state of one reduction; positions count elements in row-major order of the input. */
    static final class Acc {
        final ReduceOp op;
        final boolean floating;
        final boolean wantMax;
        double sum;
        long lsum;
        double best;
        long lbest;
        long index = -1;

        Acc(ReduceOp op, DType dtype) {
            this.op = op;
            this.floating = dtype.isFloating();
            this.wantMax = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
        }

        void addStrided(CpuStorage a, int off, int stride, int n, long firstPos) {
            if (op == ReduceOp.SUM || op == ReduceOp.MEAN) {
                if (a.dtype() == DType.FLOAT32 && stride == 1) {
                    sum += CpuVectors.ENABLED ? Float32Loops.sum(a.f, off, n) : ScalarGemm.sum(a.f, off, n);
                } else if (floating) {
                    for (int i = 0; i < n; i++) sum += a.getD(off + i * stride);
                } else {
                    for (int i = 0; i < n; i++) lsum += a.getL(off + i * stride);
                    sum = lsum;
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                if (floating) {
                    double v = a.getD(off + i * stride);
                    offerD(v, firstPos + i);
                } else {
                    offerL(a.getL(off + i * stride), firstPos + i);
                }
            }
        }

        private void offerD(double v, long pos) {
            if (index >= 0 && Double.isNaN(best)) return; // the first NaN wins for good
            if (index < 0 || Double.isNaN(v) || (wantMax ? v > best : v < best)) {
                best = v;
                index = pos;
            }
        }

        private void offerL(long v, long pos) {
            if (index < 0 || (wantMax ? v > lbest : v < lbest)) {
                lbest = v;
                index = pos;
            }
        }

        /** Combines with the state of a later part of the input. */
        void merge(Acc later) {
            sum += later.sum;
            lsum += later.lsum;
            if (later.index < 0) return;
            if (floating) offerD(later.best, later.index);
            else offerL(later.lbest, later.index);
        }
    }
}
