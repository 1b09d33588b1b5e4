package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaStatus;

/**
 * Integer, bit and predicate instructions, each applied to the {@code m} active threads in
 * {@code L}. Register row {@code X} of thread {@code t} is {@code regs[X*T + t]}.
 */
final class IntegerAlu {
    private static final long M32 = 0xFFFF_FFFFL;

    private IntegerAlu() {}

    static void exec(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int d = in.d * T, a = in.a * T, b = in.b * T, c = in.c * T;
        final int k = in.kind;
        switch (in.op) {
            case MOV -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t]; } }
            case ADD -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] + r[b + t]; } }
            case SUB -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] - r[b + t]; } }
            case MUL_LO -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] * r[b + t]; } }
            case MAD_LO -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] * r[b + t] + r[c + t]; } }
            case NEG -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = -r[a + t]; } }
            case AND -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] & r[b + t]; } }
            case OR -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] | r[b + t]; } }
            case XOR -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] ^ r[b + t]; } }
            case NOT -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = ~r[a + t]; } }
            case NOT_PRED -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[a + t] ^ 1; } }
            case CNOT -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = IntKind.ext(r[a + t], k) == 0 ? 1 : 0; } }
            case ADD_SAT_S32 -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = clamp32((long) (int) r[a + t] + (int) r[b + t]);
                }
            }
            case SUB_SAT_S32 -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = clamp32((long) (int) r[a + t] - (int) r[b + t]);
                }
            }
            case MUL_HI_S, MAD_HI_S -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long hi = mulHiSigned(r[a + t], r[b + t], in.bits);
                    r[d + t] = in.op == Op.MAD_HI_S ? hi + r[c + t] : hi;
                }
            }
            case MUL_HI_U, MAD_HI_U -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long hi = mulHiUnsigned(r[a + t], r[b + t], in.bits);
                    r[d + t] = in.op == Op.MAD_HI_U ? hi + r[c + t] : hi;
                }
            }
            case MUL_WIDE_S, MUL_WIDE_U -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = IntKind.ext(r[a + t], k) * IntKind.ext(r[b + t], k);
                }
            }
            case MAD_WIDE_S, MAD_WIDE_U -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = IntKind.ext(r[a + t], k) * IntKind.ext(r[b + t], k) + r[c + t];
                }
            }
            case DIV_S, DIV_U, REM_S, REM_U -> divide(x, in, L, m, r, d, a, b, k);
            case MIN_S -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = Math.min(IntKind.ext(r[a + t], k), IntKind.ext(r[b + t], k)); } }
            case MAX_S -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = Math.max(IntKind.ext(r[a + t], k), IntKind.ext(r[b + t], k)); } }
            case MIN_U, MAX_U -> {
                boolean min = in.op == Op.MIN_U;
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long p = IntKind.ext(r[a + t], k), q = IntKind.ext(r[b + t], k);
                    r[d + t] = (Long.compareUnsigned(p, q) < 0) == min ? p : q;
                }
            }
            case ABS_S -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = Math.abs(IntKind.ext(r[a + t], k)); } }
            case SHL -> {
                int w = in.bits;
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long s = r[b + t] & M32;
                    r[d + t] = s >= w ? 0 : r[a + t] << s;
                }
            }
            case SHR_U -> {
                int w = in.bits;
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long s = r[b + t] & M32;
                    r[d + t] = s >= w ? 0 : IntKind.ext(r[a + t], k) >>> s;
                }
            }
            case SHR_S -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long s = r[b + t] & M32;
                    r[d + t] = IntKind.ext(r[a + t], k) >> Math.min(s, 63);
                }
            }
            case POPC -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = Long.bitCount(IntKind.ext(r[a + t], k)); } }
            case CLZ -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = in.bits == 32 ? Integer.numberOfLeadingZeros((int) r[a + t]) : Long.numberOfLeadingZeros(r[a + t]);
                }
            }
            case BREV -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = in.bits == 32 ? Integer.reverse((int) r[a + t]) & M32 : Long.reverse(r[a + t]);
                }
            }
            case SETP_S, SETP_U -> setp(in, L, m, r, T, d, a, b, k);
            case SELP -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = r[c + t] != 0 ? r[a + t] : r[b + t]; } }
            case SLCT_S32 -> { for (int i = 0; i < m; i++) { int t = L[i]; r[d + t] = (int) r[c + t] >= 0 ? r[a + t] : r[b + t]; } }
            case SLCT_F32 -> {
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    float s = Float.intBitsToFloat((int) r[c + t]);
                    if (in.ftz) s = FloatAlu.ftz(s);
                    r[d + t] = s >= 0f ? r[a + t] : r[b + t];
                }
            }
            case PACK -> {
                int w = in.bits;
                long mask = w == 64 ? -1L : (1L << w) - 1;
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    r[d + t] = (r[a + t] & mask) | ((r[b + t] & mask) << w);
                }
            }
            case UNPACK -> {
                int w = in.bits;
                long mask = (1L << w) - 1;
                int d2 = in.d2 * T;
                for (int i = 0; i < m; i++) {
                    int t = L[i];
                    long v = r[a + t];
                    r[d + t] = v & mask;
                    r[d2 + t] = (v >>> w) & mask;
                }
            }
            default -> throw new IllegalStateException("not an integer op: " + in.op);
        }
    }

    private static void divide(ExecutionContext x, Insn in, int[] L, int m, long[] r, int d, int a, int b, int k) {
        boolean rem = in.op == Op.REM_S || in.op == Op.REM_U;
        boolean unsigned64 = k == IntKind.U64;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            long p = IntKind.ext(r[a + t], k), q = IntKind.ext(r[b + t], k);
            if (q == 0) {
                throw x.fault(CudaStatus.LAUNCH_FAILED, in, t, "integer division by zero (PTX leaves the result "
                        + "unspecified; guard the divisor)");
            }
            if (unsigned64) r[d + t] = rem ? Long.remainderUnsigned(p, q) : Long.divideUnsigned(p, q);
            else r[d + t] = rem ? p % q : p / q;
        }
    }

    private static void setp(Insn in, int[] L, int m, long[] r, int T, int d, int a, int b, int k) {
        boolean unsigned = in.op == Op.SETP_U;
        int cmp = in.sub;
        int c = in.c >= 0 ? in.c * T : -1;
        int d2 = in.d2 >= 0 ? in.d2 * T : -1;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            long p = IntKind.ext(r[a + t], k), q = IntKind.ext(r[b + t], k);
            boolean res = Compare.ints(cmp, unsigned ? Long.compareUnsigned(p, q) : Long.compare(p, q));
            if (c < 0) {
                r[d + t] = res ? 1 : 0;
                if (d2 >= 0) r[d2 + t] = res ? 0 : 1;
            } else {
                boolean cv = (r[c + t] != 0) != in.negC;
                r[d + t] = Compare.combine(in.combine, res, cv) ? 1 : 0;
                if (d2 >= 0) r[d2 + t] = Compare.combine(in.combine, !res, cv) ? 1 : 0;
            }
        }
    }

    static long clamp32(long v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    static long mulHiSigned(long p, long q, int bits) {
        return switch (bits) {
            case 16 -> ((short) p * (short) q) >> 16;
            case 32 -> ((long) (int) p * (int) q) >> 32;
            default -> Math.multiplyHigh(p, q);
        };
    }

    static long mulHiUnsigned(long p, long q, int bits) {
        return switch (bits) {
            case 16 -> ((p & 0xFFFF) * (q & 0xFFFF)) >>> 16;
            case 32 -> ((p & M32) * (q & M32)) >>> 32;
            default -> Math.unsignedMultiplyHigh(p, q);
        };
    }
}
