package io.flambeau.backend.cuda;

import java.util.Locale;

/**
 * Accumulates the body of one generated PTX kernel: hands out fresh virtual registers by class,
 * labels, and instruction lines, and renders the register declarations they need. ptxas does the
 * register allocation, so every value gets its own register.
 */
final class PtxBuilder {
    /** Register classes: name prefix and declared type. */
    enum Reg {
        PRED("%p", ".pred"), B32("%r", ".b32"), B64("%rd", ".b64"), F32("%f", ".f32"), F64("%fd", ".f64");

        final String prefix;
        final String type;

        Reg(String prefix, String type) {
            this.prefix = prefix;
            this.type = type;
        }
    }

    private final int[] counts = new int[Reg.values().length];
    private final StringBuilder body = new StringBuilder();
    private final java.util.Map<String, String> moduleDecls = new java.util.LinkedHashMap<>();
    private int labels;

    /** Declares a module-level variable (a constant table) once, whatever the number of uses. */
    void moduleDecl(String name, String declaration) {
        moduleDecls.putIfAbsent(name, declaration);
    }

    /** The module-level declarations, to be placed before the entry. */
    String moduleDecls() {
        return moduleDecls.isEmpty() ? "" : String.join("\n", moduleDecls.values()) + "\n\n";
    }

    String reg(Reg r) { return r.prefix + counts[r.ordinal()]++; }

    String pred() { return reg(Reg.PRED); }

    String b32() { return reg(Reg.B32); }

    String b64() { return reg(Reg.B64); }

    String f32() { return reg(Reg.F32); }

    String f64() { return reg(Reg.F64); }

    /** Appends one instruction (the trailing semicolon is added). */
    PtxBuilder ins(String instruction) {
        body.append('\t').append(instruction).append(";\n");
        return this;
    }

    PtxBuilder ins(String format, Object... args) {
        return ins(String.format(Locale.ROOT, format, args));
    }

    /**
     * A grid-stride loop over {@code i} in {@code [0, n)}: each thread starts at its global index and
     * steps by the grid's size. {@code done} follows the loop (a body may branch there).
     */
    record GridLoop(String i, String n, String step, String loop, String done) {}

    /** Opens a {@link GridLoop} over the u64 register {@code n}; the body follows, then {@link #endGridLoop}. */
    GridLoop gridLoop(String n, String hint) {
        String ctaid = b32(), ntid = b32(), tid = b32(), nctaid = b32(), i = b64(), t = b64(), step = b64();
        String outOfRange = pred();
        GridLoop g = new GridLoop(i, n, step, label(hint), label("done"));
        ins("mov.u32 %s, %%ctaid.x", ctaid);
        ins("mov.u32 %s, %%ntid.x", ntid);
        ins("mov.u32 %s, %%tid.x", tid);
        ins("mov.u32 %s, %%nctaid.x", nctaid);
        ins("mul.wide.u32 %s, %s, %s", i, ctaid, ntid);
        ins("cvt.u64.u32 %s, %s", t, tid);
        ins("add.s64 %s, %s, %s", i, i, t);
        ins("mul.wide.u32 %s, %s, %s", step, nctaid, ntid);
        ins("setp.ge.u64 %s, %s, %s", outOfRange, i, n);
        ins("@%s bra %s", outOfRange, g.done());
        place(g.loop());
        return g;
    }

    /** Steps {@code g}'s index to the thread's next element, loops while it is below n, and places {@code done}. */
    void endGridLoop(GridLoop g) {
        String more = pred();
        ins("add.s64 %s, %s, %s", g.i(), g.i(), g.step());
        ins("setp.lt.u64 %s, %s, %s", more, g.i(), g.n());
        ins("@%s bra %s", more, g.loop());
        place(g.done());
    }

    /** A fresh label name; place it with {@link #place}. */
    String label(String hint) { return "$L_" + hint + "_" + labels++; }

    PtxBuilder place(String label) {
        body.append(label).append(":\n");
        return this;
    }

    PtxBuilder comment(String text) {
        body.append("\t// ").append(text).append('\n');
        return this;
    }

    /** {@code .reg} lines for every class used so far. */
    String declarations() {
        StringBuilder sb = new StringBuilder();
        for (Reg r : Reg.values()) {
            int n = counts[r.ordinal()];
            if (n > 0) sb.append("\t.reg ").append(r.type).append(' ').append(r.prefix).append('<').append(n).append(">;\n");
        }
        return sb.toString();
    }

    String body() { return body.toString(); }

    /** PTX literal with the exact bits of a float ({@code 0f3F800000}). */
    static String f32(float v) {
        return String.format(Locale.ROOT, "0f%08X", Float.floatToRawIntBits(v));
    }

    /** PTX literal with the exact bits of a double ({@code 0d3FF0000000000000}). */
    static String f64(double v) {
        return String.format(Locale.ROOT, "0d%016X", Double.doubleToRawLongBits(v));
    }

    /** The module header every Flambeau kernel uses (see PTX-NOTES: JIT-able by CUDA 11+ drivers). */
    static final String HEADER = ".version 7.0\n.target sm_75\n.address_size 64\n\n";
}
