package io.flambeau.backend.cuda.sim;

/**
 * Pre-decoded operations, grouped by the unit that executes them. Integer ops that only need the
 * low bits of their result (add, sub, mul.lo, and, ...) are width-agnostic: registers hold 64-bit
 * values and narrower readers truncate. Ops whose result depends on width or signedness carry an
 * {@link IntKind} in {@link Insn#kind}. Hot float forms (round-to-nearest, no ftz/sat) have their
 * own ops; the rest go through the general {@code F32_*}/{@code F64_*} ops that honour the rounding
 * mode, {@code .ftz} and {@code .sat}.
 */
enum Op {
    // control: executed by PtxInterpreter itself
    BRA(Unit.CONTROL), EXIT(Unit.CONTROL), BAR(Unit.CONTROL), NOP(Unit.CONTROL),

    // integer, bit and predicate ops
    MOV(Unit.INT), ADD(Unit.INT), SUB(Unit.INT), MUL_LO(Unit.INT), MAD_LO(Unit.INT), NEG(Unit.INT),
    AND(Unit.INT), OR(Unit.INT), XOR(Unit.INT), NOT(Unit.INT), NOT_PRED(Unit.INT), CNOT(Unit.INT),
    ADD_SAT_S32(Unit.INT), SUB_SAT_S32(Unit.INT),
    MUL_HI_S(Unit.INT), MUL_HI_U(Unit.INT), MUL_WIDE_S(Unit.INT), MUL_WIDE_U(Unit.INT),
    MAD_HI_S(Unit.INT), MAD_HI_U(Unit.INT), MAD_WIDE_S(Unit.INT), MAD_WIDE_U(Unit.INT),
    DIV_S(Unit.INT), DIV_U(Unit.INT), REM_S(Unit.INT), REM_U(Unit.INT),
    MIN_S(Unit.INT), MIN_U(Unit.INT), MAX_S(Unit.INT), MAX_U(Unit.INT), ABS_S(Unit.INT),
    SHL(Unit.INT), SHR_U(Unit.INT), SHR_S(Unit.INT), POPC(Unit.INT), CLZ(Unit.INT), BREV(Unit.INT),
    SETP_S(Unit.INT), SETP_U(Unit.INT), SELP(Unit.INT), SLCT_S32(Unit.INT), SLCT_F32(Unit.INT),
    PACK(Unit.INT), UNPACK(Unit.INT),

    // floating point
    ADD_F32(Unit.FLOAT), SUB_F32(Unit.FLOAT), MUL_F32(Unit.FLOAT), FMA_F32(Unit.FLOAT),
    DIV_F32(Unit.FLOAT), MIN_F32(Unit.FLOAT), MAX_F32(Unit.FLOAT),
    F32_BINARY(Unit.FLOAT), F32_FMA(Unit.FLOAT), F32_UNARY(Unit.FLOAT), SETP_F32(Unit.FLOAT),
    TESTP_F32(Unit.FLOAT),
    ADD_F64(Unit.FLOAT), SUB_F64(Unit.FLOAT), MUL_F64(Unit.FLOAT), FMA_F64(Unit.FLOAT),
    DIV_F64(Unit.FLOAT), MIN_F64(Unit.FLOAT), MAX_F64(Unit.FLOAT),
    F64_BINARY(Unit.FLOAT), F64_FMA(Unit.FLOAT), F64_UNARY(Unit.FLOAT), SETP_F64(Unit.FLOAT),
    TESTP_F64(Unit.FLOAT),

    // conversions
    CVT_ZX32(Unit.CVT), CVT_SX32(Unit.CVT), CVT(Unit.CVT),

    // memory
    LD_PARAM(Unit.MEMORY), LD(Unit.MEMORY), ST(Unit.MEMORY), ATOM(Unit.MEMORY), RED(Unit.MEMORY),

    // warp-level
    SHFL(Unit.WARP), VOTE(Unit.WARP);

    enum Unit { CONTROL, INT, FLOAT, CVT, MEMORY, WARP }

    final Unit unit;

    Op(Unit unit) { this.unit = unit; }
}
