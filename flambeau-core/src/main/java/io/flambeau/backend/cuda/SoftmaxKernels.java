package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;

/**
 * Softmax and log-softmax along the last dim, one block per row (grid-stride over rows):
 * <ol>
 *   <li>m = max of the row (a NaN anywhere makes m, and so the whole row, NaN, as in PyTorch);</li>
 *   <li>s = sum of exp(x - m), accumulated in f64;</li>
 *   <li>softmax = exp(x - m) / s; log-softmax = (x - m) - log(s).</li>
 * </ol>
 * Generated rather than shipped as a .ptx file because it needs the exp/log routines of
 * {@link PtxMath32}/{@link PtxMath64}; the block-level reductions use shared memory and {@code bar.sync}.
 * Parameters: {@code .u64 x, .u64 out} (dense rows, offsets applied), {@code .u64 rows, .u64 cols}.
 */
final class SoftmaxKernels {
    static final int BLOCK = 256;

    private SoftmaxKernels() {}

    record Key(DType dtype, boolean log) {
        String entry() { return (log ? "log_softmax_" : "softmax_") + ElementwiseSpec.suffix(dtype); }
    }

    static void launch(CudaBackend backend, View x, View out, boolean log) {
        if (!x.dtype().isFloating() || out.dtype() != x.dtype()) {
            throw new DTypeException((log ? "log_softmax" : "softmax") + ": expected matching floating dtypes, got "
                    + x.dtype() + " and " + out.dtype());
        }
        long cols = x.rank() == 0 ? 1 : x.shape()[x.rank() - 1];
        long rows = cols == 0 ? 0 : x.numel() / cols;
        if (rows == 0) return;
        try (ScratchTensors tmp = new ScratchTensors(backend)) {
            View in = tmp.dense(x);
            View dst = out.isContiguous() ? out : tmp.empty(out.dtype(), out.shape());
            Key key = new Key(x.dtype(), log);
            KernelCache kernels = backend.kernels();
            KernelCache.Kernel k = kernels.generated(key, key.entry(), () -> emit(key));
            long size = x.dtype().byteSize();
            KernelArgs args = new KernelArgs()
                    .ptr(in.storage().dataPtr() + in.offset() * size)
                    .ptr(dst.storage().dataPtr() + dst.offset() * size)
                    .u64(rows).u64(cols);
            kernels.launch(k, (int) Math.min(rows, 1 << 16), 1, 1, BLOCK, 1, 1, 0, args);
            if (dst != out) backend.copy(dst, out);
        }
    }

    static String emit(Key key) {
        boolean single = key.dtype() == DType.FLOAT32;
        String t = single ? "f32" : "f64";
        int size = key.dtype().byteSize();
        PtxBuilder b = new PtxBuilder();
        String x = b.b64(), out = b.b64(), rows = b.b64(), cols = b.b64();
        b.ins("ld.param.u64 %s, [x]", x);
        b.ins("ld.param.u64 %s, [out]", out);
        b.ins("ld.param.u64 %s, [rows]", rows);
        b.ins("ld.param.u64 %s, [cols]", cols);
        String tid32 = b.b32(), ntid32 = b.b32(), ctaid32 = b.b32(), nctaid32 = b.b32();
        b.ins("mov.u32 %s, %%tid.x", tid32);
        b.ins("mov.u32 %s, %%ntid.x", ntid32);
        b.ins("mov.u32 %s, %%ctaid.x", ctaid32);
        b.ins("mov.u32 %s, %%nctaid.x", nctaid32);
        String tid = b.b64(), ntid = b.b64(), row = b.b64(), rowStep = b.b64(), slot = b.b64(), base = b.b64();
        b.ins("cvt.u64.u32 %s, %s", tid, tid32);
        b.ins("cvt.u64.u32 %s, %s", ntid, ntid32);
        b.ins("cvt.u64.u32 %s, %s", row, ctaid32);
        b.ins("cvt.u64.u32 %s, %s", rowStep, nctaid32);
        b.ins("mov.u64 %s, red", base);
        b.ins("shl.b64 %s, %s, 3", slot, tid);
        b.ins("add.s64 %s, %s, %s", slot, base, slot);
        String rowLoop = b.label("row"), end = b.label("end"), p = b.pred();
        b.place(rowLoop);
        b.ins("setp.ge.u64 %s, %s, %s", p, row, rows);
        b.ins("@%s bra %s", p, end);
        String rowOff = b.b64(), xr = b.b64(), or = b.b64();
        b.ins("mul.lo.s64 %s, %s, %s", rowOff, row, cols);
        b.ins("shl.b64 %s, %s, %d", rowOff, rowOff, Integer.numberOfTrailingZeros(size));
        b.ins("add.s64 %s, %s, %s", xr, x, rowOff);
        b.ins("add.s64 %s, %s, %s", or, out, rowOff);

        // phase 1: NaN-propagating max, kept in f64 (exact for f32 too)
        String m = b.f64();
        b.ins("mov.f64 %s, 0dFFF0000000000000", m);
        columnLoop(b, tid, ntid, cols, xr, size, t, (v, j) -> {
            String take = b.pred(), nan = b.pred();
            b.ins("setp.gt.f64 %s, %s, %s", take, v, m);
            b.ins("setp.nan.f64 %s, %s, %s", nan, v, v);
            b.ins("or.pred %s, %s, %s", take, take, nan);
            b.ins("selp.f64 %s, %s, %s, %s", m, v, m, take);
        });
        String rowMax = blockReduce(b, slot, base, tid32, ntid32, m, true);
        String mT = single ? b.f32() : rowMax;
        if (single) b.ins("cvt.rn.f32.f64 %s, %s", mT, rowMax);

        // phase 2: sum of exp(x - m) in f64
        String s = b.f64();
        b.ins("mov.f64 %s, 0d0000000000000000", s);
        columnLoop(b, tid, ntid, cols, xr, size, t, (vd, j) -> {
            String e = expShifted(b, single, vd, mT);
            String ed = e;
            if (single) {
                ed = b.f64();
                b.ins("cvt.f64.f32 %s, %s", ed, e);
            }
            b.ins("add.rn.f64 %s, %s, %s", s, s, ed);
        });
        String total = blockReduce(b, slot, base, tid32, ntid32, s, false);
        String scale;
        if (key.log()) {
            String lg = PtxMath64.log(b, total);
            scale = lg;
            if (single) {
                scale = b.f32();
                b.ins("cvt.rn.f32.f64 %s, %s", scale, lg);
            }
        } else {
            scale = total;
            if (single) {
                scale = b.f32();
                b.ins("cvt.rn.f32.f64 %s, %s", scale, total);
            }
        }
        // phase 3: write
        String fs = scale;
        columnLoop(b, tid, ntid, cols, xr, size, t, (vd, j) -> {
            String r = single ? b.f32() : b.f64();
            if (key.log()) {
                String v = narrow(b, single, vd), d = single ? b.f32() : b.f64();
                b.ins("sub.rn.%s %s, %s, %s", t, d, v, mT);
                b.ins("sub.rn.%s %s, %s, %s", t, r, d, fs);
            } else {
                String e = expShifted(b, single, vd, mT);
                b.ins("div.rn.%s %s, %s, %s", t, r, e, fs);
            }
            String addr = b.b64();
            b.ins("shl.b64 %s, %s, %d", addr, j, Integer.numberOfTrailingZeros(size));
            b.ins("add.s64 %s, %s, %s", addr, or, addr);
            b.ins("st.global.%s [%s], %s", t, addr, r);
        });
        b.ins("add.s64 %s, %s, %s", row, row, rowStep);
        b.ins("bra.uni %s", rowLoop);
        b.place(end);
        b.ins("ret");
        return PtxBuilder.HEADER + b.moduleDecls() + "// generated by Flambeau's SoftmaxKernels: " + key + "\n"
                + ".visible .entry " + key.entry() + "(\n\t.param .u64 x,\n\t.param .u64 out,\n\t.param .u64 rows,\n"
                + "\t.param .u64 cols\n)\n{\n\t.shared .align 8 .b64 red[" + BLOCK + "];\n"
                + b.declarations() + b.body() + "}\n";
    }

    /** exp(x - m) in the element type; x arrives widened to f64. */
    private static String expShifted(PtxBuilder b, boolean single, String xd, String m) {
        String v = narrow(b, single, xd), d = single ? b.f32() : b.f64();
        b.ins("sub.rn.%s %s, %s, %s", single ? "f32" : "f64", d, v, m);
        return single ? PtxMath32.exp(b, d) : PtxMath64.exp(b, d);
    }

    private static String narrow(PtxBuilder b, boolean single, String xd) {
        if (!single) return xd;
        String v = b.f32();
        b.ins("cvt.rn.f32.f64 %s, %s", v, xd);
        return v;
    }

    /** Body of a loop over the row's columns j = tid, tid + ntid, ...: gets x[j] widened to f64 and j. */
    private interface ColumnBody { void emit(String xd, String j); }

    private static void columnLoop(PtxBuilder b, String tid, String ntid, String cols, String xr, int size, String t,
                                   ColumnBody body) {
        String j = b.b64(), p = b.pred(), loop = b.label("col"), done = b.label("col_done");
        b.ins("mov.u64 %s, %s", j, tid);
        b.place(loop);
        b.ins("setp.ge.u64 %s, %s, %s", p, j, cols);
        b.ins("@%s bra %s", p, done);
        String addr = b.b64(), xd = b.f64();
        b.ins("shl.b64 %s, %s, %d", addr, j, Integer.numberOfTrailingZeros(size));
        b.ins("add.s64 %s, %s, %s", addr, xr, addr);
        if (t.equals("f32")) {
            String v = b.f32();
            b.ins("ld.global.f32 %s, [%s]", v, addr);
            b.ins("cvt.f64.f32 %s, %s", xd, v);
        } else {
            b.ins("ld.global.f64 %s, [%s]", xd, addr);
        }
        body.emit(xd, j);
        b.ins("add.s64 %s, %s, %s", j, j, ntid);
        b.ins("bra.uni %s", loop);
        b.place(done);
    }

    /** Tree reduction of each thread's f64 {@code v} over the block (max with NaN, or sum); every thread gets the result. */
    private static String blockReduce(PtxBuilder b, String slot, String base, String tid32, String ntid32, String v, boolean max) {
        b.ins("st.shared.f64 [%s], %s", slot, v);
        b.ins("bar.sync 0");
        String s = b.b32(), p = b.pred(), loop = b.label("tree"), sync = b.label("tree_sync"), done = b.label("tree_done");
        b.ins("shr.u32 %s, %s, 1", s, ntid32);
        b.place(loop);
        b.ins("setp.eq.u32 %s, %s, 0", p, s);
        b.ins("@%s bra %s", p, done);
        String idle = b.pred();
        b.ins("setp.ge.u32 %s, %s, %s", idle, tid32, s);
        b.ins("@%s bra %s", idle, sync);
        String off = b.b64(), other = b.b64(), a = b.f64(), c = b.f64(), r = b.f64();
        b.ins("mul.wide.u32 %s, %s, 8", off, s);
        b.ins("add.s64 %s, %s, %s", other, slot, off);
        b.ins("ld.shared.f64 %s, [%s]", a, slot);
        b.ins("ld.shared.f64 %s, [%s]", c, other);
        if (max) {
            String take = b.pred(), nan = b.pred();
            b.ins("setp.gt.f64 %s, %s, %s", take, c, a);
            b.ins("setp.nan.f64 %s, %s, %s", nan, c, c);
            b.ins("or.pred %s, %s, %s", take, take, nan);
            b.ins("selp.f64 %s, %s, %s, %s", r, c, a, take);
        } else {
            b.ins("add.rn.f64 %s, %s, %s", r, a, c);
        }
        b.ins("st.shared.f64 [%s], %s", slot, r);
        b.place(sync);
        b.ins("bar.sync 0");
        b.ins("shr.u32 %s, %s, 1", s, s);
        b.ins("bra.uni %s", loop);
        b.place(done);
        String res = b.f64();
        b.ins("ld.shared.f64 %s, [%s]", res, base);
        b.ins("bar.sync 0"); // the slots are reused by the next reduction
        return res;
    }
}
