package io.flambeau.backend.cuda.sim;

/**
 * setp comparison operators and their semantics. Float comparisons without a {@code u} suffix are
 * ordered (false when either input is NaN, {@code ne} included); the {@code u} forms are unordered
 * (true when either input is NaN). Integer comparisons use signed or unsigned order as decoded.
 */
final class Compare {
    static final int EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5;
    static final int EQU = 6, NEU = 7, LTU = 8, LEU = 9, GTU = 10, GEU = 11, NUM = 12, NAN = 13;
    /** setp combining ops. */
    static final int AND = 0, OR = 1, XOR = 2;

    private Compare() {}

    /** Parses a comparison modifier; {@code lo/ls/hi/hs} are the unsigned spellings of lt/le/gt/ge. */
    static int parse(String s) {
        return switch (s) {
            case "eq" -> EQ; case "ne" -> NE;
            case "lt", "lo" -> LT; case "le", "ls" -> LE;
            case "gt", "hi" -> GT; case "ge", "hs" -> GE;
            case "equ" -> EQU; case "neu" -> NEU; case "ltu" -> LTU; case "leu" -> LEU;
            case "gtu" -> GTU; case "geu" -> GEU; case "num" -> NUM; case "nan" -> NAN;
            default -> -1;
        };
    }

    static boolean isUnsignedSpelling(String s) {
        return s.equals("lo") || s.equals("ls") || s.equals("hi") || s.equals("hs");
    }

    static boolean isFloatOnly(int op) { return op >= EQU; }

    static int parseCombine(String s) {
        return switch (s) {
            case "and" -> AND; case "or" -> OR; case "xor" -> XOR;
            default -> -1;
        };
    }

    /** Integer comparison given {@code Long.compare}/{@code compareUnsigned}'s result. */
    static boolean ints(int op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    static boolean doubles(int op, double a, double b) {
        boolean nan = a != a || b != b;
        return switch (op) {
            case EQ -> a == b;
            case NE -> !nan && a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case EQU -> nan || a == b;
            case NEU -> a != b;
            case LTU -> !(a >= b);
            case LEU -> !(a > b);
            case GTU -> !(a <= b);
            case GEU -> !(a < b);
            case NUM -> !nan;
            default -> nan;
        };
    }

    static boolean combine(int combine, boolean r, boolean c) {
        return switch (combine) {
            case AND -> r & c;
            case OR -> r | c;
            case XOR -> r ^ c;
            default -> r;
        };
    }
}
