package io.flambeau.backend.cuda;

import io.flambeau.core.DType;

/**
 * Generates the fused cross-entropy kernels of {@code backend.DeviceLosses}, one thread per row of
 * the (N, C) scores with loops over the C columns (the fused route is taken for C up to
 * {@code ops.Losses.MAX_FUSED_CLASSES}).
 *
 * <p>Per row i with target c: {@code m = max_j x[i, j]} (NaN wins), {@code s = sum_j exp(x[i, j] - m)}
 * (each exp in the scores' precision, summed in f64), {@code lp = (x[i, c] - m) - log(s)}. The
 * forward writes {@code -lp / N} per row (the loss is their sum); the backward writes
 * {@code p[i, j] q - [j = c] q} with {@code p = exp(x - m) / s} and {@code q = g[i] / N}.
 *
 * <p>Parameters: {@code .u64 s, .s64 ss0, .s64 ss1, .u64 t, .s64 ts0, .u64 out, .u64 rows, .u64 cols,
 * .T count} (the divisor as the scores' type: N, or 1 when the caller divides by the count of kept
 * targets), {@code .s64 ignore} (the ignore index: such a row is 0, and not an error), backward only
 * {@code .u64 g, .s64 gs0}, then {@code .u64 err, .u32 site}. A bad target is recorded as in
 * {@link LossKernels}; its row is 0.
 */
record CrossEntropyKernels(DType dtype, boolean backward) {

    String kernelName() {
        return "cross_entropy_" + (backward ? "backward_" : "") + ElementwiseSpec.suffix(dtype);
    }

    String emit() {
        boolean single = dtype == DType.FLOAT32;
        String ft = single ? "f32" : "f64";
        int es = dtype.byteSize();
        StringBuilder params = LossKernels.declareParams("." + ft + " count", ".s64 ignore");
        if (backward) params.append("\t.param .u64 g,\n\t.param .s64 gs0,\n");
        params.append("\t.param .u64 err,\n\t.param .u32 site\n");

        PtxBuilder b = new PtxBuilder();
        LossKernels.RowParams rp = LossKernels.RowParams.load(b);
        String s = rp.s(), ss0 = rp.ss0(), ss1 = rp.ss1(), t = rp.t(), ts0 = rp.ts0(), out = rp.out(), rows = rp.rows(),
                cols = rp.cols(), err = rp.err(), site = rp.site(), count = fr(b, single), ignore = b.b64();
        b.ins("ld.param.%s %s, [count]", ft, count);
        b.ins("ld.param.s64 %s, [ignore]", ignore);
        String g = null, gs0 = null;
        if (backward) {
            g = b.b64();
            gs0 = b.b64();
            b.ins("ld.param.u64 %s, [g]", g);
            b.ins("ld.param.s64 %s, [gs0]", gs0);
        }
        PtxBuilder.GridLoop grid = b.gridLoop(rows, "row");
        String i = grid.i();
        String next = b.label("next"), bad = b.label("bad"), ignored = b.label("ignored");

        String c = LossKernels.checkedTarget(b, t, ts0, i, cols, bad, ignore, ignored);
        String srow = b.b64(), orow = b.b64();
        b.ins("mul.lo.s64 %s, %s, %s", srow, i, ss0);
        b.ins("mad.lo.s64 %s, %s, %d, %s", srow, srow, es, s);
        if (backward) {
            b.ins("mul.lo.s64 %s, %s, %s", orow, i, cols);
            b.ins("mad.lo.s64 %s, %s, %d, %s", orow, orow, es, out);
        } else {
            b.ins("mad.lo.s64 %s, %s, %d, %s", orow, i, es, out);
        }

        // m: NaN-propagating max in the element type
        String m = fr(b, single);
        b.ins("mov.%s %s, %s", ft, m, single ? "0fFF800000" : "0dFFF0000000000000");
        columns(b, cols, (j) -> {
            String x = load(b, single, srow, j, ss1, es);
            String take = b.pred(), nan = b.pred();
            b.ins("setp.gt.%s %s, %s, %s", ft, take, x, m);
            b.ins("setp.nan.%s %s, %s, %s", ft, nan, x, x);
            b.ins("or.pred %s, %s, %s", take, take, nan);
            b.ins("selp.%s %s, %s, %s, %s", ft, m, x, m, take);
        });
        // s: sum of exp(x - m), in f64
        String sum = b.f64();
        b.ins("mov.f64 %s, 0d0000000000000000", sum);
        columns(b, cols, (j) -> {
            String e = shiftedExp(b, single, load(b, single, srow, j, ss1, es), m);
            String ed = e;
            if (single) {
                ed = b.f64();
                b.ins("cvt.f64.f32 %s, %s", ed, e);
            }
            b.ins("add.rn.f64 %s, %s, %s", sum, sum, ed);
        });

        if (!backward) {
            String lg = PtxMath64.log(b, sum), lse = lg;
            if (single) {
                lse = b.f32();
                b.ins("cvt.rn.f32.f64 %s, %s", lse, lg);
            }
            String xc = load(b, single, srow, c, ss1, es), d = fr(b, single), lp = fr(b, single), v = fr(b, single);
            b.ins("sub.rn.%s %s, %s, %s", ft, d, xc, m);
            b.ins("sub.rn.%s %s, %s, %s", ft, lp, d, lse);
            b.ins("neg.%s %s, %s", ft, lp, lp);
            b.ins("div.rn.%s %s, %s, %s", ft, v, lp, count);
            b.ins("st.global.%s [%s], %s", ft, orow, v);
        } else {
            String sT = sum;
            if (single) {
                sT = b.f32();
                b.ins("cvt.rn.f32.f64 %s, %s", sT, sum);
            }
            String ga = b.b64(), gv = fr(b, single), q = fr(b, single);
            b.ins("mul.lo.s64 %s, %s, %s", ga, i, gs0);
            b.ins("mad.lo.s64 %s, %s, %d, %s", ga, ga, es, g);
            b.ins("ld.global.%s %s, [%s]", ft, gv, ga);
            b.ins("div.rn.%s %s, %s, %s", ft, q, gv, count);
            String finalST = sT;
            columns(b, cols, (j) -> {
                String e = shiftedExp(b, single, load(b, single, srow, j, ss1, es), m);
                String p = fr(b, single), d = fr(b, single), dm = fr(b, single), at = b.pred(), oa = b.b64();
                b.ins("div.rn.%s %s, %s, %s", ft, p, e, finalST);
                b.ins("mul.rn.%s %s, %s, %s", ft, d, p, q);
                b.ins("sub.rn.%s %s, %s, %s", ft, dm, d, q);
                b.ins("setp.eq.s64 %s, %s, %s", at, j, c);
                b.ins("selp.%s %s, %s, %s, %s", ft, d, dm, d, at);
                b.ins("mad.lo.s64 %s, %s, %d, %s", oa, j, es, orow);
                b.ins("st.global.%s [%s], %s", ft, oa, d);
            });
        }
        b.ins("bra.uni %s", next);

        b.place(bad);
        LossKernels.recordBadTarget(b, err, site, c, cols, i);
        b.place(ignored); // an ignored target: its row is 0, as a bad one's, but nothing is recorded
        String zr = fr(b, single);
        b.ins("mov.%s %s, %s", ft, zr, single ? "0f00000000" : "0d0000000000000000");
        if (backward) {
            String zo = b.b64();
            b.ins("mul.lo.s64 %s, %s, %s", zo, i, cols);
            b.ins("mad.lo.s64 %s, %s, %d, %s", zo, zo, es, out);
            columns(b, cols, (j) -> {
                String za = b.b64();
                b.ins("mad.lo.s64 %s, %s, %d, %s", za, j, es, zo);
                b.ins("st.global.%s [%s], %s", ft, za, zr);
            });
        } else {
            String zo = b.b64();
            b.ins("mad.lo.s64 %s, %s, %d, %s", zo, i, es, out);
            b.ins("st.global.%s [%s], %s", ft, zo, zr);
        }

        b.place(next);
        b.endGridLoop(grid);
        b.ins("ret");
        return PtxBuilder.HEADER + b.moduleDecls() + "// generated by Flambeau's CrossEntropyKernels\n"
                + ".visible .entry " + kernelName() + "(\n" + params + ")\n{\n" + b.declarations() + b.body() + "}\n";
    }

    private static String fr(PtxBuilder b, boolean single) {
        return single ? b.f32() : b.f64();
    }

    /** x[row, j] in the element type. */
    private static String load(PtxBuilder b, boolean single, String row, String j, String stride, int es) {
        String a = b.b64(), x = fr(b, single);
        b.ins("mul.lo.s64 %s, %s, %s", a, j, stride);
        b.ins("mad.lo.s64 %s, %s, %d, %s", a, a, es, row);
        b.ins("ld.global.%s %s, [%s]", single ? "f32" : "f64", x, a);
        return x;
    }

    private static String shiftedExp(PtxBuilder b, boolean single, String x, String m) {
        String d = fr(b, single);
        b.ins("sub.rn.%s %s, %s, %s", single ? "f32" : "f64", d, x, m);
        return single ? PtxMath32.exp(b, d) : PtxMath64.exp(b, d);
    }

    /** A loop j = 0 .. cols-1 around {@code body}. */
    private static void columns(PtxBuilder b, String cols, java.util.function.Consumer<String> body) {
        String j = b.b64(), p = b.pred(), top = b.label("col"), end = b.label("cols");
        b.ins("mov.u64 %s, 0", j);
        b.place(top);
        b.ins("setp.ge.u64 %s, %s, %s", p, j, cols);
        b.ins("@%s bra %s", p, end);
        body.accept(j);
        b.ins("add.s64 %s, %s, 1", j, j);
        b.ins("bra.uni %s", top);
        b.place(end);
    }
}
