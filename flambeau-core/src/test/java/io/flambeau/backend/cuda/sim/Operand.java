package io.flambeau.backend.cuda.sim;

import java.util.List;

/**
 * One operand of a PTX statement as written, before the decoder resolves names against declared
 * registers, variables, special registers and labels.
 */
record Operand(Kind kind, String name, String name2, String number, long offset, List<String> elements) {
    enum Kind {
        /** A register, special register, variable or label name. */
        NAME,
        /** A numeric literal, kept as text (sign included) until its type is known. */
        NUMBER,
        /** {@code [base+offset]}: base is in {@code name} (a name) or {@code number} (a literal). */
        ADDRESS,
        /** {@code {a, b, ...}}. */
        VECTOR,
        /** {@code p|q}: setp's two destination predicates. */
        PAIR,
        /** {@code !p}: a negated predicate source. */
        NOT
    }

    static Operand name(String n) { return new Operand(Kind.NAME, n, null, null, 0, null); }

    static Operand number(String text) { return new Operand(Kind.NUMBER, null, null, text, 0, null); }

    static Operand address(String base, String baseNumber, long offset) {
        return new Operand(Kind.ADDRESS, base, null, baseNumber, offset, null);
    }

    static Operand vector(List<String> elements) {
        return new Operand(Kind.VECTOR, null, null, null, 0, List.copyOf(elements));
    }

    static Operand pair(String p, String q) { return new Operand(Kind.PAIR, p, q, null, 0, null); }

    static Operand not(String n) { return new Operand(Kind.NOT, n, null, null, 0, null); }

    @Override
    public String toString() {
        return switch (kind) {
            case NAME -> name;
            case NUMBER -> number;
            case ADDRESS -> "[" + (name != null ? name : number) + (offset != 0 ? "+" + offset : "") + "]";
            case VECTOR -> "{" + String.join(", ", elements) + "}";
            case PAIR -> name + "|" + name2;
            case NOT -> "!" + name;
        };
    }
}
