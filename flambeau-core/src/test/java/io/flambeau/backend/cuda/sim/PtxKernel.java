package io.flambeau.backend.cuda.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .entry}: its declarations as parsed, then (after {@link InstructionDecoder}) its
 * pre-decoded program and register-file layout.
 *
 * <p>Register file: one row of {@code long}s per PTX register, one column per thread of the block.
 * Rows {@code [0, declaredRegisters)} are the declared registers; the rows after them are
 * "uniform" rows filled at launch: immediates (so every operand is a register), special registers
 * ({@code %tid.x}, {@code %ctaid.x}, ...) and addresses of variables.
 */
final class PtxKernel {
    final String name;
    final int line;
    final List<VarDecl> params = new ArrayList<>();
    final Map<String, PtxType> registers = new LinkedHashMap<>();
    final List<VarDecl> shared = new ArrayList<>();
    final List<Statement> statements = new ArrayList<>();
    /** Label name to the index of the statement that follows it. */
    final Map<String, Integer> labels = new HashMap<>();
    int[] maxntid;
    int[] reqntid;
    int paramBytes;

    // ---- filled by InstructionDecoder ----
    Insn[] code;
    int rows;
    int staticSharedBytes;
    /** Shared-space offset of the {@code .extern .shared} array (dynamic shared memory). */
    int dynamicSharedOffset;
    /** Uniform rows: which row, what fills it ({@link Uniform} kind), and the value/argument. */
    int[] uniformRow;
    int[] uniformKind;
    long[] uniformValue;

    PtxKernel(String name, int line) {
        this.name = name;
        this.line = line;
    }

    VarDecl param(String paramName) {
        for (VarDecl p : params) if (p.name().equals(paramName)) return p;
        return null;
    }

    /** What fills a uniform register row at launch. */
    static final class Uniform {
        static final int CONST = 0;
        static final int TID_X = 1, TID_Y = 2, TID_Z = 3;
        static final int NTID_X = 4, NTID_Y = 5, NTID_Z = 6;
        static final int CTAID_X = 7, CTAID_Y = 8, CTAID_Z = 9;
        static final int NCTAID_X = 10, NCTAID_Y = 11, NCTAID_Z = 12;
        static final int LANEID = 13, WARPID = 14, NWARPID = 15;
        /** Device address of module variable number {@code value}. */
        static final int GLOBAL_VAR = 16;

        private Uniform() {}

        /** The special register's kind, or -1 if {@code name} is not one we support. */
        static int special(String name) {
            return switch (name) {
                case "%tid.x" -> TID_X; case "%tid.y" -> TID_Y; case "%tid.z" -> TID_Z;
                case "%ntid.x" -> NTID_X; case "%ntid.y" -> NTID_Y; case "%ntid.z" -> NTID_Z;
                case "%ctaid.x" -> CTAID_X; case "%ctaid.y" -> CTAID_Y; case "%ctaid.z" -> CTAID_Z;
                case "%nctaid.x" -> NCTAID_X; case "%nctaid.y" -> NCTAID_Y; case "%nctaid.z" -> NCTAID_Z;
                case "%laneid" -> LANEID; case "%warpid" -> WARPID; case "%nwarpid" -> NWARPID;
                default -> -1;
            };
        }

        static boolean isPerBlock(int kind) { return kind >= CTAID_X && kind <= CTAID_Z; }
    }
}
