package io.flambeau.backend.cuda.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PTX text into tokens: words (opcodes with their modifiers such as {@code ld.global.f32},
 * directives such as {@code .reg}, registers such as {@code %r1} or {@code %tid.x}, identifiers and
 * labels), numbers (kept as text, interpreted by the decoder that knows the expected type), strings,
 * and single-character punctuation. Comments are dropped.
 */
final class PtxLexer {
    enum Kind { WORD, NUMBER, STRING, PUNCT, EOF }

    record Token(Kind kind, String text, int line) {
        boolean is(String s) { return text.equals(s) && kind != Kind.STRING; }

        @Override
        public String toString() { return kind == Kind.EOF ? "end of input" : "'" + text + "'"; }
    }

    private PtxLexer() {}

    static List<Token> tokenize(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0, line = 1, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') { line++; i++; continue; }
            if (Character.isWhitespace(c)) { i++; continue; }
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) throw new PtxSyntaxException(line, "unterminated /* comment");
                for (int j = i; j < end; j++) if (src.charAt(j) == '\n') line++;
                i = end + 2;
                continue;
            }
            int start = i;
            if (isWordStart(c, i + 1 < n ? src.charAt(i + 1) : 0)) {
                i++;
                while (i < n && isWordPart(src.charAt(i))) i++;
                out.add(new Token(Kind.WORD, src.substring(start, i), line));
            } else if (c >= '0' && c <= '9') {
                i = scanNumber(src, i);
                out.add(new Token(Kind.NUMBER, src.substring(start, i), line));
            } else if (c == '"') {
                int end = src.indexOf('"', i + 1);
                if (end < 0) throw new PtxSyntaxException(line, "unterminated string");
                out.add(new Token(Kind.STRING, src.substring(i + 1, end), line));
                i = end + 1;
            } else if ("[](){},;:+-@!<>=|".indexOf(c) >= 0) {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), line));
                i++;
            } else {
                throw new PtxSyntaxException(line, "unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Kind.EOF, "", line));
        return out;
    }

    private static boolean isWordStart(char c, char next) {
        if (Character.isLetter(c) || c == '_' || c == '$' || c == '%') return true;
        return c == '.' && (Character.isLetter(next) || next == '_');
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
    }

    /** Hex {@code 0x..}, float bits {@code 0f........}/{@code 0d..}, decimal ints and floats, U suffix. */
    private static int scanNumber(String s, int i) {
        int n = s.length();
        if (i + 1 < n && s.charAt(i) == '0' && "xXfFdDbB".indexOf(s.charAt(i + 1)) >= 0
                && i + 2 < n && isHex(s.charAt(i + 2))) {
            i += 2;
            while (i < n && isHex(s.charAt(i))) i++;
        } else {
            while (i < n && Character.isDigit(s.charAt(i))) i++;
            if (i < n && s.charAt(i) == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                i++;
                while (i < n && Character.isDigit(s.charAt(i))) i++;
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                int j = i + 1;
                if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
                if (j < n && Character.isDigit(s.charAt(j))) {
                    i = j;
                    while (i < n && Character.isDigit(s.charAt(i))) i++;
                }
            }
        }
        if (i < n && s.charAt(i) == 'U') i++;
        return i;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
