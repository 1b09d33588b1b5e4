package io.flambeau.backend.cuda.sim;

/** PTX fundamental types, with their width and how their bits are interpreted. */
enum PtxType {
    B8(8, Kind.BITS), B16(16, Kind.BITS), B32(32, Kind.BITS), B64(64, Kind.BITS),
    U8(8, Kind.UNSIGNED), U16(16, Kind.UNSIGNED), U32(32, Kind.UNSIGNED), U64(64, Kind.UNSIGNED),
    S8(8, Kind.SIGNED), S16(16, Kind.SIGNED), S32(32, Kind.SIGNED), S64(64, Kind.SIGNED),
    F16(16, Kind.FLOAT), F32(32, Kind.FLOAT), F64(64, Kind.FLOAT),
    PRED(1, Kind.PRED);

    enum Kind { BITS, UNSIGNED, SIGNED, FLOAT, PRED }

    final int bits;
    final Kind kind;

    PtxType(int bits, Kind kind) {
        this.bits = bits;
        this.kind = kind;
    }

    int bytes() { return this == PRED ? 1 : bits / 8; }

    boolean isFloat() { return kind == Kind.FLOAT; }

    boolean isSigned() { return kind == Kind.SIGNED; }

    boolean isInteger() { return kind == Kind.SIGNED || kind == Kind.UNSIGNED || kind == Kind.BITS; }

    /** The PTX spelling without the dot, e.g. "u32". */
    String ptxName() { return this == PRED ? "pred" : name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses "u32" (no dot); null when it is not a type. */
    static PtxType parse(String s) {
        return switch (s) {
            case "b8" -> B8; case "b16" -> B16; case "b32" -> B32; case "b64" -> B64;
            case "u8" -> U8; case "u16" -> U16; case "u32" -> U32; case "u64" -> U64;
            case "s8" -> S8; case "s16" -> S16; case "s32" -> S32; case "s64" -> S64;
            case "f16" -> F16; case "f32" -> F32; case "f64" -> F64;
            case "pred" -> PRED;
            default -> null;
        };
    }

    /**
     * PTX's operand type-compatibility rule: a register declared {@code reg} may be used where an
     * instruction says {@code this} if both have the same size and either is a bit type, both are
     * integers, or both are the same float type.
     */
    boolean acceptsRegister(PtxType reg) {
        if (this == PRED || reg == PRED) return this == reg;
        if (bits != reg.bits) return false;
        if (kind == Kind.BITS || reg.kind == Kind.BITS) return true;
        if (isFloat() || reg.isFloat()) return this == reg;
        return true;
    }

    /** Like {@link #acceptsRegister} but a wider register is fine (ld, st, cvt operands). */
    boolean acceptsWideRegister(PtxType reg) {
        if (this == PRED || reg == PRED) return this == reg;
        if (reg.bits < bits) return false;
        if (reg.bits == bits) return acceptsRegister(reg);
        return reg.kind == Kind.BITS || (!reg.isFloat() && !isFloat()) || kind == Kind.BITS;
    }
}
