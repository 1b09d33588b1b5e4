package io.flambeau.backend.cuda.sim;

import java.util.List;

/**
 * Decodes ALU instructions: integer and float arithmetic, bit ops, comparisons, selects and
 * conversions. Each method checks the modifiers and types PTX allows for that instruction and picks
 * the fastest {@link Op} that has exactly its semantics.
 */
final class ArithmeticDecoder {
    private final InstructionDecoder dec;

    ArithmeticDecoder(InstructionDecoder dec) {
        this.dec = dec;
    }

    /** Decodes {@code in} if its opcode is an ALU one; false otherwise. */
    boolean decode(Insn in, Modifiers mods) {
        switch (mods.base) {
            case "add", "sub" -> addSub(in, mods);
            case "mul" -> mul(in, mods);
            case "mad" -> mad(in, mods);
            case "fma" -> fma(in, mods);
            case "div", "rem" -> divRem(in, mods);
            case "min", "max" -> minMax(in, mods);
            case "abs", "neg" -> absNeg(in, mods);
            case "and", "or", "xor" -> logic(in, mods);
            case "not", "cnot" -> not(in, mods);
            case "shl", "shr" -> shift(in, mods);
            case "popc", "clz", "brev" -> bits(in, mods);
            case "rcp", "sqrt", "rsqrt", "ex2", "lg2", "sin", "cos", "tanh" -> math(in, mods);
            case "copysign" -> copysign(in, mods);
            case "testp" -> testp(in, mods);
            case "setp" -> setp(in, mods);
            case "selp" -> selp(in, mods);
            case "slct" -> slct(in, mods);
            case "cvt" -> cvt(in, mods);
            default -> { return false; }
        }
        return true;
    }

    private static boolean isInt(PtxType t, boolean allow8, boolean allowBits) {
        if (t.kind == PtxType.Kind.BITS) return allowBits && t.bits >= 16;
        return (t.kind == PtxType.Kind.SIGNED || t.kind == PtxType.Kind.UNSIGNED) && (allow8 || t.bits >= 16);
    }

    private void threeOperands(Insn in, PtxType t) {
        List<Operand> o = dec.operands(3);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
    }

    private int floatRounding(Modifiers mods, String what, boolean required) {
        int mode = mods.rounding();
        if (Rounding.isIntegral(mode)) throw mods.error("integer rounding is not allowed on " + what);
        if (mode == Rounding.NONE && required) {
            throw mods.error(what + " needs a rounding modifier such as .rn (without one ptxas may fuse a mul and an add)");
        }
        return mode;
    }

    private void noFloatMods(Modifiers mods, PtxType t, boolean ftz, boolean sat, int mode) {
        if (t == PtxType.F64 && ftz) throw mods.error(".ftz applies to f32 only");
        if (t == PtxType.F64 && sat) throw mods.error(".sat applies to f32 only");
        if (!t.isFloat() && mode != Rounding.NONE) throw mods.error("rounding modifiers apply to floating-point types");
    }

    private void addSub(Insn in, Modifiers mods) {
        boolean sub = mods.base.equals("sub");
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz"), sat = mods.has("sat");
        PtxType t = mods.type();
        threeOperands(in, t);
        if (t.isFloat()) {
            if (Rounding.isIntegral(mode)) throw mods.error("integer rounding is not allowed here");
            if (mode == Rounding.NONE && dec.options().requireExplicitRounding()) {
                throw mods.error(mods.base + "." + t.ptxName() + " without .rn may be fused with a mul by ptxas; write "
                        + mods.base + ".rn." + t.ptxName());
            }
            noFloatMods(mods, t, ftz, sat, mode);
            floatOp(in, t, sub ? FloatAlu.SUB : FloatAlu.ADD, mode, ftz, sat,
                    sub ? Op.SUB_F32 : Op.ADD_F32, sub ? Op.SUB_F64 : Op.ADD_F64);
        } else {
            if (!isInt(t, false, false)) throw mods.error("unsupported type ." + t.ptxName());
            noFloatMods(mods, t, ftz, false, mode);
            if (ftz) throw mods.error(".ftz applies to f32 only");
            if (sat && t != PtxType.S32) throw mods.error(".sat applies to s32 and f32 only");
            in.op = sat ? (sub ? Op.SUB_SAT_S32 : Op.ADD_SAT_S32) : (sub ? Op.SUB : Op.ADD);
        }
    }

    /** Fast op when round-to-nearest without ftz/sat, else the general float op. */
    private void floatOp(Insn in, PtxType t, int sub, int mode, boolean ftz, boolean sat, Op fast32, Op fast64) {
        boolean nearest = mode == Rounding.NONE || mode == Rounding.RN;
        in.sub = sub;
        in.mode = mode;
        in.ftz = ftz;
        in.sat = sat;
        if (t == PtxType.F32) in.op = nearest && !ftz && !sat && fast32 != null ? fast32 : Op.F32_BINARY;
        else in.op = nearest && fast64 != null ? fast64 : Op.F64_BINARY;
    }

    private static PtxType widen(PtxType t) {
        return switch (t) {
            case S16 -> PtxType.S32; case U16 -> PtxType.U32;
            case S32 -> PtxType.S64; case U32 -> PtxType.U64;
            default -> null;
        };
    }

    private void mul(Insn in, Modifiers mods) {
        String part = mods.first("lo", "hi", "wide");
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz"), sat = mods.has("sat");
        PtxType t = mods.type();
        if (t.isFloat()) {
            if (part != null) throw mods.error(".lo/.hi/.wide apply to integer multiplies");
            if (mode == Rounding.NONE && dec.options().requireExplicitRounding()) {
                throw mods.error("mul." + t.ptxName() + " without .rn may be fused with an add by ptxas; write mul.rn." + t.ptxName());
            }
            if (Rounding.isIntegral(mode)) throw mods.error("integer rounding is not allowed here");
            noFloatMods(mods, t, ftz, sat, mode);
            threeOperands(in, t);
            floatOp(in, t, FloatAlu.MUL, mode, ftz, sat, Op.MUL_F32, Op.MUL_F64);
            return;
        }
        if (!isInt(t, false, false)) throw mods.error("unsupported type ." + t.ptxName());
        if (part == null) throw mods.error("integer mul needs .lo, .hi or .wide");
        if (mode != Rounding.NONE || ftz || sat) throw mods.error("rounding, .ftz and .sat do not apply to integer mul");
        integerProduct(in, mods, t, part, false);
    }

    private void integerProduct(Insn in, Modifiers mods, PtxType t, String part, boolean mad) {
        boolean signed = t.isSigned();
        in.kind = IntKind.of(t);
        in.bits = t.bits;
        PtxType dt = t;
        if (part.equals("wide")) {
            dt = widen(t);
            if (dt == null) throw mods.error(".wide applies to 16- and 32-bit types");
        }
        List<Operand> o = dec.operands(mad ? 4 : 3);
        in.d = dec.dst(o.get(0), dt);
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
        if (mad) in.c = dec.src(o.get(3), dt);
        in.op = switch (part) {
            case "lo" -> mad ? Op.MAD_LO : Op.MUL_LO;
            case "hi" -> mad ? (signed ? Op.MAD_HI_S : Op.MAD_HI_U) : (signed ? Op.MUL_HI_S : Op.MUL_HI_U);
            default -> mad ? (signed ? Op.MAD_WIDE_S : Op.MAD_WIDE_U) : (signed ? Op.MUL_WIDE_S : Op.MUL_WIDE_U);
        };
    }

    private void mad(Insn in, Modifiers mods) {
        String part = mods.first("lo", "hi", "wide");
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz"), sat = mods.has("sat");
        PtxType t = mods.type();
        if (t.isFloat()) {
            if (part != null) throw mods.error(".lo/.hi/.wide apply to integer mad");
            fused(in, mods, t, mode, ftz, sat);
            return;
        }
        if (!isInt(t, false, false)) throw mods.error("unsupported type ." + t.ptxName());
        if (part == null) throw mods.error("integer mad needs .lo, .hi or .wide");
        if (mode != Rounding.NONE || ftz || sat) throw mods.error("rounding, .ftz and .sat are not supported on integer mad");
        integerProduct(in, mods, t, part, true);
    }

    private void fma(Insn in, Modifiers mods) {
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz"), sat = mods.has("sat");
        PtxType t = mods.type();
        if (!t.isFloat()) throw mods.error("fma takes f32 or f64");
        fused(in, mods, t, mode, ftz, sat);
    }

    /** fma and float mad (which is fused on sm_20+): only .rn is simulated. */
    private void fused(Insn in, Modifiers mods, PtxType t, int mode, boolean ftz, boolean sat) {
        if (mode == Rounding.NONE) throw mods.error(mods.base + "." + t.ptxName() + " needs a rounding modifier (.rn)");
        if (mode != Rounding.RN) throw mods.error("only .rn is supported for fused multiply-add by the simulator");
        noFloatMods(mods, t, ftz, sat, mode);
        List<Operand> o = dec.operands(4);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
        in.c = dec.src(o.get(3), t);
        in.ftz = ftz;
        in.sat = sat;
        if (t == PtxType.F32) in.op = ftz || sat ? Op.F32_FMA : Op.FMA_F32;
        else in.op = Op.FMA_F64;
    }

    private void divRem(Insn in, Modifiers mods) {
        boolean rem = mods.base.equals("rem");
        String precision = rem ? null : mods.first("approx", "full");
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz");
        PtxType t = mods.type();
        threeOperands(in, t);
        if (t.isFloat()) {
            if (rem) throw mods.error("rem takes integer types");
            if (Rounding.isIntegral(mode)) throw mods.error("integer rounding is not allowed here");
            if (t == PtxType.F32 && precision == null && mode == Rounding.NONE) {
                throw mods.error("div.f32 needs .approx, .full or a rounding modifier");
            }
            if (t == PtxType.F64 && (precision != null || mode == Rounding.NONE)) {
                throw mods.error("div.f64 needs .rn, .rz, .rm or .rp");
            }
            noFloatMods(mods, t, ftz, false, mode);
            // .approx and .full are within 2 ulp of the exact quotient; simulated as the exact one
            floatOp(in, t, FloatAlu.DIV, precision != null ? Rounding.RN : mode, ftz, false, Op.DIV_F32, Op.DIV_F64);
            return;
        }
        if (!isInt(t, false, false)) throw mods.error("unsupported type ." + t.ptxName());
        if (mode != Rounding.NONE || ftz) throw mods.error("rounding and .ftz do not apply to integer " + mods.base);
        in.kind = IntKind.of(t);
        in.op = rem ? (t.isSigned() ? Op.REM_S : Op.REM_U) : (t.isSigned() ? Op.DIV_S : Op.DIV_U);
    }

    private void minMax(Insn in, Modifiers mods) {
        boolean min = mods.base.equals("min");
        boolean ftz = mods.has("ftz"), nan = mods.has("NaN");
        PtxType t = mods.type();
        threeOperands(in, t);
        if (t.isFloat()) {
            if (nan) dec.requireTarget(80, 70, "." + mods.base + ".NaN");
            noFloatMods(mods, t, ftz, false, Rounding.NONE);
            int sub = nan ? (min ? FloatAlu.MIN_NAN : FloatAlu.MAX_NAN) : (min ? FloatAlu.MIN : FloatAlu.MAX);
            floatOp(in, t, sub, Rounding.NONE, ftz, false,
                    nan ? null : (min ? Op.MIN_F32 : Op.MAX_F32), nan ? null : (min ? Op.MIN_F64 : Op.MAX_F64));
            return;
        }
        if (!isInt(t, false, false)) throw mods.error("unsupported type ." + t.ptxName());
        if (ftz || nan) throw mods.error(".ftz and .NaN apply to float min/max");
        in.kind = IntKind.of(t);
        in.op = t.isSigned() ? (min ? Op.MIN_S : Op.MAX_S) : (min ? Op.MIN_U : Op.MAX_U);
    }

    private void absNeg(Insn in, Modifiers mods) {
        boolean abs = mods.base.equals("abs");
        boolean ftz = mods.has("ftz");
        PtxType t = mods.type();
        List<Operand> o = dec.operands(2);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        if (t.isFloat()) {
            noFloatMods(mods, t, ftz, false, Rounding.NONE);
            in.sub = abs ? FloatAlu.ABS : FloatAlu.NEG;
            in.ftz = ftz;
            in.op = t == PtxType.F32 ? Op.F32_UNARY : Op.F64_UNARY;
            return;
        }
        if (!t.isSigned() || t.bits < 16) throw mods.error(mods.base + " takes s16, s32, s64, f32 or f64");
        if (ftz) throw mods.error(".ftz applies to f32 only");
        in.kind = IntKind.of(t);
        in.op = abs ? Op.ABS_S : Op.NEG;
    }

    private void logic(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        if (t != PtxType.PRED && !(t.kind == PtxType.Kind.BITS && t.bits >= 16)) {
            throw mods.error(mods.base + " takes .pred, .b16, .b32 or .b64");
        }
        threeOperands(in, t);
        in.op = switch (mods.base) {
            case "and" -> Op.AND;
            case "or" -> Op.OR;
            default -> Op.XOR;
        };
    }

    private void not(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        boolean cnot = mods.base.equals("cnot");
        if (!(t.kind == PtxType.Kind.BITS && t.bits >= 16) && !(t == PtxType.PRED && !cnot)) {
            throw mods.error(mods.base + " takes " + (cnot ? "" : ".pred, ") + ".b16, .b32 or .b64");
        }
        List<Operand> o = dec.operands(2);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.kind = IntKind.of(t);
        in.op = cnot ? Op.CNOT : t == PtxType.PRED ? Op.NOT_PRED : Op.NOT;
    }

    private void shift(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        boolean left = mods.base.equals("shl");
        if (t.bits < 16 || t.isFloat() || t == PtxType.PRED || (left && t.kind != PtxType.Kind.BITS)) {
            throw mods.error(left ? "shl takes .b16, .b32 or .b64" : "shr takes 16-, 32- or 64-bit .b, .u or .s types");
        }
        List<Operand> o = dec.operands(3);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.b = dec.u32Source(o.get(2));
        in.bits = t.bits;
        in.kind = IntKind.of(t);
        in.op = left ? Op.SHL : t.isSigned() ? Op.SHR_S : Op.SHR_U;
    }

    private void bits(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        if (t != PtxType.B32 && t != PtxType.B64) throw mods.error(mods.base + " takes .b32 or .b64");
        List<Operand> o = dec.operands(2);
        boolean brev = mods.base.equals("brev");
        in.d = dec.dst(o.get(0), brev ? t : PtxType.U32);
        in.a = dec.src(o.get(1), t);
        in.bits = t.bits;
        in.kind = IntKind.of(t);
        in.op = switch (mods.base) {
            case "popc" -> Op.POPC;
            case "clz" -> Op.CLZ;
            default -> Op.BREV;
        };
    }

    private void math(Insn in, Modifiers mods) {
        String f = mods.base;
        boolean approx = mods.has("approx");
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz");
        PtxType t = mods.type();
        if (!t.isFloat()) throw mods.error(f + " takes f32 or f64");
        if (Rounding.isIntegral(mode)) throw mods.error("integer rounding is not allowed here");
        boolean transcendental = !f.equals("rcp") && !f.equals("sqrt");
        if (transcendental && !approx) throw mods.error(f + " requires .approx");
        if (transcendental && mode != Rounding.NONE) throw mods.error(f + " takes no rounding modifier");
        if (!transcendental && approx == (mode != Rounding.NONE)) {
            throw mods.error(f + " needs exactly one of .approx or a rounding modifier");
        }
        if (f.equals("sqrt") && mode != Rounding.NONE && mode != Rounding.RN) {
            throw mods.error("only sqrt.rn and sqrt.approx are supported by the simulator");
        }
        if (t == PtxType.F64) {
            if (!f.equals("rcp") && !f.equals("sqrt") && !f.equals("rsqrt")) throw mods.error(f + " takes f32 only");
            if (f.equals("rcp") && approx && !ftz) throw mods.error("rcp.approx.f64 needs .ftz");
            if (ftz && !approx) throw mods.error(".ftz applies to f32 (and the .approx f64 forms)");
        }
        if (f.equals("tanh")) dec.requireTarget(75, 70, "tanh.approx.f32");
        if (f.equals("tanh") && t != PtxType.F32) throw mods.error("tanh takes f32 only");
        List<Operand> o = dec.operands(2);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.mode = approx ? Rounding.RN : mode;
        in.ftz = ftz;
        in.sub = switch (f) {
            case "rcp" -> FloatAlu.RCP;
            case "sqrt" -> FloatAlu.SQRT;
            case "rsqrt" -> FloatAlu.RSQRT;
            case "ex2" -> FloatAlu.EX2;
            case "lg2" -> FloatAlu.LG2;
            case "sin" -> FloatAlu.SIN;
            case "cos" -> FloatAlu.COS;
            default -> FloatAlu.TANH;
        };
        in.op = t == PtxType.F32 ? Op.F32_UNARY : Op.F64_UNARY;
    }

    private void copysign(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        if (!t.isFloat()) throw mods.error("copysign takes f32 or f64");
        threeOperands(in, t);
        in.sub = FloatAlu.COPYSIGN;
        in.op = t == PtxType.F32 ? Op.F32_BINARY : Op.F64_BINARY;
    }

    private void testp(Insn in, Modifiers mods) {
        String what = mods.first("finite", "infinite", "number", "notanumber", "normal", "subnormal");
        if (what == null) throw mods.error("testp needs .finite, .infinite, .number, .notanumber, .normal or .subnormal");
        PtxType t = mods.type();
        if (!t.isFloat()) throw mods.error("testp takes f32 or f64");
        List<Operand> o = dec.operands(2);
        in.d = dec.dst(o.get(0), PtxType.PRED);
        in.a = dec.src(o.get(1), t);
        in.sub = switch (what) {
            case "finite" -> FloatAlu.FINITE;
            case "infinite" -> FloatAlu.INFINITE;
            case "number" -> FloatAlu.NUMBER;
            case "notanumber" -> FloatAlu.NOTANUMBER;
            case "normal" -> FloatAlu.NORMAL;
            default -> FloatAlu.SUBNORMAL;
        };
        in.op = t == PtxType.F32 ? Op.TESTP_F32 : Op.TESTP_F64;
    }

    private void setp(Insn in, Modifiers mods) {
        String cmpName = mods.first("eq", "ne", "lt", "le", "gt", "ge", "lo", "ls", "hi", "hs",
                "equ", "neu", "ltu", "leu", "gtu", "geu", "num", "nan");
        if (cmpName == null) throw mods.error("setp needs a comparison such as .lt");
        String comb = mods.first("and", "or", "xor");
        boolean ftz = mods.has("ftz");
        PtxType t = mods.type();
        int cmp = Compare.parse(cmpName);
        List<Operand> o = st().operands();
        if (o.size() != 3 && o.size() != 4) throw dec.error("setp takes 3 operands, or 4 with .and/.or/.xor");
        if ((o.size() == 4) != (comb != null)) throw dec.error("setp's fourth operand and .and/.or/.xor go together");
        Operand dst = o.get(0);
        if (dst.kind() == Operand.Kind.PAIR) {
            in.d = dec.predicate(dst.name());
            in.d2 = dec.predicate(dst.name2());
        } else {
            in.d = dec.dst(dst, PtxType.PRED);
        }
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
        if (comb != null) {
            Operand c = o.get(3);
            if (c.kind() != Operand.Kind.NAME && c.kind() != Operand.Kind.NOT) throw dec.error("setp's fourth operand must be a predicate");
            in.c = dec.predicate(c.name());
            in.negC = c.kind() == Operand.Kind.NOT;
            in.combine = Compare.parseCombine(comb);
        }
        in.sub = cmp;
        if (t.isFloat()) {
            if (Compare.isUnsignedSpelling(cmpName)) throw mods.error("." + cmpName + " applies to integer types");
            noFloatMods(mods, t, ftz, false, Rounding.NONE);
            in.ftz = ftz;
            in.op = t == PtxType.F32 ? Op.SETP_F32 : Op.SETP_F64;
            return;
        }
        if (t == PtxType.PRED || t.bits < 16) throw mods.error("setp does not take ." + t.ptxName());
        if (ftz) throw mods.error(".ftz applies to f32 only");
        if (Compare.isFloatOnly(cmp)) throw mods.error("." + cmpName + " applies to float types");
        boolean bitsType = t.kind == PtxType.Kind.BITS;
        if (bitsType && cmp != Compare.EQ && cmp != Compare.NE) throw mods.error(".b types compare with .eq or .ne only");
        if (t.isSigned() && Compare.isUnsignedSpelling(cmpName)) throw mods.error("." + cmpName + " applies to unsigned types");
        in.kind = IntKind.of(t);
        in.op = t.isSigned() ? Op.SETP_S : Op.SETP_U;
    }

    private Statement st() { return dec.st; }

    private void selp(Insn in, Modifiers mods) {
        PtxType t = mods.type();
        if (t == PtxType.PRED || t.bits < 16) throw mods.error("selp does not take ." + t.ptxName());
        List<Operand> o = dec.operands(4);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
        if (o.get(3).kind() != Operand.Kind.NAME) throw dec.error("selp's condition must be a predicate register");
        in.c = dec.predicate(o.get(3).name());
        in.op = Op.SELP;
    }

    private void slct(Insn in, Modifiers mods) {
        boolean ftz = mods.has("ftz");
        List<PtxType> ts = mods.types();
        if (ts.size() != 2 || (ts.get(1) != PtxType.S32 && ts.get(1) != PtxType.F32)) {
            throw mods.error("slct is slct.dtype.s32 or slct.dtype.f32");
        }
        PtxType t = ts.get(0);
        if (t == PtxType.PRED || t.bits < 16) throw mods.error("slct does not take ." + t.ptxName());
        List<Operand> o = dec.operands(4);
        in.d = dec.dst(o.get(0), t);
        in.a = dec.src(o.get(1), t);
        in.b = dec.src(o.get(2), t);
        in.c = dec.src(o.get(3), ts.get(1));
        in.ftz = ftz;
        in.op = ts.get(1) == PtxType.S32 ? Op.SLCT_S32 : Op.SLCT_F32;
        if (ftz && in.op == Op.SLCT_S32) throw mods.error(".ftz applies to slct with an f32 condition");
    }

    private void cvt(Insn in, Modifiers mods) {
        int mode = mods.rounding();
        boolean ftz = mods.has("ftz"), sat = mods.has("sat");
        List<PtxType> ts = mods.types();
        if (ts.size() != 2) throw mods.error("cvt needs a destination and a source type");
        PtxType dt = ts.get(0), at = ts.get(1);
        if (dt == PtxType.F16 || at == PtxType.F16) throw mods.error("f16 is not supported by the simulator");
        if (dt == PtxType.PRED || at == PtxType.PRED) throw mods.error("cvt does not take .pred");
        List<Operand> o = dec.operands(2);
        in.d = dec.dstWide(o.get(0), dt);
        in.a = dec.source(o.get(1), at, true, true);
        in.dtype = dt;
        in.atype = at;
        in.kind = IntKind.of(at);
        in.kind2 = IntKind.of(dt);
        in.mode = mode;
        in.ftz = ftz;
        in.sat = sat;
        if (ftz && at != PtxType.F32 && dt != PtxType.F32) throw mods.error(".ftz applies when a side is f32");
        if (!dt.isFloat() && !at.isFloat()) {
            if (mode != Rounding.NONE) throw mods.error("integer-to-integer cvt takes no rounding modifier");
            in.sub = Conversions.I2I;
            in.op = Op.CVT;
            if (!sat && dt.bits == 64) {
                if (at == PtxType.S32) in.op = Op.CVT_SX32;
                else if (at == PtxType.U32 || at == PtxType.B32) in.op = Op.CVT_ZX32;
            }
        } else if (!dt.isFloat()) {
            if (!Rounding.isIntegral(mode)) throw mods.error("float-to-integer cvt needs .rni, .rzi, .rmi or .rpi");
            in.sub = Conversions.F2I;
            in.op = Op.CVT;
        } else if (!at.isFloat()) {
            if (mode == Rounding.NONE || Rounding.isIntegral(mode)) throw mods.error("integer-to-float cvt needs .rn, .rz, .rm or .rp");
            in.sub = Conversions.I2F;
            in.op = Op.CVT;
        } else {
            if (dt == at) {
                if (mode != Rounding.NONE && !Rounding.isIntegral(mode)) throw mods.error("same-type float cvt takes .rni, .rzi, .rmi or .rpi");
            } else if (dt == PtxType.F64) {
                if (mode != Rounding.NONE) throw mods.error("cvt.f64.f32 is exact and takes no rounding modifier");
            } else if (mode == Rounding.NONE || Rounding.isIntegral(mode)) {
                throw mods.error("cvt.f32.f64 needs .rn, .rz, .rm or .rp");
            }
            in.sub = Conversions.F2F;
            in.op = Op.CVT;
        }
    }
}
