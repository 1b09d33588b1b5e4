package io.flambeau.backend.cuda;

import io.flambeau.core.DType;

/**
 * Generates the fused margin-hinge kernels of {@code backend.DeviceLosses}, one thread per row of
 * the (N, C) scores, a loop over the C columns inside.
 *
 * <p>Parameters, in order: {@code .u64 s, .s64 ss0, .s64 ss1} (scores: address of element 0 and
 * element strides), {@code .u64 t, .s64 ts0} (int64 targets), {@code .u64 out} (dense (N, C)),
 * {@code .u64 rows, .u64 cols}, {@code .T delta} (the scores' float type), then for the backward
 * {@code .u64 g, .s64 gs0, .s64 gs1} (upstream gradient), and last {@code .u64 err, .u32 site}
 * (the {@link DeviceErrorRecord} and the site to record a bad target under; index 0, size C).
 *
 * <p>The arithmetic is the composed form's, in its order and the scores' precision:
 * {@code x = s[i, j] - (s[i, c] - delta)}; the forward writes {@code x < 0 ? 0 : x} (NaN stays);
 * the backward writes {@code x >= 0 ? g : 0} and, at column c, that value plus the negated row sum.
 * A bad target leaves its row zero.
 */
record LossKernels(DType dtype, boolean backward) {

    String kernelName() {
        return "margin_hinge_" + (backward ? "backward_" : "") + ElementwiseSpec.suffix(dtype);
    }

    /**
     * Loads row i's target and jumps to {@code bad} when it is outside {@code [0, cols)}: a class
     * target is never counted from the end (PyTorch: "Target -1 is out of bounds"). Returns the
     * register holding it.
     */
    static String checkedTarget(PtxBuilder b, String t, String ts0, String i, String cols, String bad) {
        return checkedTarget(b, t, ts0, i, cols, bad, null, null);
    }

    /** As {@link #checkedTarget}, jumping to {@code ignored} first when the target equals {@code ignore}. */
    static String checkedTarget(PtxBuilder b, String t, String ts0, String i, String cols, String bad, String ignore,
                                String ignored) {
        String ta = b.b64(), c = b.b64(), lo = b.pred(), hi = b.pred();
        b.ins("mul.lo.s64 %s, %s, %s", ta, i, ts0);
        b.ins("mad.lo.s64 %s, %s, 8, %s", ta, ta, t);
        b.ins("ld.global.s64 %s, [%s]", c, ta);
        if (ignore != null) {
            String skip = b.pred();
            b.ins("setp.eq.s64 %s, %s, %s", skip, c, ignore);
            b.ins("@%s bra %s", skip, ignored);
        }
        b.ins("setp.lt.s64 %s, %s, 0", lo, c);
        b.ins("setp.ge.s64 %s, %s, %s", hi, c, cols);
        b.ins("or.pred %s, %s, %s", lo, lo, hi);
        b.ins("@%s bra %s", lo, bad);
        return c;
    }

    /**
     * Claims the device error record for a bad target {@code c} of row {@code i} (kept as the
     * record's "which", for the message's {@code targets[i]}; size {@code cols}) if it is free.
     */
    static void recordBadTarget(PtxBuilder b, String err, String site, String c, String cols, String i) {
        String old = b.b32(), won = b.pred(), which = b.b32();
        b.ins("atom.global.cas.b32 %s, [%s], 0, 1", old, err);
        b.ins("setp.eq.u32 %s, %s, 0", won, old);
        b.ins("cvt.u32.u64 %s, %s", which, i);
        b.ins("@%s st.global.u32 [%s+4], %s", won, err, site);
        b.ins("@%s st.global.u32 [%s+8], %s", won, err, which);
        b.ins("@%s st.global.s64 [%s+16], %s", won, err, c);
        b.ins("@%s st.global.s64 [%s+24], %s", won, err, cols);
    }

    /** The {@code .param} lines both fused loss kernels start with, then {@code own}, the kernel's scalars. */
    static StringBuilder declareParams(String... own) {
        StringBuilder params = new StringBuilder();
        for (String p : new String[] {".u64 s", ".s64 ss0", ".s64 ss1", ".u64 t", ".s64 ts0", ".u64 out", ".u64 rows",
                ".u64 cols"}) {
            params.append("\t.param ").append(p).append(",\n");
        }
        for (String p : own) params.append("\t.param ").append(p).append(",\n");
        return params;
    }

    /**
     * Registers holding the parameters the fused loss kernels share: the (N, C) scores and their
     * strides, the (N) targets and their stride, out, N, C, and the device error record with the site.
     */
    record RowParams(String s, String ss0, String ss1, String t, String ts0, String out, String rows, String cols,
                     String err, String site) {
        static RowParams load(PtxBuilder b) {
            RowParams p = new RowParams(b.b64(), b.b64(), b.b64(), b.b64(), b.b64(), b.b64(), b.b64(), b.b64(), b.b64(),
                    b.b32());
            b.ins("ld.param.u64 %s, [s]", p.s);
            b.ins("ld.param.s64 %s, [ss0]", p.ss0);
            b.ins("ld.param.s64 %s, [ss1]", p.ss1);
            b.ins("ld.param.u64 %s, [t]", p.t);
            b.ins("ld.param.s64 %s, [ts0]", p.ts0);
            b.ins("ld.param.u64 %s, [out]", p.out);
            b.ins("ld.param.u64 %s, [rows]", p.rows);
            b.ins("ld.param.u64 %s, [cols]", p.cols);
            b.ins("ld.param.u64 %s, [err]", p.err);
            b.ins("ld.param.u32 %s, [site]", p.site);
            return p;
        }
    }

    String emit() {
        boolean single = dtype == DType.FLOAT32;
        String ft = single ? "f32" : "f64";
        int es = dtype.byteSize();
        StringBuilder params = declareParams("." + ft + " delta");
        if (backward) params.append("\t.param .u64 g,\n\t.param .s64 gs0,\n\t.param .s64 gs1,\n");
        params.append("\t.param .u64 err,\n\t.param .u32 site\n");

        PtxBuilder b = new PtxBuilder();
        RowParams rp = RowParams.load(b);
        String s = rp.s(), ss0 = rp.ss0(), ss1 = rp.ss1(), t = rp.t(), ts0 = rp.ts0(), out = rp.out(), rows = rp.rows(),
                cols = rp.cols(), err = rp.err(), site = rp.site();
        String delta = single ? b.f32() : b.f64();
        b.ins("ld.param.%s %s, [delta]", ft, delta);
        String g = null, gs0 = null, gs1 = null;
        if (backward) {
            g = b.b64();
            gs0 = b.b64();
            gs1 = b.b64();
            b.ins("ld.param.u64 %s, [g]", g);
            b.ins("ld.param.s64 %s, [gs0]", gs0);
            b.ins("ld.param.s64 %s, [gs1]", gs1);
        }
        PtxBuilder.GridLoop grid = b.gridLoop(rows, "row");
        String i = grid.i();
        String next = b.label("next"), bad = b.label("bad");

        String c = checkedTarget(b, t, ts0, i, cols, bad);

        // row bases and the correct score's threshold
        String srow = b.b64(), orow = b.b64(), ca = b.b64(), sc = single ? b.f32() : b.f64(), thr = single ? b.f32() : b.f64();
        b.ins("mul.lo.s64 %s, %s, %s", srow, i, ss0);
        b.ins("mad.lo.s64 %s, %s, %d, %s", srow, srow, es, s);
        b.ins("mul.lo.s64 %s, %s, %s", orow, i, cols);
        b.ins("mad.lo.s64 %s, %s, %d, %s", orow, orow, es, out);
        b.ins("mul.lo.s64 %s, %s, %s", ca, c, ss1);
        b.ins("mad.lo.s64 %s, %s, %d, %s", ca, ca, es, srow);
        b.ins("ld.global.%s %s, [%s]", ft, sc, ca);
        b.ins("sub.rn.%s %s, %s, %s", ft, thr, sc, delta);
        String grow = null, sum = null;
        if (backward) {
            grow = b.b64();
            sum = single ? b.f32() : b.f64();
            b.ins("mul.lo.s64 %s, %s, %s", grow, i, gs0);
            b.ins("mad.lo.s64 %s, %s, %d, %s", grow, grow, es, g);
            b.ins("mov.%s %s, %s", ft, sum, single ? PtxBuilder.f32(0f) : PtxBuilder.f64(0.0));
        }

        // columns
        String j = b.b64(), col = b.label("col"), colsDone = b.label("cols"), end = b.pred(), empty = b.pred();
        b.ins("mov.u64 %s, 0", j);
        b.ins("setp.eq.u64 %s, %s, 0", empty, cols);
        b.ins("@%s bra %s", empty, colsDone);
        b.place(col);
        String xa = b.b64(), x = single ? b.f32() : b.f64(), d = single ? b.f32() : b.f64(), oa = b.b64();
        b.ins("mul.lo.s64 %s, %s, %s", xa, j, ss1);
        b.ins("mad.lo.s64 %s, %s, %d, %s", xa, xa, es, srow);
        b.ins("ld.global.%s %s, [%s]", ft, x, xa);
        b.ins("sub.rn.%s %s, %s, %s", ft, d, x, thr);
        b.ins("mad.lo.s64 %s, %s, %d, %s", oa, j, es, orow);
        String zero = single ? PtxBuilder.f32(0f) : PtxBuilder.f64(0.0);
        if (!backward) {
            String below = b.pred(), h = single ? b.f32() : b.f64();
            b.ins("setp.lt.%s %s, %s, %s", ft, below, d, zero);
            b.ins("selp.%s %s, %s, %s, %s", ft, h, zero, d, below);
            b.ins("st.global.%s [%s], %s", ft, oa, h);
        } else {
            String ga = b.b64(), gv = single ? b.f32() : b.f64(), keep = b.pred(), m = single ? b.f32() : b.f64();
            b.ins("mul.lo.s64 %s, %s, %s", ga, j, gs1);
            b.ins("mad.lo.s64 %s, %s, %d, %s", ga, ga, es, grow);
            b.ins("ld.global.%s %s, [%s]", ft, gv, ga);
            b.ins("setp.ge.%s %s, %s, %s", ft, keep, d, zero);
            b.ins("selp.%s %s, %s, %s, %s", ft, m, gv, zero, keep);
            b.ins("st.global.%s [%s], %s", ft, oa, m);
            b.ins("add.rn.%s %s, %s, %s", ft, sum, sum, m);
        }
        b.ins("add.s64 %s, %s, 1", j, j);
        b.ins("setp.lt.u64 %s, %s, %s", end, j, cols);
        b.ins("@%s bra %s", end, col);
        b.place(colsDone);
        if (backward) { // column c also carries the gradient through s[i, c] - delta: minus the row's sum
            String at = b.b64(), v = single ? b.f32() : b.f64(), ns = single ? b.f32() : b.f64();
            b.ins("mad.lo.s64 %s, %s, %d, %s", at, c, es, orow);
            b.ins("ld.global.%s %s, [%s]", ft, v, at);
            b.ins("neg.%s %s, %s", ft, ns, sum);
            b.ins("add.rn.%s %s, %s, %s", ft, v, v, ns);
            b.ins("st.global.%s [%s], %s", ft, at, v);
        }
        b.ins("bra.uni %s", next);

        // a bad target: record the first one, leave the row zero
        b.place(bad);
        recordBadTarget(b, err, site, c, cols, i);
        String z = b.b64(), zr = single ? b.f32() : b.f64(), zo = b.b64();
        b.ins("mov.%s %s, %s", ft, zr, zero);
        b.ins("mul.lo.s64 %s, %s, %s", zo, i, cols);
        b.ins("mad.lo.s64 %s, %s, %d, %s", zo, zo, es, out);
        b.ins("mov.u64 %s, 0", z);
        String zl = b.label("zero"), zend = b.pred(), zempty = b.pred(), za = b.b64();
        b.ins("setp.eq.u64 %s, %s, 0", zempty, cols);
        b.ins("@%s bra %s", zempty, next);
        b.place(zl);
        b.ins("mad.lo.s64 %s, %s, %d, %s", za, z, es, zo);
        b.ins("st.global.%s [%s], %s", ft, za, zr);
        b.ins("add.s64 %s, %s, 1", z, z);
        b.ins("setp.lt.u64 %s, %s, %s", zend, z, cols);
        b.ins("@%s bra %s", zend, zl);

        b.place(next);
        b.endGridLoop(grid);
        b.ins("ret");
        return PtxBuilder.HEADER + "// generated by Flambeau's LossKernels\n"
                + ".visible .entry " + kernelName() + "(\n" + params + ")\n{\n" + b.declarations() + b.body() + "}\n";
    }
}
