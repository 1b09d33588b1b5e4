package io.flambeau.backend.cuda.sim;

/**
 * Loads, stores and atomics. Every access is bounds- and alignment-checked: a global access must lie
 * inside one live allocation, a shared access inside the block's shared memory, and both must be
 * naturally aligned to the whole access (16 bytes for {@code ld.v4.f32}). Generic addresses in the
 * shared window ({@link ExecutionContext#SHARED_WINDOW}) go to shared memory, all others to global.
 * Threads of a group access memory one after another in thread order, so atomics see a well-defined
 * serialisation (one of those a GPU may produce).
 */
final class MemoryUnit {
    static final int ATOM_ADD = 0, ATOM_ADD_F32 = 1, ATOM_ADD_F64 = 2, ATOM_MIN = 3, ATOM_MAX = 4,
            ATOM_EXCH = 5, ATOM_CAS = 6, ATOM_AND = 7, ATOM_OR = 8, ATOM_XOR = 9, ATOM_INC = 10, ATOM_DEC = 11;
    private static final long M32 = 0xFFFF_FFFFL;

    private MemoryUnit() {}

    static void exec(ExecutionContext x, Insn in, int[] L, int m) {
        switch (in.op) {
            case LD_PARAM -> loadParam(x, in, L, m);
            case LD -> load(x, in, L, m);
            case ST -> store(x, in, L, m);
            case ATOM, RED -> atomic(x, in, L, m);
            default -> throw new IllegalStateException("not a memory op: " + in.op);
        }
    }

    private static void loadParam(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        int eb = IntKind.bytes(in.kind);
        int count = in.vec != null ? in.vec.length : 1;
        for (int e = 0; e < count; e++) {
            long v = Bytes.read(x.params, (int) in.imm + e * eb, in.kind);
            int row = (in.vec != null ? in.vec[e] : in.d) * T;
            for (int i = 0; i < m; i++) r[row + L[i]] = v;
        }
    }

    /**
     * Finds where lane {@code t}'s access of {@code size} bytes at {@code addr} lands; sets
     * {@code x.accessData}/{@code x.accessOffset} and returns true for shared memory.
     */
    private static boolean locate(ExecutionContext x, Insn in, int t, long addr, int size) {
        boolean isShared = in.space == StateSpace.SHARED;
        if (in.space == StateSpace.GENERIC && addr - ExecutionContext.SHARED_WINDOW >= 0
                && addr - ExecutionContext.SHARED_WINDOW < ExecutionContext.SHARED_WINDOW_SPAN) {
            addr -= ExecutionContext.SHARED_WINDOW;
            isShared = true;
        }
        if ((addr & (size - 1)) != 0) throw x.misaligned(in, t, addr, size);
        if (isShared) {
            if (addr < 0 || addr + size > x.shared.size) throw x.sharedOutOfRange(in, t, addr, size);
            x.accessData = x.shared.data;
            x.accessOffset = (int) addr;
            return true;
        }
        Allocation al = x.cache;
        long rel = addr - al.base;
        if (rel < 0 || rel > al.size - size) {
            al = x.resolveGlobal(addr, size, in, t);
            rel = addr - al.base;
        }
        x.accessData = al.data;
        x.accessOffset = (int) rel;
        return false;
    }

    private static long address(long[] r, int row, Insn in, int t) {
        long base = r[row + t];
        return (in.addr32 ? base & M32 : base) + in.imm;
    }

    private static void load(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int a = in.a * T, d = in.d * T, kind = in.kind, size = in.accessBytes();
        final int eb = IntKind.bytes(kind);
        final int[] vec = in.vec;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            long addr = address(r, a, in, t);
            boolean sh = locate(x, in, t, addr, size);
            byte[] data = x.accessData;
            int off = x.accessOffset;
            if (sh && !x.shared.read(off, size, t)) throw x.race(in, t, off);
            if (vec == null) {
                r[d + t] = Bytes.read(data, off, kind);
            } else {
                for (int e = 0; e < vec.length; e++) r[vec[e] * T + t] = Bytes.read(data, off + e * eb, kind);
            }
        }
    }

    private static void store(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int a = in.a * T, b = in.b * T, kind = in.kind, size = in.accessBytes();
        final int eb = IntKind.bytes(kind);
        final int[] vec = in.vec;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            long addr = address(r, a, in, t);
            boolean sh = locate(x, in, t, addr, size);
            byte[] data = x.accessData;
            int off = x.accessOffset;
            if (sh && !x.shared.write(off, size, t, in.line)) throw x.race(in, t, off);
            if (vec == null) {
                Bytes.write(data, off, kind, r[b + t]);
            } else {
                for (int e = 0; e < vec.length; e++) Bytes.write(data, off + e * eb, kind, r[vec[e] * T + t]);
            }
        }
    }

    private static void atomic(ExecutionContext x, Insn in, int[] L, int m) {
        final long[] r = x.regs;
        final int T = x.T;
        final int a = in.a * T, b = in.b * T, kind = in.kind, size = IntKind.bytes(kind);
        final int c = in.c >= 0 ? in.c * T : -1;
        final int d = in.d >= 0 ? in.d * T : -1;
        for (int i = 0; i < m; i++) {
            int t = L[i];
            long addr = address(r, a, in, t);
            boolean sh = locate(x, in, t, addr, size);
            byte[] data = x.accessData;
            int off = x.accessOffset;
            if (sh && !x.shared.atomic(off, size, t, in.line)) throw x.race(in, t, off);
            long old = Bytes.read(data, off, kind);
            long v = IntKind.ext(r[b + t], kind);
            long nv = switch (in.sub) {
                case ATOM_ADD -> old + v;
                case ATOM_ADD_F32 -> FloatAlu.bits(FloatAlu.ftz(FloatAlu.ftz(FloatAlu.f(old)) + FloatAlu.ftz(FloatAlu.f(v))));
                case ATOM_ADD_F64 -> FloatAlu.bits(FloatAlu.g(old) + FloatAlu.g(v));
                case ATOM_MIN -> (IntKind.signed(kind) ? Long.compare(v, old) : Long.compareUnsigned(v, old)) < 0 ? v : old;
                case ATOM_MAX -> (IntKind.signed(kind) ? Long.compare(v, old) : Long.compareUnsigned(v, old)) > 0 ? v : old;
                case ATOM_EXCH -> v;
                case ATOM_CAS -> old == v ? r[c + t] : old;
                case ATOM_AND -> old & v;
                case ATOM_OR -> old | v;
                case ATOM_XOR -> old ^ v;
                case ATOM_INC -> Long.compareUnsigned(old, v) >= 0 ? 0 : old + 1;
                case ATOM_DEC -> old == 0 || Long.compareUnsigned(old, v) > 0 ? v : old - 1;
                default -> throw new IllegalStateException("atomic op " + in.sub);
            };
            Bytes.write(data, off, kind, nv);
            if (d >= 0) r[d + t] = old;
        }
    }
}
