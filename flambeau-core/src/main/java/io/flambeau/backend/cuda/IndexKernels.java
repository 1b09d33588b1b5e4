package io.flambeau.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Generates the one-kernel forms of advanced indexing (see {@code backend.AdvancedIndex}): each
 * thread turns its result position into the offsets of the result (or values) element, the base
 * element and each index element, reads the indices, checks and wraps them, and moves one element.
 *
 * <p>Kernel parameters, in order:
 * <pre>
 *   .u64 n
 *   .u64 ptrJ, .u64 offJ for J = 0 (gather: out, scatter: values), 1 (indexed storage, base offset),
 *                          2 + k (index tensor k)
 *   .b8 shape[8*rank], .b8 stJ[8*rank]       collapsed result shape, each operand's element strides
 *   .s64 sizeK, .s64 strideK for each index   dim size (bounds, wrap) and the storage stride of that dim
 *   .u64 err, .u32 site                       the device error record, and what to record in it
 * </pre>
 * An index outside {@code [-size, size)} is not followed: the first such index of the device since
 * the record was last read claims the record ({@code atom.cas} on its flag) and writes the site,
 * which index, the bad value and the size ({@link DeviceErrorRecord}); a gather writes 0 there.
 *
 * @param scatter  gather (read through the indices) or scatter (write through them)
 * @param mode     gather: element size in bytes (1, 4, 8); scatter: the {@code put} modes of
 *                 {@code kernels/index.ptx}: 0/1/2 store 1/4/8 bytes, 3 add f32, 4 add f64,
 *                 5 add int64, 6 bool or
 */
record IndexKernels(boolean scatter, int mode, int rank, int indices, boolean wideIndex) {

    String kernelName() {
        return (scatter ? "index_put_m" : "index_gather_e") + mode + "_k" + indices + "_r" + rank
                + (wideIndex ? "_i64" : "_i32");
    }

    String emit() {
        int ops = 2 + indices;
        boolean narrow = !wideIndex;
        List<String> params = new ArrayList<>();
        params.add(".param .u64 n");
        for (int j = 0; j < ops; j++) {
            params.add(".param .u64 ptr" + j);
            params.add(".param .u64 off" + j);
        }
        params.add(".param .align 8 .b8 shape[" + 8 * Math.max(1, rank) + "]");
        for (int j = 0; j < ops; j++) params.add(".param .align 8 .b8 st" + j + "[" + 8 * Math.max(1, rank) + "]");
        for (int k = 0; k < indices; k++) {
            params.add(".param .s64 size" + k);
            params.add(".param .s64 stride" + k);
        }
        params.add(".param .u64 err");
        params.add(".param .u32 site");

        PtxBuilder b = new PtxBuilder();
        String n = b.b64(), err = b.b64(), site = b.b32();
        b.ins("ld.param.u64 %s, [n]", n);
        b.ins("ld.param.u64 %s, [err]", err);
        b.ins("ld.param.u32 %s, [site]", site);
        String[] ptr = new String[ops], off = new String[ops];
        for (int j = 0; j < ops; j++) {
            ptr[j] = b.b64();
            off[j] = b.b64();
            b.ins("ld.param.u64 %s, [ptr%d]", ptr[j], j);
            b.ins("ld.param.u64 %s, [off%d]", off[j], j);
        }
        String[] dim = new String[rank];
        String[][] st = new String[ops][rank];
        for (int d = 0; d < rank; d++) {
            String wide = b.b64();
            b.ins("ld.param.u64 %s, [shape+%d]", wide, 8 * d);
            if (narrow) {
                dim[d] = b.b32();
                b.ins("cvt.u32.u64 %s, %s", dim[d], wide);
            } else {
                dim[d] = wide;
            }
            for (int j = 0; j < ops; j++) {
                st[j][d] = b.b64();
                b.ins("ld.param.s64 %s, [st%d+%d]", st[j][d], j, 8 * d);
            }
        }
        String[] size = new String[indices], negSize = new String[indices], stride = new String[indices];
        for (int k = 0; k < indices; k++) {
            size[k] = b.b64();
            negSize[k] = b.b64();
            stride[k] = b.b64();
            b.ins("ld.param.s64 %s, [size%d]", size[k], k);
            b.ins("ld.param.s64 %s, [stride%d]", stride[k], k);
            b.ins("neg.s64 %s, %s", negSize[k], size[k]);
        }

        PtxBuilder.GridLoop grid = b.gridLoop(n, "loop");
        String i = grid.i();
        String next = b.label("next");

        String[] e = PtxEmitter.stridedOffsets(b, off, i, dim, st, narrow);
        String target = e[1];
        String[] value = new String[indices];
        String[] report = new String[indices];
        for (int k = 0; k < indices; k++) {
            String a = b.b64(), bad = b.pred(), high = b.pred(), negative = b.pred();
            value[k] = b.b64();
            report[k] = b.label("bad" + k);
            b.ins("shl.b64 %s, %s, 3", a, e[2 + k]);
            b.ins("add.s64 %s, %s, %s", a, ptr[2 + k], a);
            b.ins("ld.global.s64 %s, [%s]", value[k], a);
            b.ins("setp.lt.s64 %s, %s, %s", bad, value[k], negSize[k]);
            b.ins("setp.ge.s64 %s, %s, %s", high, value[k], size[k]);
            b.ins("or.pred %s, %s, %s", bad, bad, high);
            b.ins("@%s bra %s", bad, report[k]);
            String wrapped = b.b64();
            b.ins("setp.lt.s64 %s, %s, 0", negative, value[k]);
            b.ins("add.s64 %s, %s, %s", wrapped, value[k], size[k]);
            b.ins("selp.b64 %s, %s, %s, %s", wrapped, wrapped, value[k], negative);
            String moved = b.b64();
            b.ins("mad.lo.s64 %s, %s, %s, %s", moved, wrapped, stride[k], target);
            target = moved;
        }
        if (scatter) scatterElement(b, ptr[1], target, ptr[0], e[0]);
        else gatherElement(b, ptr[1], target, ptr[0], e[0]);
        b.ins("bra.uni %s", next);

        for (int k = 0; k < indices; k++) {
            b.place(report[k]);
            String old = b.b32(), won = b.pred(), a = b.b64(), which = b.b32();
            b.ins("atom.global.cas.b32 %s, [%s], 0, 1", old, err);
            b.ins("setp.eq.u32 %s, %s, 0", won, old);
            b.ins("mov.u32 %s, %d", which, k);
            b.ins("@%s st.global.u32 [%s+4], %s", won, err, site);
            b.ins("@%s st.global.u32 [%s+8], %s", won, err, which);
            b.ins("@%s st.global.s64 [%s+16], %s", won, err, value[k]);
            b.ins("@%s st.global.s64 [%s+24], %s", won, err, size[k]);
            if (!scatter) { // a defined value where the index was bad
                int es = mode;
                b.ins("mad.lo.s64 %s, %s, %d, %s", a, e[0], es, ptr[0]);
                String zero = es == 8 ? b.b64() : b.b32();
                b.ins("mov.%s %s, 0", es == 8 ? "b64" : "b32", zero);
                b.ins("st.global.%s [%s], %s", es == 1 ? "u8" : es == 4 ? "b32" : "b64", a, zero);
            }
            b.ins("bra.uni %s", next);
        }

        b.place(next);
        b.endGridLoop(grid);
        b.ins("ret");
        return PtxBuilder.HEADER + "// generated by Flambeau's IndexKernels: " + this + "\n"
                + ".visible .entry " + kernelName() + "(\n\t" + String.join(",\n\t", params) + "\n)\n{\n"
                + b.declarations() + b.body() + "}\n";
    }

    /** {@code out[o] = src[s]}, copying {@code mode} bytes. */
    private void gatherElement(PtxBuilder b, String src, String s, String out, String o) {
        String from = b.b64(), to = b.b64();
        b.ins("mad.lo.s64 %s, %s, %d, %s", from, s, mode, src);
        b.ins("mad.lo.s64 %s, %s, %d, %s", to, o, mode, out);
        if (mode == 8) {
            String v = b.b64();
            b.ins("ld.global.b64 %s, [%s]", v, from);
            b.ins("st.global.b64 [%s], %s", to, v);
        } else {
            String v = b.b32();
            String w = mode == 4 ? "b32" : "u8";
            b.ins("ld.global.%s %s, [%s]", w, v, from);
            b.ins("st.global.%s [%s], %s", w, to, v);
        }
    }

    /** {@code dst[d] (op)= vals[v]} by the put mode. */
    private void scatterElement(PtxBuilder b, String dst, String d, String vals, String v) {
        int es = switch (mode) {
            case 0, 6 -> 1;
            case 1, 3 -> 4;
            default -> 8;
        };
        String to = b.b64(), from = b.b64();
        b.ins("mad.lo.s64 %s, %s, %d, %s", to, d, es, dst);
        b.ins("mad.lo.s64 %s, %s, %d, %s", from, v, es, vals);
        switch (mode) {
            case 0 -> {
                String r = b.b32();
                b.ins("ld.global.u8 %s, [%s]", r, from);
                b.ins("st.global.u8 [%s], %s", to, r);
            }
            case 1 -> {
                String r = b.b32();
                b.ins("ld.global.b32 %s, [%s]", r, from);
                b.ins("st.global.b32 [%s], %s", to, r);
            }
            case 2 -> {
                String r = b.b64();
                b.ins("ld.global.b64 %s, [%s]", r, from);
                b.ins("st.global.b64 [%s], %s", to, r);
            }
            case 3 -> {
                String r = b.f32();
                b.ins("ld.global.f32 %s, [%s]", r, from);
                b.ins("red.global.add.f32 [%s], %s", to, r);
            }
            case 4 -> {
                String r = b.f64();
                b.ins("ld.global.f64 %s, [%s]", r, from);
                b.ins("red.global.add.f64 [%s], %s", to, r);
            }
            case 5 -> {
                String r = b.b64();
                b.ins("ld.global.u64 %s, [%s]", r, from);
                b.ins("red.global.add.u64 [%s], %s", to, r);
            }
            default -> { // bool "or": every writer of a true value stores the same byte
                String r = b.b32(), one = b.b32(), zero = b.pred(), skip = b.label("false");
                b.ins("ld.global.u8 %s, [%s]", r, from);
                b.ins("setp.eq.u32 %s, %s, 0", zero, r);
                b.ins("@%s bra %s", zero, skip);
                b.ins("mov.u32 %s, 1", one);
                b.ins("st.global.u8 [%s], %s", to, one);
                b.place(skip);
            }
        }
    }
}
