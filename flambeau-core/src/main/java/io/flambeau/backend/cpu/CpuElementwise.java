package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.core.DType;

/**
 * Elementwise kernels (map, zip, where, copy, fill) over strided views. Float32 runs take the
 * vectorised loops of {@link Float32Loops}; everything else goes through the scalar meaning in
 * {@link UnaryOp}/{@link BinaryOp}, in double arithmetic for floats and long for integers/bools.
 */
final class CpuElementwise {
    private CpuElementwise() {}

    static CpuStorage s(View v) { return (CpuStorage) v.storage(); }

    static void fill(View dst, double value) {
        CpuStorage o = s(dst);
        new StridedLoop(dst.shape(), dst.offset(), dst.strides(), 0, null, 0, null).forEachParallel(
                (oa, ob, oc, n, sa, sb, sc) -> {
                    switch (o.dtype()) {
                        case FLOAT32 -> {
                            float f = (float) value;
                            if (sa == 1) java.util.Arrays.fill(o.f, oa, oa + n, f);
                            else for (int i = 0; i < n; i++) o.f[oa + i * sa] = f;
                        }
                        case INT64 -> { long l = (long) value; for (int i = 0; i < n; i++) o.l[oa + i * sa] = l; }
                        default -> { for (int i = 0; i < n; i++) o.setD(oa + i * sa, value); }
                    }
                });
    }

    static void copy(View src, View dst) {
        CpuStorage a = s(src), o = s(dst);
        DType from = a.dtype(), to = o.dtype();
        new StridedLoop(dst.shape(), src.offset(), src.strides(), 0, null, dst.offset(), dst.strides())
                .forEachParallel((oa, ob, oc, n, sa, sb, sc) -> {
                    if (from == to && from == DType.FLOAT32) {
                        if (sa == 1 && sc == 1) System.arraycopy(a.f, oa, o.f, oc, n);
                        else for (int i = 0; i < n; i++) o.f[oc + i * sc] = a.f[oa + i * sa];
                    } else if (from.isFloating() || to.isFloating()) {
                        for (int i = 0; i < n; i++) o.setD(oc + i * sc, a.getD(oa + i * sa));
                    } else {
                        for (int i = 0; i < n; i++) o.setL(oc + i * sc, a.getL(oa + i * sa));
                    }
                });
    }

    static void unary(UnaryOp op, View x, View out, double p, double q) {
        CpuStorage a = s(x), o = s(out);
        DType dt = a.dtype();
        new StridedLoop(out.shape(), x.offset(), x.strides(), 0, null, out.offset(), out.strides())
                .forEachParallel((oa, ob, oc, n, sa, sb, sc) -> {
                    if (dt == DType.FLOAT32) {
                        if (sa == 1 && sc == 1 && (CpuVectors.ENABLED ? Float32Loops.unary(op, a.f, oa, o.f, oc, n, (float) p, (float) q)
                                : Float32Scalar.unary(op, a.f, oa, o.f, oc, n, (float) p, (float) q))) {
                            return;
                        }
                        for (int i = 0; i < n; i++) o.f[oc + i * sc] = (float) op.apply(a.f[oa + i * sa], p, q);
                    } else if (dt == DType.FLOAT64) {
                        for (int i = 0; i < n; i++) o.d[oc + i * sc] = op.apply(a.d[oa + i * sa], p, q);
                    } else {
                        long lp = (long) p, lq = (long) q;
                        for (int i = 0; i < n; i++) o.setL(oc + i * sc, op.apply(a.getL(oa + i * sa), lp, lq));
                    }
                });
    }

    static void binary(BinaryOp op, View x, View y, View out) {
        CpuStorage a = s(x), b = s(y), o = s(out);
        DType dt = a.dtype();
        boolean cmp = op.isComparison();
        StridedLoop loop = new StridedLoop(out.shape(), x.offset(), x.strides(), y.offset(), y.strides(),
                out.offset(), out.strides());
        if (dt == DType.FLOAT32 && CpuVectors.ENABLED && rowBroadcast(op, loop, a, b, o)) return;
        loop.forEachParallel((oa, ob, oc, n, sa, sb, sc) -> {
                    if (dt == DType.FLOAT32 && !cmp) {
                        if (sc == 1 && (CpuVectors.ENABLED ? Float32Loops.binary(op, a.f, oa, sa, b.f, ob, sb, o.f, oc, n)
                                : Float32Scalar.binary(op, a.f, oa, sa, b.f, ob, sb, o.f, oc, n))) {
                            return;
                        }
                        for (int i = 0; i < n; i++) {
                            o.f[oc + i * sc] = (float) op.apply((double) a.f[oa + i * sa], b.f[ob + i * sb]);
                        }
                    } else if (dt == DType.FLOAT32) {
                        if (sc == 1 && CpuVectors.ENABLED && Float32Loops.compare(op, a.f, oa, sa, b.f, ob, sb, o.b, oc, n)) return;
                        for (int i = 0; i < n; i++) {
                            o.b[oc + i * sc] = op.apply((double) a.f[oa + i * sa], b.f[ob + i * sb]) != 0;
                        }
                    } else if (dt == DType.FLOAT64) {
                        for (int i = 0; i < n; i++) {
                            double r = op.apply(a.d[oa + i * sa], b.d[ob + i * sb]);
                            if (cmp) o.b[oc + i * sc] = r != 0; else o.d[oc + i * sc] = r;
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            o.setL(oc + i * sc, op.apply(a.getL(oa + i * sa), b.getL(ob + i * sb)));
                        }
                    }
                });
    }

    /** {@code x[R, C] op y[C]} (or {@code y op x}) as one flat loop ({@link RowBroadcastLoops}); false if it is not that. */
    private static boolean rowBroadcast(BinaryOp op, StridedLoop loop, CpuStorage a, CpuStorage b, CpuStorage o) {
        int period = loop.runLength();
        long rows = loop.runCount();
        if (!RowBroadcastLoops.handles(op, rows, period)) return false;
        int total = (int) (rows * period);
        if (loop.isRowBroadcast(0)) {
            RowBroadcastLoops.run(op, a.f, loop.offset(0), b.f, loop.offset(1), period, false, o.f, loop.offset(2), total);
        } else if (loop.isRowBroadcast(1)) {
            RowBroadcastLoops.run(op, b.f, loop.offset(1), a.f, loop.offset(0), period, true, o.f, loop.offset(2), total);
        } else {
            return false;
        }
        return true;
    }

    static void where(View cond, View x, View y, View out) {
        CpuStorage c = s(cond), a = s(x), b = s(y), o = s(out);
        // The loop walks the three inputs; the dense output is written in the same row-major order.
        if (!out.isContiguous()) throw new IllegalArgumentException("where: output must be dense");
        int base = (int) out.offset();
        int[] k = {0};
        long[] cst = cond.strides();
        StridedLoop loop = new StridedLoop(out.shape(), x.offset(), x.strides(), y.offset(), y.strides(),
                cond.offset(), cst);
        loop.forEach(0, loop.runCount(), (oa, ob, oc, n, sa, sb, scond) -> {
                    int w = base + k[0];
                    boolean[] cb = c.b;
                    switch (o.dtype()) {
                        case FLOAT32 -> {
                            float[] af = a.f, bf = b.f, of = o.f;
                            if (!CpuVectors.ENABLED || !Float32Loops.where(cb, oc, scond, af, oa, sa, bf, ob, sb, of, w, n)) {
                                for (int i = 0; i < n; i++) of[w + i] = cb[oc + i * scond] ? af[oa + i * sa] : bf[ob + i * sb];
                            }
                        }
                        case FLOAT64 -> {
                            for (int i = 0; i < n; i++) o.d[w + i] = cb[oc + i * scond] ? a.d[oa + i * sa] : b.d[ob + i * sb];
                        }
                        case INT64 -> {
                            for (int i = 0; i < n; i++) o.l[w + i] = cb[oc + i * scond] ? a.l[oa + i * sa] : b.l[ob + i * sb];
                        }
                        case BOOL -> {
                            for (int i = 0; i < n; i++) o.b[w + i] = cb[oc + i * scond] ? a.b[oa + i * sa] : b.b[ob + i * sb];
                        }
                    }
                    k[0] += n;
                });
    }
}
