package io.flambeau.backend.cuda.sim;

/**
 * How to read an integer operand or memory value out of a 64-bit register or memory cell:
 * width and sign/zero extension. Registers always hold 64 bits; a reader of type {@code .s32}
 * sign-extends the low 32, a reader of {@code .u32} zero-extends them.
 */
final class IntKind {
    static final int S8 = 0, S16 = 1, S32 = 2, S64 = 3, U8 = 4, U16 = 5, U32 = 6, U64 = 7;

    private IntKind() {}

    static int of(PtxType t) {
        return switch (t) {
            case S8 -> S8; case S16 -> S16; case S32 -> S32; case S64 -> S64;
            case U8, B8 -> U8; case U16, B16, F16 -> U16; case U32, B32, F32 -> U32;
            case U64, B64, F64 -> U64;
            case PRED -> U8;
        };
    }

    static long ext(long v, int kind) {
        return switch (kind) {
            case S8 -> (byte) v;
            case S16 -> (short) v;
            case S32 -> (int) v;
            case U8 -> v & 0xFF;
            case U16 -> v & 0xFFFF;
            case U32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    static int bytes(int kind) {
        return switch (kind) {
            case S8, U8 -> 1;
            case S16, U16 -> 2;
            case S32, U32 -> 4;
            default -> 8;
        };
    }

    static boolean signed(int kind) { return kind <= S64; }

    static int bits(int kind) { return bytes(kind) * 8; }

    /** Smallest and largest value of the kind, as (possibly unsigned) longs, for saturation. */
    static long min(int kind) {
        return switch (kind) {
            case S8 -> Byte.MIN_VALUE; case S16 -> Short.MIN_VALUE;
            case S32 -> Integer.MIN_VALUE; case S64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    static long max(int kind) {
        return switch (kind) {
            case S8 -> Byte.MAX_VALUE; case S16 -> Short.MAX_VALUE;
            case S32 -> Integer.MAX_VALUE; case S64 -> Long.MAX_VALUE;
            case U8 -> 0xFF; case U16 -> 0xFFFF; case U32 -> 0xFFFF_FFFFL;
            default -> -1L;
        };
    }
}
