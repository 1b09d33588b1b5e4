package io.flambeau.backend.cuda.sim;

/**
 * One pre-decoded instruction. Register operands are row numbers of the register file (immediates
 * and special registers already turned into uniform rows), so execution never looks at names.
 * Unused operands are -1.
 */
final class Insn {
    final int line;
    final String text;
    Op op;
    int d = -1, a = -1, b = -1, c = -1;
    /** Fifth operand: the member mask of shfl.sync/vote.sync. */
    int e = -1;
    /** Second destination: setp's {@code q} of {@code p|q}, unpack's high half. */
    int d2 = -1;
    /** Element rows of a vector load/store ({@code {%f1,%f2,%f3,%f4}}). */
    int[] vec;
    int guard = -1;
    boolean guardNeg;
    /** Byte offset of an address ({@code [%rd1+8]}), or the parameter-buffer offset of ld.param. */
    long imm;
    int target = -1;
    /** Sub-operation: compare op, math function, atomic op, conversion kind, ... */
    int sub;
    /** {@link IntKind} of integer operands or of the memory access. */
    int kind = IntKind.U64;
    /** Second {@link IntKind}: cvt's destination kind. */
    int kind2 = IntKind.U64;
    /** Width in bits for shifts, bit counts, wide multiplies and packing. */
    int bits;
    /** Rounding mode ({@link Rounding}). */
    int mode;
    boolean ftz;
    boolean sat;
    /** setp's combining op with {@code c}: -1 none, else {@link Compare#AND}/OR/XOR. */
    int combine = -1;
    boolean negC;
    StateSpace space = StateSpace.GENERIC;
    /** The address register is 32 bits wide (shared-space addresses): zero-extend it. */
    boolean addr32;
    PtxType dtype, atype;

    Insn(int line, String text) {
        this.line = line;
        this.text = text;
    }

    /** Bytes one lane accesses (all vector elements together). */
    int accessBytes() {
        return IntKind.bytes(kind) * (vec != null ? vec.length : 1);
    }

    @Override
    public String toString() { return "line " + line + ": " + text; }
}
