package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.sim.PtxLexer.Kind;
import io.flambeau.backend.cuda.sim.PtxLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the structure of a PTX module: header directives, module-level variables, and each
 * {@code .entry} with its parameters, register and shared declarations, labels and statements.
 * Instruction semantics are left to {@link InstructionDecoder}; anything structural the simulator
 * does not support ({@code .func}, {@code .local}, 32-bit addressing, ...) is refused here.
 */
final class PtxParser {
    /** Parameter space limit before PTX 8.1. */
    static final int MAX_PARAM_BYTES = 4096;

    private final List<Token> toks;
    private final String[] lines;
    private int p;
    private VarDecl externShared;

    PtxParser(String src) {
        this.toks = PtxLexer.tokenize(src);
        this.lines = src.split("\n", -1);
    }

    PtxModule parseModule() {
        int major = -1, minor = 0, sm = -1, addressSize = 64;
        List<VarDecl> globals = new ArrayList<>();
        List<VarDecl> moduleShared = new ArrayList<>();
        List<PtxKernel> kernels = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            Token t = next();
            switch (t.text()) {
                case ".version" -> {
                    Token v = expectKind(Kind.NUMBER, "a version such as 7.0");
                    String[] parts = v.text().split("\\.");
                    if (parts.length != 2) throw err(v, "bad .version '" + v.text() + "'");
                    major = Integer.parseInt(parts[0]);
                    minor = Integer.parseInt(parts[1]);
                }
                case ".target" -> {
                    do {
                        Token tg = expectKind(Kind.WORD, "a target such as sm_75");
                        if (tg.text().startsWith("sm_")) {
                            String digits = tg.text().substring(3);
                            if (!digits.chars().allMatch(Character::isDigit)) {
                                throw err(tg, "unsupported target '" + tg.text() + "'");
                            }
                            sm = Integer.parseInt(digits);
                        } else if (!tg.text().equals("texmode_independent")) {
                            throw err(tg, "unsupported target option '" + tg.text() + "'");
                        }
                    } while (accept(","));
                }
                case ".address_size" -> {
                    Token a = expectKind(Kind.NUMBER, "64");
                    addressSize = Integer.parseInt(a.text());
                    if (addressSize != 64) throw err(a, ".address_size " + addressSize + " is not supported (use 64)");
                }
                case ".file" -> skipLine(t.line());
                case ".visible", ".weak" -> { /* linkage of the next declaration: irrelevant here */ }
                case ".extern" -> {
                    if (peek().is(".shared")) {
                        Token sh = next();
                        VarDecl v = parseVar(sh, StateSpace.SHARED, false);
                        if (!v.isExtern()) throw err(sh, ".extern .shared must be an unsized array, e.g. .extern .shared .align 16 .b8 dyn[]");
                        if (externShared != null) throw err(sh, "only one .extern .shared array per module is supported");
                        externShared = v;
                    }
                }
                case ".entry" -> {
                    if (major < 0 || sm < 0) throw err(t, ".version and .target must precede the first .entry");
                    kernels.add(parseEntry(t));
                }
                case ".func" -> throw err(t, "device functions (.func) and calls are not supported by the simulator");
                case ".global", ".const" -> {
                    VarDecl v = parseVar(t, t.text().equals(".global") ? StateSpace.GLOBAL : StateSpace.CONST, false);
                    globals.add(v);
                }
                case ".shared" -> moduleShared.add(parseVar(t, StateSpace.SHARED, false));
                default -> throw err(t, "unexpected " + t + " at module level");
            }
        }
        if (major < 0) throw new PtxSyntaxException(1, "missing .version directive");
        if (sm < 0) throw new PtxSyntaxException(1, "missing .target directive");
        for (VarDecl v : moduleShared) {
            if (v.isExtern()) throw new PtxSyntaxException(v.line(), "unsized .shared array '" + v.name() + "' needs .extern");
        }
        PtxModule module = new PtxModule(major, minor, sm, globals, moduleShared, externShared);
        for (PtxKernel k : kernels) {
            if (module.kernels.putIfAbsent(k.name, k) != null) throw new PtxSyntaxException(k.line, "duplicate kernel '" + k.name + "'");
        }
        return module;
    }

    // ---- kernels --------------------------------------------------------------------------------

    private PtxKernel parseEntry(Token entry) {
        Token name = expectKind(Kind.WORD, "a kernel name");
        PtxKernel k = new PtxKernel(name.text(), name.line());
        int offset = 0;
        if (accept("(")) {
            if (!accept(")")) {
                do {
                    Token pt = expect(".param");
                    VarDecl v = parseVar(pt, StateSpace.PARAM, true);
                    offset = align(offset, v.align());
                    if (k.param(v.name()) != null) throw err(pt, "duplicate parameter '" + v.name() + "'");
                    k.params.add(v.withOffset(offset));
                    offset += v.size();
                } while (accept(","));
                expect(")");
            }
        }
        if (offset > MAX_PARAM_BYTES) {
            throw err(name, "kernel parameters take " + offset + " bytes; more than " + MAX_PARAM_BYTES + " needs PTX 8.1");
        }
        k.paramBytes = offset;
        while (!peek().is("{")) {
            Token d = next();
            switch (d.text()) {
                case ".maxntid" -> k.maxntid = dims();
                case ".reqntid" -> k.reqntid = dims();
                case ".minnctapersm", ".maxnreg", ".maxnctapersm" -> expectKind(Kind.NUMBER, "a number");
                case ".noreturn" -> { }
                default -> throw err(d, "unexpected " + d + " before the body of kernel '" + k.name + "'");
            }
        }
        expect("{");
        parseBody(k);
        return k;
    }

    private int[] dims() {
        int[] d = {1, 1, 1};
        int i = 0;
        do {
            if (i == 3) throw err(peek(), "at most 3 dimensions");
            d[i++] = (int) intLiteral(expectKind(Kind.NUMBER, "a number"));
        } while (accept(","));
        return d;
    }

    private void parseBody(PtxKernel k) {
        int depth = 0;
        while (true) {
            Token t = next();
            if (t.kind() == Kind.EOF) throw err(t, "missing '}' at the end of kernel '" + k.name + "'");
            if (t.is("}")) {
                if (depth == 0) return;
                depth--;
                continue;
            }
            if (t.is("{")) { depth++; continue; }
            switch (t.text()) {
                case ".reg" -> parseRegs(k, t);
                case ".shared" -> k.shared.add(parseVar(t, StateSpace.SHARED, false));
                case ".extern" -> throw err(t, ".extern declarations belong at module scope (outside the kernel)");
                case ".local" -> throw err(t, ".local variables are not supported by the simulator");
                case ".pragma" -> { expectKind(Kind.STRING, "a string"); expect(";"); }
                case ".loc", ".file" -> skipLine(t.line());
                default -> {
                    if (t.kind() == Kind.WORD && peek().is(":")) {
                        next();
                        if (k.labels.putIfAbsent(t.text(), k.statements.size()) != null) throw err(t, "duplicate label '" + t.text() + "'");
                    } else if (t.is("@") || t.kind() == Kind.WORD) {
                        k.statements.add(parseStatement(t));
                    } else {
                        throw err(t, "unexpected " + t + " in kernel '" + k.name + "'");
                    }
                }
            }
        }
    }

    private void parseRegs(PtxKernel k, Token reg) {
        Token ty = expectKind(Kind.WORD, "a register type");
        if (ty.text().startsWith(".v")) throw err(ty, "vector registers are not supported");
        PtxType type = PtxType.parse(ty.text().substring(1));
        if (type == null || type == PtxType.F16) throw err(ty, "unsupported register type " + ty);
        do {
            Token n = expectKind(Kind.WORD, "a register name");
            if (accept("<")) {
                long count = intLiteral(expectKind(Kind.NUMBER, "a register count"));
                expect(">");
                for (int i = 0; i < count; i++) declare(k, n, n.text() + i, type);
            } else {
                declare(k, n, n.text(), type);
            }
        } while (accept(","));
        expect(";");
    }

    private void declare(PtxKernel k, Token at, String name, PtxType type) {
        if (k.registers.putIfAbsent(name, type) != null) throw err(at, "register " + name + " declared twice");
    }

    /** {@code [.align N] .type [qualifiers] name[[N]] [= init];} after the space keyword. */
    private VarDecl parseVar(Token spaceTok, StateSpace space, boolean isParam) {
        int align = 0;
        PtxType type = null;
        boolean pointer = false;
        while (peek().kind() == Kind.WORD && peek().text().startsWith(".")) {
            Token m = next();
            String s = m.text().substring(1);
            if (s.equals("align")) {
                align = (int) intLiteral(expectKind(Kind.NUMBER, "an alignment"));
                if (align <= 0 || Integer.bitCount(align) != 1) throw err(m, "alignment must be a power of two");
            } else if (s.equals("ptr") || StateSpace.parse(s) != null) {
                if (!isParam) throw err(m, "unexpected " + m);
                pointer |= s.equals("ptr");
            } else if (s.startsWith("v") && s.length() == 2) {
                throw err(m, "vector variables are not supported");
            } else {
                PtxType t = PtxType.parse(s);
                if (t == null || t == PtxType.F16 || t == PtxType.PRED) throw err(m, "unsupported type " + m);
                type = t;
            }
        }
        if (type == null) throw err(peek(), "missing type in declaration");
        Token name = expectKind(Kind.WORD, "a variable name");
        boolean isArray = false, isExtern = false;
        int count = 1;
        if (accept("[")) {
            isArray = true;
            if (accept("]")) {
                isExtern = true;
                count = 0;
            } else {
                count = (int) intLiteral(expectKind(Kind.NUMBER, "an array length"));
                expect("]");
            }
        }
        int elem = type.bytes();
        if (align == 0 || pointer) align = elem; // with .ptr, .align describes the pointed-to data
        if (align < elem) throw err(name, "alignment " + align + " is below the element size " + elem);
        byte[] init = null;
        if (accept("=")) {
            if (space != StateSpace.GLOBAL && space != StateSpace.CONST) throw err(name, "only .global and .const variables can be initialised");
            init = parseInitializer(type, count, isArray, name);
        }
        if (!isParam) expect(";");
        return new VarDecl(name.text(), space, type, align, count * elem, isArray, isExtern, 0, init, name.line());
    }

    private byte[] parseInitializer(PtxType type, int count, boolean isArray, Token at) {
        List<String> values = new ArrayList<>();
        if (isArray) {
            expect("{");
            do values.add(signedNumber()); while (accept(","));
            expect("}");
        } else {
            values.add(signedNumber());
        }
        if (values.size() > count) throw err(at, values.size() + " initialisers for " + count + " elements");
        int elem = type.bytes();
        byte[] out = new byte[count * elem];
        for (int i = 0; i < values.size(); i++) {
            long bits = PtxLiterals.bitsFor(type, values.get(i), at.line());
            for (int b = 0; b < elem; b++) out[i * elem + b] = (byte) (bits >>> (8 * b));
        }
        return out;
    }

    private String signedNumber() {
        boolean neg = accept("-");
        Token n = expectKind(Kind.NUMBER, "a number");
        return neg ? "-" + n.text() : n.text();
    }

    // ---- statements -----------------------------------------------------------------------------

    private Statement parseStatement(Token first) {
        String guard = null;
        boolean guardNeg = false;
        Token op = first;
        if (first.is("@")) {
            guardNeg = accept("!");
            guard = expectKind(Kind.WORD, "a guard predicate").text();
            op = expectKind(Kind.WORD, "an instruction");
        }
        List<Operand> operands = new ArrayList<>();
        if (!peek().is(";")) {
            do operands.add(parseOperand()); while (accept(","));
        }
        expect(";");
        String text = op.line() - 1 < lines.length ? lines[op.line() - 1].strip() : op.text();
        return new Statement(op.line(), guard, guardNeg, op.text(), operands, text);
    }

    private Operand parseOperand() {
        if (accept("[")) {
            Token base = next();
            if (base.kind() != Kind.WORD && base.kind() != Kind.NUMBER) throw err(base, "bad address base " + base);
            long off = 0;
            if (accept("+")) {
                boolean neg = accept("-");
                off = intLiteral(expectKind(Kind.NUMBER, "an offset"));
                if (neg) off = -off;
            } else if (accept("-")) {
                off = -intLiteral(expectKind(Kind.NUMBER, "an offset"));
            }
            expect("]");
            return base.kind() == Kind.WORD ? Operand.address(base.text(), null, off)
                    : Operand.address(null, base.text(), off);
        }
        if (accept("{")) {
            List<String> elems = new ArrayList<>();
            do elems.add(expectKind(Kind.WORD, "a register").text()); while (accept(","));
            expect("}");
            return Operand.vector(elems);
        }
        if (accept("!")) return Operand.not(expectKind(Kind.WORD, "a predicate").text());
        if (peek().is("-") || peek().kind() == Kind.NUMBER) return Operand.number(signedNumber());
        Token w = expectKind(Kind.WORD, "an operand");
        if (accept("|")) return Operand.pair(w.text(), expectKind(Kind.WORD, "a predicate").text());
        if (peek().is("+")) throw err(peek(), "symbol+offset operands are not supported outside [ ]");
        return Operand.name(w.text());
    }

    // ---- token helpers --------------------------------------------------------------------------

    private Token peek() { return toks.get(p); }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Kind.EOF) p++;
        return t;
    }

    private boolean accept(String s) {
        if (peek().is(s)) { p++; return true; }
        return false;
    }

    private Token expect(String s) {
        Token t = next();
        if (!t.is(s)) throw err(t, "expected '" + s + "' but found " + t);
        return t;
    }

    private Token expectKind(Kind kind, String what) {
        Token t = next();
        if (t.kind() != kind) throw err(t, "expected " + what + " but found " + t);
        return t;
    }

    private void skipLine(int line) {
        while (peek().kind() != Kind.EOF && peek().line() == line) p++;
    }

    private static long intLiteral(Token t) {
        return PtxLiterals.intValue(t.text(), t.line());
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) & -alignment;
    }

    private static PtxSyntaxException err(Token t, String message) {
        return new PtxSyntaxException(t.line(), message);
    }
}
