package io.flambeau.backend.cuda;

import io.flambeau.backend.OptimizerStep.Rule;
import io.flambeau.core.DType;

/**
 * PTX of the multi-tensor optimizer kernels: one launch updates every parameter of a group.
 *
 * <p>Grid: {@code y} = the parameter (its row in the device table), {@code x} = a grid-stride loop
 * over that parameter's elements. Parameters of an entry {@code mt_<rule>_<f32|f64>}:
 * <pre>
 *   .u64 table      device table: f64 scal[8] (step, step size, bc2 sqrt, Adagrad's clr, first-step flag),
 *                   then one row per parameter {.u64 p, s1, s2, s3, n} (state pointers 0 when unused)
 *   .u32 fromDevice 0: the step-dependent scalars are the arguments below, and the step is stored in
 *                   scal[0]; 1: they are read from scal[1..4], which {@code mt_step_scalars} computed
 *                   (a captured CUDA graph, whose arguments are frozen)
 *   .f64 step       the step count (stored when fromDevice is 0)
 *   .u32 flags      {@link #MAXIMIZE}, {@link #NESTEROV}, ...
 *   .T   h0 .. h7   the rule's scalars, already rounded to the element type (see {@link MultiTensorOptimizer})
 *   .u64 g0 .. g31  the gradients of rows y = 0..31: they change every step, so they travel as
 *                   arguments, while the table (parameters and state, which do not move) is uploaded once
 * </pre>
 * Each element follows the per-tensor ops of {@code io.flambeau.optim} one for one (same
 * operations, same order, {@code .rn} everywhere so nothing is contracted into an fma), so the
 * fused update is bit for bit the unfused one.
 */
final class MultiTensorOptimizerPtx {
    /** Gradients per launch (kernel arguments); a longer group takes several launches. */
    static final int ROWS_PER_LAUNCH = 32;
    /** Bytes of one table row and of the scalar header in front of the rows. */
    static final int ROW_BYTES = 40, HEADER_BYTES = 64;
    static final int MAXIMIZE = 1, NESTEROV = 2, FIRST = 4, WEIGHT_DECAY = 8, MOMENTUM = 16, CENTERED = 32,
            AMSGRAD = 64, DECOUPLED = 128;

    private MultiTensorOptimizerPtx() {}

    record Key(Rule rule, DType dtype) {
        String entry() { return "mt_" + rule.name().toLowerCase(java.util.Locale.ROOT) + "_" + ElementwiseSpec.suffix(dtype); }
    }

    static final String STEP_SCALARS = "mt_step_scalars";

    /**
     * One thread: {@code t = scal[0] + 1}, stored back, then from t in f64: the step size
     * {@code lr / (1 - beta1^t)}, {@code sqrt(1 - beta2^t)}, {@code lr / (1 + (t - 1) lr_decay)} and
     * {@code t == 1}. Powers by repeated squaring.
     */
    static String stepScalars() {
        return PtxBuilder.HEADER + """
                .visible .entry mt_step_scalars(.param .u64 table, .param .f64 lr, .param .f64 beta1, .param .f64 beta2,
                	.param .f64 lrdecay)
                {
                	.reg .pred %p<4>;
                	.reg .b64 %rd<8>;
                	.reg .f64 %fd<20>;
                	ld.param.u64 %rd1, [table];
                	ld.param.f64 %fd1, [lr];
                	ld.param.f64 %fd2, [beta1];
                	ld.param.f64 %fd3, [beta2];
                	ld.param.f64 %fd4, [lrdecay];
                	ld.global.f64 %fd5, [%rd1];
                	add.rn.f64 %fd5, %fd5, 0d3FF0000000000000;
                	st.global.f64 [%rd1], %fd5;
                	cvt.rzi.u64.f64 %rd2, %fd5;
                	mov.f64 %fd6, 0d3FF0000000000000;
                	mov.f64 %fd7, 0d3FF0000000000000;
                	mov.f64 %fd8, %fd2;
                	mov.f64 %fd9, %fd3;
                $POW:
                	setp.eq.u64 %p1, %rd2, 0;
                	@%p1 bra $POW_DONE;
                	and.b64 %rd3, %rd2, 1;
                	setp.ne.u64 %p2, %rd3, 0;
                	mul.rn.f64 %fd10, %fd6, %fd8;
                	mul.rn.f64 %fd11, %fd7, %fd9;
                	selp.f64 %fd6, %fd10, %fd6, %p2;
                	selp.f64 %fd7, %fd11, %fd7, %p2;
                	mul.rn.f64 %fd8, %fd8, %fd8;
                	mul.rn.f64 %fd9, %fd9, %fd9;
                	shr.u64 %rd2, %rd2, 1;
                	bra $POW;
                $POW_DONE:
                	sub.rn.f64 %fd12, 0d3FF0000000000000, %fd6;
                	div.rn.f64 %fd12, %fd1, %fd12;
                	st.global.f64 [%rd1+8], %fd12;
                	sub.rn.f64 %fd13, 0d3FF0000000000000, %fd7;
                	sqrt.rn.f64 %fd13, %fd13;
                	st.global.f64 [%rd1+16], %fd13;
                	sub.rn.f64 %fd14, %fd5, 0d3FF0000000000000;
                	mul.rn.f64 %fd14, %fd14, %fd4;
                	add.rn.f64 %fd14, %fd14, 0d3FF0000000000000;
                	div.rn.f64 %fd14, %fd1, %fd14;
                	st.global.f64 [%rd1+24], %fd14;
                	setp.eq.f64 %p3, %fd5, 0d3FF0000000000000;
                	selp.f64 %fd15, 0d3FF0000000000000, 0d0000000000000000, %p3;
                	st.global.f64 [%rd1+32], %fd15;
                	ret;
                }
                """;
    }

    static String emit(Key key) {
        boolean single = key.dtype() == DType.FLOAT32;
        String t = single ? "f32" : "f64";
        int shift = single ? 2 : 3;
        PtxBuilder b = new PtxBuilder();
        E e = new E(b, t, single);

        StringBuilder params = new StringBuilder("\t.param .u64 table, .param .u32 fromDevice, .param .f64 step, .param .u32 flags");
        for (int i = 0; i < 8; i++) params.append(", .param .").append(t).append(" h").append(i);
        for (int i = 0; i < ROWS_PER_LAUNCH; i++) params.append(i % 8 == 0 ? ",\n\t" : ", ").append(".param .u64 g").append(i);

        String table = b.b64(), fromDevice = b.b32(), flags = b.b32();
        b.ins("ld.param.u64 %s, [table]", table);
        b.ins("ld.param.u32 %s, [fromDevice]", fromDevice);
        b.ins("ld.param.u32 %s, [flags]", flags);
        String[] h = new String[8];
        for (int i = 0; i < 8; i++) {
            h[i] = e.reg();
            b.ins("ld.param.%s %s, [h%d]", t, h[i], i);
        }
        String dev = b.pred();
        b.ins("setp.ne.u32 %s, %s, 0", dev, fromDevice);
        // eager: thread 0 of block (0, 0) records the step, so a later capture continues from it
        String tid = b.b32(), cx = b.b32(), cy = b.b32(), any = b.b32(), first0 = b.pred(), store = b.pred();
        b.ins("mov.u32 %s, %%tid.x", tid);
        b.ins("mov.u32 %s, %%ctaid.x", cx);
        b.ins("mov.u32 %s, %%ctaid.y", cy);
        b.ins("or.b32 %s, %s, %s", any, tid, cx);
        b.ins("or.b32 %s, %s, %s", any, any, cy);
        b.ins("setp.eq.u32 %s, %s, 0", first0, any);
        String eager = b.pred();
        b.ins("not.pred %s, %s", eager, dev);
        b.ins("and.pred %s, %s, %s", store, first0, eager);
        String stepv = b.f64();
        b.ins("ld.param.f64 %s, [step]", stepv);
        b.ins("@%s st.global.f64 [%s], %s", store, table, stepv);
        // captured: the step-dependent scalars come from the table's header
        String d1 = b.f64(), d2 = b.f64(), d3 = b.f64(), d4 = b.f64();
        String l = b.label("eager");
        b.ins("@!%s bra %s", dev, l);
        b.ins("ld.global.f64 %s, [%s+8]", d1, table);
        b.ins("ld.global.f64 %s, [%s+16]", d2, table);
        b.ins("ld.global.f64 %s, [%s+24]", d3, table);
        b.ins("ld.global.f64 %s, [%s+32]", d4, table);
        switch (key.rule()) {
            case ADAM -> {
                e.fromF64(h[0], d1);
                e.fromF64(h[1], d2);
            }
            case ADAGRAD -> e.fromF64(h[0], d3);
            case SGD -> {
                String f = b.pred();
                b.ins("setp.ne.f64 %s, %s, 0d0000000000000000", f, d4);
                b.ins("and.b32 %s, %s, %d", flags, flags, ~FIRST);
                b.ins("@%s or.b32 %s, %s, %d", f, flags, flags, FIRST);
            }
            case RMSPROP -> { }
        }
        b.place(l);
        // this block's row of the table, and its gradient: the argument g<y>
        String row = b.b64(), ry = b.b64();
        b.ins("mul.wide.u32 %s, %s, %d", ry, cy, ROW_BYTES);
        b.ins("add.s64 %s, %s, %s", row, table, ry);
        b.ins("add.s64 %s, %s, %d", row, row, HEADER_BYTES);
        String p = b.b64(), s1 = b.b64(), s2 = b.b64(), s3 = b.b64(), n = b.b64(), g = b.b64();
        b.ins("ld.global.u64 %s, [%s]", p, row);
        b.ins("ld.global.u64 %s, [%s+8]", s1, row);
        b.ins("ld.global.u64 %s, [%s+16]", s2, row);
        b.ins("ld.global.u64 %s, [%s+24]", s3, row);
        b.ins("ld.global.u64 %s, [%s+32]", n, row);
        b.ins("ld.param.u64 %s, [g0]", g);
        for (int i = 1; i < ROWS_PER_LAUNCH; i++) {
            String gi = b.b64(), is = b.pred();
            b.ins("ld.param.u64 %s, [g%d]", gi, i);
            b.ins("setp.eq.u32 %s, %s, %d", is, cy, i);
            b.ins("selp.b64 %s, %s, %s, %s", g, gi, g, is);
        }
        // flags as predicates
        String max = flagPred(b, flags, MAXIMIZE), nest = flagPred(b, flags, NESTEROV), first = flagPred(b, flags, FIRST),
                wd = flagPred(b, flags, WEIGHT_DECAY), mom = flagPred(b, flags, MOMENTUM), cen = flagPred(b, flags, CENTERED),
                ams = flagPred(b, flags, AMSGRAD), dec = flagPred(b, flags, DECOUPLED);
        // grid-stride loop over the row's elements
        String ntid = b.b32(), nct = b.b32(), i = b.b64(), stride = b.b64(), tid64 = b.b64(), done = b.pred();
        b.ins("mov.u32 %s, %%ntid.x", ntid);
        b.ins("mov.u32 %s, %%nctaid.x", nct);
        b.ins("mul.wide.u32 %s, %s, %s", i, cx, ntid);
        b.ins("cvt.u64.u32 %s, %s", tid64, tid);
        b.ins("add.s64 %s, %s, %s", i, i, tid64);
        b.ins("mul.wide.u32 %s, %s, %s", stride, nct, ntid);
        String top = b.label("loop"), end = b.label("done");
        b.ins("setp.ge.u64 %s, %s, %s", done, i, n);
        b.ins("@%s bra %s", done, end);
        b.place(top);
        String off = b.b64(), ap = b.b64(), ag = b.b64(), a1 = b.b64(), a2 = b.b64(), a3 = b.b64();
        b.ins("shl.b64 %s, %s, %d", off, i, shift);
        b.ins("add.s64 %s, %s, %s", ap, p, off);
        b.ins("add.s64 %s, %s, %s", ag, g, off);
        b.ins("add.s64 %s, %s, %s", a1, s1, off);
        b.ins("add.s64 %s, %s, %s", a2, s2, off);
        b.ins("add.s64 %s, %s, %s", a3, s3, off);
        String pv = e.reg(), gv = e.reg();
        b.ins("ld.global.%s %s, [%s]", t, pv, ap);
        b.ins("ld.global.%s %s, [%s]", t, gv, ag);
        // d = maximize ? -g : g
        String d = e.reg();
        b.ins("neg.%s %s, %s", t, d, gv);
        b.ins("selp.%s %s, %s, %s, %s", t, d, d, gv, max);
        switch (key.rule()) {
            case SGD -> sgd(e, h, pv, d, ap, a1, nest, first, wd, mom);
            case ADAGRAD -> adagrad(e, h, pv, d, ap, a1, wd);
            case RMSPROP -> rmsprop(e, h, pv, d, ap, a1, a2, a3, wd, cen, mom);
            case ADAM -> adam(e, h, pv, d, ap, a1, a2, a3, wd, ams, dec);
        }
        b.ins("add.s64 %s, %s, %s", i, i, stride);
        b.ins("setp.lt.u64 %s, %s, %s", done, i, n);
        b.ins("@%s bra %s", done, top);
        b.place(end);
        b.ins("ret");
        return PtxBuilder.HEADER + ".visible .entry " + key.entry() + "(\n" + params + "\n)\n{\n" + b.declarations() + b.body() + "}\n";
    }

    private static String flagPred(PtxBuilder b, String flags, int bit) {
        String r = b.b32(), pr = b.pred();
        b.ins("and.b32 %s, %s, %d", r, flags, bit);
        b.ins("setp.ne.u32 %s, %s, 0", pr, r);
        return pr;
    }

    /** Registers and arithmetic of the element type. */
    private record E(PtxBuilder b, String t, boolean single) {
        String reg() { return single ? b.f32() : b.f64(); }

        void fromF64(String dst, String src) {
            if (single) b.ins("cvt.rn.f32.f64 %s, %s", dst, src);
            else b.ins("mov.f64 %s, %s", dst, src);
        }

        String op(String op, String x, String y) {
            String r = reg();
            b.ins("%s.rn.%s %s, %s, %s", op, t, r, x, y);
            return r;
        }

        String sqrt(String x) {
            String r = reg();
            b.ins("sqrt.rn.%s %s, %s", t, r, x);
            return r;
        }

        /** {@code pred ? a : b} into a fresh register. */
        String sel(String pred, String x, String y) {
            String r = reg();
            b.ins("selp.%s %s, %s, %s, %s", t, r, x, y, pred);
            return r;
        }

        String load(String addr) {
            String r = reg();
            b.ins("ld.global.%s %s, [%s]", t, r, addr);
            return r;
        }

        void store(String addr, String v) { b.ins("st.global.%s [%s], %s", t, addr, v); }

        void storeIf(String pred, String addr, String v) { b.ins("@%s st.global.%s [%s], %s", pred, t, addr, v); }

        /** {@code weight decay ? d + p*wd : d}. */
        String decay(String d, String p, String wdValue, String wd) {
            return sel(wd, op("add", d, op("mul", p, wdValue)), d);
        }
    }

    // h: lr, momentum, 1 - dampening, weight_decay
    private static void sgd(E e, String[] h, String p, String g, String ap, String abuf, String nest, String first,
                            String wd, String mom) {
        PtxBuilder b = e.b();
        String d = e.decay(g, p, h[3], wd);
        String skip = b.label("plain");
        String dd = e.reg();
        b.ins("mov.%s %s, %s", e.t(), dd, d);
        b.ins("@!%s bra %s", mom, skip);
        // buf = first ? d : buf*momentum + d*(1 - dampening)
        String old = e.reg();
        b.ins("mov.%s %s, %s", e.t(), old, d);
        b.ins("@!%s ld.global.%s %s, [%s]", first, e.t(), old, abuf);
        String upd = e.op("add", e.op("mul", old, h[1]), e.op("mul", d, h[2]));
        String buf = e.sel(first, d, upd);
        e.store(abuf, buf);
        String nv = e.op("add", d, e.op("mul", buf, h[1]));
        b.ins("selp.%s %s, %s, %s, %s", e.t(), dd, nv, buf, nest);
        b.place(skip);
        e.store(ap, e.op("sub", p, e.op("mul", dd, h[0])));
    }

    // h: clr, weight_decay, eps
    private static void adagrad(E e, String[] h, String p, String g, String ap, String asum, String wd) {
        String d = e.decay(g, p, h[1], wd);
        String sum = e.op("add", e.load(asum), e.op("mul", d, d));
        e.store(asum, sum);
        String std = e.op("add", e.sqrt(sum), h[2]);
        e.store(ap, e.op("sub", p, e.op("div", e.op("mul", d, h[0]), std)));
    }

    // h: lr, alpha, 1 - alpha, eps, weight_decay, momentum
    private static void rmsprop(E e, String[] h, String p, String g, String ap, String asq, String agavg, String abuf,
                                String wd, String cen, String mom) {
        PtxBuilder b = e.b();
        String d = e.decay(g, p, h[4], wd);
        String sq = e.op("add", e.op("mul", e.load(asq), h[1]), e.op("mul", e.op("mul", d, h[2]), d));
        e.store(asq, sq);
        String avg = e.sqrt(sq);
        String plain = b.label("uncentered");
        b.ins("@!%s bra %s", cen, plain);
        String gavg = e.op("add", e.op("mul", e.load(agavg), h[1]), e.op("mul", d, h[2]));
        e.store(agavg, gavg);
        String c = e.sqrt(e.op("sub", sq, e.op("mul", gavg, gavg)));
        b.ins("mov.%s %s, %s", e.t(), avg, c);
        b.place(plain);
        String a = e.op("add", avg, h[3]);
        String noMomentum = b.label("nomomentum"), next = b.label("stored");
        b.ins("@!%s bra %s", mom, noMomentum);
        String buf = e.op("add", e.op("mul", e.load(abuf), h[5]), e.op("div", d, a));
        e.store(abuf, buf);
        e.store(ap, e.op("sub", p, e.op("mul", buf, h[0])));
        b.ins("bra %s", next);
        b.place(noMomentum);
        e.store(ap, e.op("sub", p, e.op("div", e.op("mul", d, h[0]), a)));
        b.place(next);
    }

    // h: step size, sqrt(bias correction 2), beta1, 1 - beta1, beta2, 1 - beta2, eps, weight_decay (Adam) or 1 - lr*wd (AdamW)
    private static void adam(E e, String[] h, String p0, String d0, String ap, String am, String av, String amax,
                             String wd, String ams, String dec) {
        PtxBuilder b = e.b();
        String p = e.sel(dec, e.op("mul", p0, h[7]), p0);
        String d = e.sel(dec, d0, e.decay(d0, p0, h[7], wd));
        String m = e.op("add", e.op("mul", e.load(am), h[2]), e.op("mul", d, h[3]));
        e.store(am, m);
        String v = e.op("add", e.op("mul", e.load(av), h[4]), e.op("mul", e.op("mul", d, h[5]), d));
        e.store(av, v);
        String second = e.reg();
        b.ins("mov.%s %s, %s", e.t(), second, v);
        String plain = b.label("noams");
        b.ins("@!%s bra %s", ams, plain);
        // max_exp_avg_sq = maximum(max_exp_avg_sq, v), NaN-propagating as torch.maximum
        String old = e.load(amax), gt = b.pred(), nan = b.pred();
        b.ins("setp.gt.%s %s, %s, %s", e.t(), gt, old, v);
        String mx = e.sel(gt, old, v);
        b.ins("setp.nan.%s %s, %s, %s", e.t(), nan, old, v);
        mx = e.sel(nan, e.op("add", old, v), mx);
        e.store(amax, mx);
        b.ins("mov.%s %s, %s", e.t(), second, mx);
        b.place(plain);
        String denom = e.op("add", e.op("div", e.sqrt(second), h[1]), h[6]);
        e.store(ap, e.op("sub", p, e.op("div", e.op("mul", m, h[0]), denom)));
    }
}
