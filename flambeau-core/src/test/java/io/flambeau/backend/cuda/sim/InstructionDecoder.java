package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.sim.PtxKernel.Uniform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a kernel's statements into {@link Insn}s: resolves register names to register-file rows,
 * turns immediates, special registers and variable addresses into uniform rows, lays out shared
 * memory, checks operand types the way ptxas does (size and kind compatibility), and refuses every
 * instruction or modifier outside the supported subset with the PTX line. Opcode families live in
 * {@link ArithmeticDecoder} (ALU work) and {@link DataDecoder} (data movement, control, atomics).
 */
final class InstructionDecoder {
    /** Static plus dynamic shared memory per block, as on sm_75 without opt-in. */
    static final int MAX_SHARED_BYTES = 48 * 1024;

    final PtxModule module;
    final PtxKernel kernel;
    private final DecodeOptions options;
    private final Map<String, Integer> regRow = new HashMap<>();
    private final List<PtxType> regType = new ArrayList<>();
    private final Map<String, VarDecl> sharedVars = new HashMap<>();
    private final Map<Long, Integer> constRows = new HashMap<>();
    private final Map<Long, Integer> specialRows = new HashMap<>();
    private final List<int[]> uniforms = new ArrayList<>();
    private final List<Long> uniformValues = new ArrayList<>();
    private int rows;
    Statement st;

    InstructionDecoder(PtxModule module, PtxKernel kernel, DecodeOptions options) {
        this.module = module;
        this.kernel = kernel;
        this.options = options;
    }

    DecodeOptions options() { return options; }

    void decode() {
        layoutShared();
        for (Map.Entry<String, PtxType> e : kernel.registers.entrySet()) {
            regRow.put(e.getKey(), rows++);
            regType.add(e.getValue());
        }
        int n = kernel.statements.size();
        Insn[] code = new Insn[n + 1];
        ArithmeticDecoder alu = new ArithmeticDecoder(this);
        DataDecoder data = new DataDecoder(this);
        for (int i = 0; i < n; i++) {
            st = kernel.statements.get(i);
            Insn in = new Insn(st.line(), st.text());
            if (st.guard() != null) {
                in.guard = predicate(st.guard());
                in.guardNeg = st.guardNegated();
            }
            Modifiers mods = new Modifiers(st.opcode(), st.line());
            if (!alu.decode(in, mods) && !data.decode(in, mods)) {
                throw error("unknown or unsupported instruction '" + mods.base + "'");
            }
            mods.done();
            code[i] = in;
        }
        Insn end = new Insn(n == 0 ? kernel.line : kernel.statements.get(n - 1).line(), "(end of kernel)");
        end.op = Op.EXIT;
        code[n] = end;
        kernel.code = code;
        kernel.rows = rows;
        kernel.uniformRow = new int[uniforms.size()];
        kernel.uniformKind = new int[uniforms.size()];
        kernel.uniformValue = new long[uniforms.size()];
        for (int i = 0; i < uniforms.size(); i++) {
            kernel.uniformRow[i] = uniforms.get(i)[0];
            kernel.uniformKind[i] = uniforms.get(i)[1];
            kernel.uniformValue[i] = uniformValues.get(i);
        }
    }

    private void layoutShared() {
        int off = 0;
        List<VarDecl> all = new ArrayList<>(module.moduleShared);
        all.addAll(kernel.shared);
        for (VarDecl v : all) {
            off = align(off, v.align());
            if (sharedVars.put(v.name(), v.withOffset(off)) != null) {
                throw new PtxSyntaxException(v.line(), "shared variable '" + v.name() + "' declared twice");
            }
            off += v.size();
        }
        kernel.staticSharedBytes = off;
        if (module.externShared != null) {
            VarDecl v = module.externShared;
            off = align(off, Math.max(v.align(), 16));
            sharedVars.put(v.name(), v.withOffset(off));
        }
        kernel.dynamicSharedOffset = off;
        if (kernel.staticSharedBytes > MAX_SHARED_BYTES) {
            throw new PtxSyntaxException(kernel.line, "kernel '" + kernel.name + "' uses " + kernel.staticSharedBytes
                    + " bytes of shared data; the limit is " + MAX_SHARED_BYTES);
        }
    }

    static int align(int off, int a) {
        return (off + a - 1) & -a;
    }

    // ---- operand resolution ---------------------------------------------------------------------

    PtxSyntaxException error(String message) {
        return new PtxSyntaxException(st != null ? st.line() : kernel.line, message);
    }

    List<Operand> operands(int count) {
        List<Operand> ops = st.operands();
        if (ops.size() != count) {
            throw error("'" + st.opcode() + "' takes " + count + " operands but has " + ops.size());
        }
        return ops;
    }

    /** The declared register's type, or null if {@code name} is not a declared register. */
    PtxType registerType(String name) {
        Integer row = regRow.get(name);
        return row == null ? null : regType.get(row);
    }

    private int declared(String name, PtxType want, boolean wide, String role) {
        Integer row = regRow.get(name);
        if (row == null) {
            if (Uniform.special(name) >= 0) throw error("special register " + name + " may only be read by mov or cvt");
            if (sharedVars.containsKey(name) || module.globalIndex(name) >= 0) {
                throw error("variable '" + name + "' used as a register; take its address with mov");
            }
            throw error("undeclared register " + name);
        }
        PtxType have = regType.get(row);
        boolean ok = wide ? want.acceptsWideRegister(have) : want.acceptsRegister(have);
        if (!ok) {
            throw error(role + " " + name + " is declared ." + have.ptxName() + ", which does not fit ."
                    + want.ptxName() + " (operand types must match in size and kind)");
        }
        return row;
    }

    /** A destination register compatible with {@code t}. */
    int dst(Operand o, PtxType t) {
        if (o.kind() != Operand.Kind.NAME) throw error("destination must be a register, not " + o);
        return declared(o.name(), t, false, "destination");
    }

    /** A destination register at least as wide as {@code t} (ld, cvt). */
    int dstWide(Operand o, PtxType t) {
        if (o.kind() != Operand.Kind.NAME) throw error("destination must be a register, not " + o);
        return declared(o.name(), t, true, "destination");
    }

    /** A source: register compatible with {@code t}, or an immediate of type {@code t}. */
    int src(Operand o, PtxType t) {
        return source(o, t, false, false);
    }

    /** As {@link #src} but also accepts wider registers (st, cvt) and, if asked, special registers. */
    int source(Operand o, PtxType t, boolean wide, boolean special) {
        switch (o.kind()) {
            case NUMBER -> {
                if (t.isFloat() != PtxLiterals.isFloatLiteral(o.number()) && t != PtxType.PRED) {
                    throw error((t.isFloat() ? "a float" : "an integer") + " literal is needed for ." + t.ptxName()
                            + ", not " + o.number());
                }
                return constRow(PtxLiterals.bitsFor(t, o.number(), st.line()));
            }
            case NAME -> {
                int sp = Uniform.special(o.name());
                if (sp >= 0 && regRow.get(o.name()) == null) {
                    if (!special) throw error("special register " + o.name() + " may only be read by mov or cvt");
                    if (!t.acceptsWideRegister(PtxType.U32) && !t.acceptsRegister(PtxType.U32)) {
                        throw error("special register " + o.name() + " is .u32 and does not fit ." + t.ptxName());
                    }
                    return specialRow(sp);
                }
                return declared(o.name(), t, wide, "source");
            }
            default -> throw error("expected a register or immediate but found " + o);
        }
    }

    /** A predicate register by name. */
    int predicate(String name) {
        Integer row = regRow.get(name);
        if (row == null) throw error("undeclared predicate " + name);
        if (regType.get(row) != PtxType.PRED) throw error(name + " is not a .pred register");
        return row;
    }

    /** A 32-bit shift amount or lane index: a .u32-compatible register or an integer immediate. */
    int u32Source(Operand o) {
        return src(o, PtxType.U32);
    }

    // ---- uniform rows ---------------------------------------------------------------------------

    int constRow(long value) {
        return constRows.computeIfAbsent(value, v -> uniform(Uniform.CONST, v));
    }

    int specialRow(int kind) {
        return specialRows.computeIfAbsent((long) kind, k -> uniform(kind, 0));
    }

    private int uniform(int kind, long value) {
        int row = rows++;
        uniforms.add(new int[] {row, kind});
        uniformValues.add(value);
        return row;
    }

    /** The row of a declared register (type already checked by the caller). */
    int registerRow(String name) {
        return regRow.get(name);
    }

    /** The shared variable named {@code name} (with its offset), or null. */
    VarDecl sharedVar(String name) {
        return sharedVars.get(name);
    }

    /** Row holding the address of a module .global/.const variable. */
    int globalVarRow(int index) {
        return specialRows.computeIfAbsent(1000L + index, k -> uniform(Uniform.GLOBAL_VAR, index));
    }

    /** Checks the module's .target and .version allow a feature. */
    void requireTarget(int sm, int version, String feature) {
        if (module.targetSm < sm) throw error(feature + " requires .target sm_" + sm + " or higher");
        if (module.version() < version) {
            throw error(feature + " requires PTX ISA " + version / 10 + "." + version % 10 + " or higher");
        }
    }
}
