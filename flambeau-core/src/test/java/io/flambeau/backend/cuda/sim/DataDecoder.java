package io.flambeau.backend.cuda.sim;

import java.util.List;

/**
 * Decodes data movement ({@code mov, ld, st, cvta}), control ({@code bra, ret, exit, bar.sync},
 * memory fences), atomics ({@code atom, red}) and warp ops ({@code shfl.sync, vote.sync}).
 */
final class DataDecoder {
    private final InstructionDecoder dec;

    DataDecoder(InstructionDecoder dec) {
        this.dec = dec;
    }

    boolean decode(Insn in, Modifiers mods) {
        switch (mods.base) {
            case "mov" -> mov(in, mods);
            case "ld" -> load(in, mods);
            case "st" -> store(in, mods);
            case "cvta" -> cvta(in, mods);
            case "bra" -> branch(in, mods);
            case "ret", "exit" -> {
                mods.has("uni");
                dec.operands(0);
                in.op = Op.EXIT;
            }
            case "bar", "barrier" -> barrier(in, mods);
            case "membar", "fence" -> {
                mods.takeAll();
                dec.operands(0);
                in.op = Op.NOP;
            }
            case "atom", "red" -> atomic(in, mods);
            case "shfl" -> shuffle(in, mods);
            case "vote" -> vote(in, mods);
            default -> { return false; }
        }
        return true;
    }

    private void mov(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        List<Operand> o = dec.operands(2);
        Operand d = o.get(0), a = o.get(1);
        if (d.kind() == Operand.Kind.VECTOR || a.kind() == Operand.Kind.VECTOR) {
            Operand vec = d.kind() == Operand.Kind.VECTOR ? d : a;
            if ((t != PtxType.B64 && t != PtxType.B32) || vec.elements().size() != 2) {
                throw dec.error("vector mov is supported as mov.b64 with {b32, b32} or mov.b32 with {b16, b16}");
            }
            PtxType half = t == PtxType.B64 ? PtxType.B32 : PtxType.B16;
            in.bits = half.bits;
            if (vec == d) {
                in.d = dec.dst(Operand.name(vec.elements().get(0)), half);
                in.d2 = dec.dst(Operand.name(vec.elements().get(1)), half);
                in.a = dec.src(a, t);
                in.op = Op.UNPACK;
            } else {
                in.d = dec.dst(d, t);
                in.a = dec.src(Operand.name(vec.elements().get(0)), half);
                in.b = dec.src(Operand.name(vec.elements().get(1)), half);
                in.op = Op.PACK;
            }
            return;
        }
        in.d = dec.dst(d, t);
        in.a = a.kind() == Operand.Kind.NAME && dec.registerType(a.name()) == null && isVariable(a.name())
                ? variableAddress(a.name(), t) : dec.source(a, t, false, true);
        in.op = Op.MOV;
    }

    private boolean isVariable(String name) {
        return dec.sharedVar(name) != null || dec.module.globalIndex(name) >= 0 || dec.kernel.param(name) != null;
    }

    /** Row holding a variable's address in its own state space ({@code mov.u64 %rd, smem}). */
    private int variableAddress(String name, PtxType t) {
        if (dec.kernel.param(name) != null) throw dec.error("taking the address of parameter '" + name + "' is not supported; use ld.param");
        VarDecl sv = dec.sharedVar(name);
        if (sv != null) {
            if (t.isFloat() || t == PtxType.PRED || t.bits < 32) throw dec.error("a shared address needs a 32- or 64-bit integer type");
            return dec.constRow(sv.offset());
        }
        if (t.isFloat() || t == PtxType.PRED || t.bits != 64) throw dec.error("a global address needs a 64-bit integer type");
        return dec.globalVarRow(dec.module.globalIndex(name));
    }

    private int vectorCount(Modifiers mods) {
        String v = mods.first("v2", "v4");
        return v == null ? 1 : v.equals("v2") ? 2 : 4;
    }

    /** Ignored qualifiers: caching hints and memory-ordering of plain loads/stores. */
    private void memoryQualifiers(Modifiers mods) {
        mods.first("ca", "cg", "cs", "lu", "cv", "wb", "wt");
        mods.first("volatile", "weak", "relaxed", "acquire", "release");
        mods.first("cta", "gpu", "sys");
    }

    private void load(Insn in, Modifiers mods) {
        StateSpace sp = mods.space();
        boolean nc = mods.has("nc");
        memoryQualifiers(mods);
        int vn = vectorCount(mods);
        PtxType t = mods.type();
        if (t == PtxType.PRED) throw mods.error("ld does not take .pred");
        if (nc && sp != StateSpace.GLOBAL) throw mods.error(".nc applies to ld.global only");
        if (sp == StateSpace.LOCAL) throw mods.error(".local is not supported by the simulator");
        List<Operand> o = dec.operands(2);
        dataRegisters(in, o.get(0), t, vn, true);
        in.kind = IntKind.of(t);
        if (sp == StateSpace.PARAM) {
            Operand a = o.get(1);
            if (a.kind() != Operand.Kind.ADDRESS || a.name() == null || dec.kernel.param(a.name()) == null) {
                throw dec.error("ld.param needs [param] or [param+offset] naming a kernel parameter");
            }
            VarDecl p = dec.kernel.param(a.name());
            int bytes = t.bytes() * vn;
            if (a.offset() < 0 || a.offset() + bytes > p.size()) {
                throw dec.error("ld.param of " + bytes + " bytes at offset " + a.offset() + " is outside parameter '"
                        + p.name() + "' (" + p.size() + " bytes)");
            }
            if ((p.offset() + a.offset()) % bytes != 0) throw dec.error("ld.param at offset " + a.offset() + " is not " + bytes + "-byte aligned");
            in.imm = p.offset() + a.offset();
            in.op = Op.LD_PARAM;
            return;
        }
        address(in, o.get(1), sp);
        in.op = Op.LD;
    }

    private void store(Insn in, Modifiers mods) {
        StateSpace sp = mods.space();
        memoryQualifiers(mods);
        int vn = vectorCount(mods);
        PtxType t = mods.type();
        if (t == PtxType.PRED) throw mods.error("st does not take .pred");
        if (sp == StateSpace.PARAM || sp == StateSpace.CONST) throw mods.error("st." + sp.name().toLowerCase() + " is not allowed in a kernel");
        if (sp == StateSpace.LOCAL) throw mods.error(".local is not supported by the simulator");
        List<Operand> o = dec.operands(2);
        address(in, o.get(0), sp);
        in.kind = IntKind.of(t);
        if (vn > 1) {
            dataRegisters(in, o.get(1), t, vn, false);
        } else {
            in.b = dec.source(o.get(1), t, true, false);
        }
        in.op = Op.ST;
    }

    /** Load destination(s) or vector store sources. */
    private void dataRegisters(Insn in, Operand o, PtxType t, int vn, boolean load) {
        if (vn == 1) {
            if (o.kind() == Operand.Kind.VECTOR) throw dec.error("vector operand needs .v2 or .v4");
            in.d = dec.dstWide(o, t);
            return;
        }
        if (o.kind() != Operand.Kind.VECTOR || o.elements().size() != vn) {
            throw dec.error(".v" + vn + " needs a {..} operand of " + vn + " registers");
        }
        if (t.bytes() * vn > 16) throw dec.error("vector accesses are at most 16 bytes");
        in.vec = new int[vn];
        for (int i = 0; i < vn; i++) {
            Operand e = Operand.name(o.elements().get(i));
            in.vec[i] = load ? dec.dstWide(e, t) : dec.source(e, t, true, false);
        }
    }

    /** Resolves {@code [base+offset]} into address row, offset and 32-bit flag. */
    private void address(Insn in, Operand a, StateSpace sp) {
        if (a.kind() != Operand.Kind.ADDRESS) throw dec.error("expected an address [...] but found " + a);
        in.space = sp;
        in.imm = a.offset();
        if (a.name() == null) {
            in.a = dec.constRow(PtxLiterals.intValue(a.number(), dec.st.line()));
            return;
        }
        String name = a.name();
        PtxType rt = dec.registerType(name);
        if (rt != null) {
            if (rt.isFloat() || rt == PtxType.PRED || rt.bits < 32) throw dec.error("address register " + name + " must be a 32- or 64-bit integer");
            if (rt.bits == 32) {
                if (sp != StateSpace.SHARED) throw dec.error("a 32-bit address register is only valid for .shared accesses");
                in.addr32 = true;
            }
            in.a = dec.registerRow(name);
            return;
        }
        VarDecl sv = dec.sharedVar(name);
        if (sv != null) {
            if (sp != StateSpace.SHARED) throw dec.error("shared variable '" + name + "' accessed without .shared (use ld.shared/st.shared or cvta)");
            in.a = dec.constRow(sv.offset());
            return;
        }
        int gi = dec.module.globalIndex(name);
        if (gi >= 0) {
            StateSpace vs = dec.module.globals.get(gi).space();
            if (sp != vs && sp != StateSpace.GENERIC) throw dec.error("'" + name + "' is a ." + vs.name().toLowerCase() + " variable");
            if (sp == StateSpace.GENERIC && vs == StateSpace.CONST) throw dec.error("const variable '" + name + "' needs ld.const");
            in.a = dec.globalVarRow(gi);
            return;
        }
        if (dec.kernel.param(name) != null) throw dec.error("parameter '" + name + "' is read with ld.param");
        throw dec.error("unknown register or variable '" + name + "' in address");
    }

    private void cvta(Insn in, Modifiers mods) {
        boolean to = mods.has("to");
        StateSpace sp = mods.space();
        PtxType t = mods.type();
        if (t != PtxType.U64 && t != PtxType.U32) throw mods.error("cvta takes .u32 or .u64");
        if (sp == StateSpace.GENERIC || sp == StateSpace.PARAM) throw mods.error("cvta needs .global, .shared or .const");
        if (sp == StateSpace.LOCAL) throw mods.error(".local is not supported by the simulator");
        if (sp != StateSpace.SHARED && t != PtxType.U64) throw mods.error("cvta for ." + sp.name().toLowerCase() + " takes .u64");
        List<Operand> o = dec.operands(2);
        in.d = dec.dst(o.get(0), t);
        Operand a = o.get(1);
        in.a = a.kind() == Operand.Kind.NAME && dec.registerType(a.name()) == null && isVariable(a.name())
                ? variableAddress(a.name(), t) : dec.src(a, t);
        if (sp == StateSpace.SHARED) {
            // generic shared addresses are shared-space addresses plus the shared window base
            in.b = dec.constRow(ExecutionContext.SHARED_WINDOW);
            in.op = to ? Op.SUB : Op.ADD;
        } else {
            in.op = Op.MOV;
        }
    }

    private void branch(Insn in, Modifiers mods) {
        mods.has("uni");
        List<Operand> o = dec.operands(1);
        if (o.get(0).kind() != Operand.Kind.NAME) throw dec.error("bra needs a label");
        Integer target = dec.kernel.labels.get(o.get(0).name());
        if (target == null) throw dec.error("unknown label '" + o.get(0).name() + "'");
        in.target = target;
        in.op = Op.BRA;
    }

    private void barrier(Insn in, Modifiers mods) {
        boolean cta = mods.base.equals("bar") && mods.has("cta");
        if (!mods.has("sync")) throw mods.error("only bar.sync / barrier.sync are supported");
        mods.has("aligned");
        List<Operand> o = dec.st.operands();
        if (o.size() != 1 || o.get(0).kind() != Operand.Kind.NUMBER) {
            throw dec.error(mods.base + ".sync is supported with a single literal barrier number (thread counts are not)");
        }
        if (PtxLiterals.intValue(o.get(0).number(), dec.st.line()) != 0) {
            throw dec.error("only barrier 0 is supported by the simulator");
        }
        if (cta) dec.requireTarget(0, 78, "bar.cta");
        in.op = Op.BAR;
    }

    private void atomic(Insn in, Modifiers mods) {
        boolean red = mods.base.equals("red");
        StateSpace sp = mods.space();
        if (sp != StateSpace.GLOBAL && sp != StateSpace.SHARED && sp != StateSpace.GENERIC) {
            throw mods.error(mods.base + " works on .global, .shared or generic addresses");
        }
        mods.first("relaxed", "acquire", "release", "acq_rel");
        mods.first("cta", "gpu", "sys");
        String op = mods.first("add", "min", "max", "exch", "cas", "and", "or", "xor", "inc", "dec");
        if (op == null) throw mods.error(mods.base + " needs an operation such as .add");
        if (red && (op.equals("exch") || op.equals("cas"))) throw mods.error("red has no ." + op);
        PtxType t = mods.type();
        boolean ok = switch (op) {
            case "add" -> t == PtxType.U32 || t == PtxType.S32 || t == PtxType.U64 || t == PtxType.F32 || t == PtxType.F64;
            case "min", "max" -> t == PtxType.U32 || t == PtxType.S32 || t == PtxType.U64 || t == PtxType.S64;
            case "exch", "cas", "and", "or", "xor" -> t == PtxType.B32 || t == PtxType.B64;
            default -> t == PtxType.U32;
        };
        if (!ok) throw mods.error(mods.base + "." + op + " does not take ." + t.ptxName());
        if (t == PtxType.F64) dec.requireTarget(60, 0, mods.base + ".add.f64");
        int n = (red ? 2 : 3) + (op.equals("cas") ? 1 : 0);
        List<Operand> o = dec.operands(n);
        int i = 0;
        if (!red) in.d = dec.dst(o.get(i++), t);
        address(in, o.get(i++), sp);
        in.b = dec.src(o.get(i++), t);
        if (op.equals("cas")) in.c = dec.src(o.get(i), t);
        in.kind = IntKind.of(t);
        in.sub = switch (op) {
            case "add" -> t == PtxType.F32 ? MemoryUnit.ATOM_ADD_F32 : t == PtxType.F64 ? MemoryUnit.ATOM_ADD_F64 : MemoryUnit.ATOM_ADD;
            case "min" -> MemoryUnit.ATOM_MIN;
            case "max" -> MemoryUnit.ATOM_MAX;
            case "exch" -> MemoryUnit.ATOM_EXCH;
            case "cas" -> MemoryUnit.ATOM_CAS;
            case "and" -> MemoryUnit.ATOM_AND;
            case "or" -> MemoryUnit.ATOM_OR;
            case "xor" -> MemoryUnit.ATOM_XOR;
            case "inc" -> MemoryUnit.ATOM_INC;
            default -> MemoryUnit.ATOM_DEC;
        };
        in.op = red ? Op.RED : Op.ATOM;
    }

    private void shuffle(Insn in, Modifiers mods) {
        if (!mods.has("sync")) throw mods.error("only shfl.sync is supported");
        String mode = mods.first("up", "down", "bfly", "idx");
        if (mode == null) throw mods.error("shfl.sync needs .up, .down, .bfly or .idx");
        PtxType t = mods.type();
        if (t != PtxType.B32) throw mods.error("shfl.sync takes .b32");
        dec.requireTarget(30, 60, "shfl.sync");
        List<Operand> o = dec.operands(5);
        Operand d = o.get(0);
        if (d.kind() == Operand.Kind.PAIR) {
            in.d = dec.dst(Operand.name(d.name()), t);
            in.d2 = dec.predicate(d.name2());
        } else {
            in.d = dec.dst(d, t);
        }
        in.a = dec.src(o.get(1), t);
        in.b = dec.u32Source(o.get(2));
        in.c = dec.u32Source(o.get(3));
        in.e = dec.u32Source(o.get(4));
        in.sub = switch (mode) {
            case "up" -> WarpUnit.SHFL_UP;
            case "down" -> WarpUnit.SHFL_DOWN;
            case "bfly" -> WarpUnit.SHFL_BFLY;
            default -> WarpUnit.SHFL_IDX;
        };
        in.op = Op.SHFL;
    }

    private void vote(Insn in, Modifiers mods) {
        if (!mods.has("sync")) throw mods.error("only vote.sync is supported");
        String mode = mods.first("all", "any", "uni", "ballot");
        if (mode == null) throw mods.error("vote.sync needs .all, .any, .uni or .ballot");
        PtxType t = mods.type();
        boolean ballot = mode.equals("ballot");
        if (t != (ballot ? PtxType.B32 : PtxType.PRED)) throw mods.error("vote.sync." + mode + " takes ." + (ballot ? "b32" : "pred"));
        dec.requireTarget(30, 60, "vote.sync");
        List<Operand> o = dec.operands(3);
        in.d = dec.dst(o.get(0), t);
        Operand p = o.get(1);
        if (p.kind() != Operand.Kind.NAME && p.kind() != Operand.Kind.NOT) throw dec.error("vote's source must be a predicate");
        in.a = dec.predicate(p.name());
        in.negC = p.kind() == Operand.Kind.NOT;
        in.e = dec.u32Source(o.get(2));
        in.sub = switch (mode) {
            case "all" -> WarpUnit.VOTE_ALL;
            case "any" -> WarpUnit.VOTE_ANY;
            case "uni" -> WarpUnit.VOTE_UNI;
            default -> WarpUnit.VOTE_BALLOT;
        };
        in.op = Op.VOTE;
    }
}
