package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaStatus;

/**
 * Warp-level {@code shfl.sync} and {@code vote.sync}. Warp {@code w} is threads {@code [32w, 32w+32)}
 * of the block. Every thread named by the member mask (that exists in the block) must execute the
 * instruction together with the others; a mask naming a thread that diverged or exited fails the
 * launch, as it is undefined behaviour on a GPU.
 */
final class WarpUnit {
    static final int SHFL_UP = 0, SHFL_DOWN = 1, SHFL_BFLY = 2, SHFL_IDX = 3;
    static final int VOTE_ALL = 0, VOTE_ANY = 1, VOTE_UNI = 2, VOTE_BALLOT = 3;

    private WarpUnit() {}

    /** {@code lanes/n}: threads at this instruction; {@code active/m}: those whose guard holds. */
    static void exec(ExecutionContext x, Insn in, int[] lanes, int n, int[] active, int m) {
        if (m == 0) return;
        boolean[] here = new boolean[x.T];
        for (int i = 0; i < m; i++) here[active[i]] = true;
        final long[] r = x.regs;
        final int T = x.T;
        final int maskRow = in.e * T;
        for (int i = 0; i < m; i++) {
            int t = active[i];
            int mask = (int) r[maskRow + t];
            int warpBase = t & ~31;
            if ((mask & (1 << (t & 31))) == 0) {
                throw x.fault(CudaStatus.LAUNCH_FAILED, in, t, "the member mask 0x" + Integer.toHexString(mask)
                        + " does not include the executing thread (lane " + (t & 31) + ")");
            }
            for (int l = 0; l < 32; l++) {
                int u = warpBase + l;
                if ((mask & (1 << l)) != 0 && u < T && !here[u]) {
                    throw x.fault(CudaStatus.LAUNCH_FAILED, in, t, "member mask 0x" + Integer.toHexString(mask)
                            + " names lane " + l + " (thread " + x.threadName(u)
                            + "), which is not executing this instruction (diverged, predicated off or exited)");
                }
            }
        }
        if (in.op == Op.SHFL) shuffle(x, in, active, m, r, T);
        else vote(in, active, m, r, T, maskRow);
    }

    private static void shuffle(ExecutionContext x, Insn in, int[] active, int m, long[] r, int T) {
        final int a = in.a * T, b = in.b * T, c = in.c * T, d = in.d * T;
        final int p = in.d2 >= 0 ? in.d2 * T : -1;
        long[] value = new long[m];
        boolean[] valid = new boolean[m];
        for (int i = 0; i < m; i++) {
            int t = active[i];
            int lane = t & 31;
            int bval = (int) r[b + t] & 31;
            int cv = (int) r[c + t];
            int clamp = cv & 31, segMask = (cv >>> 8) & 31;
            int maxLane = (lane & segMask) | (clamp & ~segMask);
            int minLane = lane & segMask;
            int j;
            boolean pval;
            switch (in.sub) {
                case SHFL_UP -> { j = lane - bval; pval = j >= maxLane; }
                case SHFL_DOWN -> { j = lane + bval; pval = j <= maxLane; }
                case SHFL_BFLY -> { j = lane ^ bval; pval = j <= maxLane; }
                default -> { j = minLane | (bval & ~segMask); pval = j <= maxLane; }
            }
            if (!pval) j = lane;
            int src = (t & ~31) + j;
            if (src >= T) {
                throw x.fault(CudaStatus.LAUNCH_FAILED, in, t, "shfl reads lane " + j + ", which does not exist in this block");
            }
            value[i] = r[a + src];
            valid[i] = pval;
        }
        for (int i = 0; i < m; i++) {
            int t = active[i];
            r[d + t] = value[i];
            if (p >= 0) r[p + t] = valid[i] ? 1 : 0;
        }
    }

    private static void vote(Insn in, int[] active, int m, long[] r, int T, int maskRow) {
        final int a = in.a * T, d = in.d * T;
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            int t = active[i];
            int mask = (int) r[maskRow + t];
            int base = t & ~31;
            int ballot = 0;
            int members = 0;
            for (int l = 0; l < 32; l++) {
                int u = base + l;
                if ((mask & (1 << l)) == 0 || u >= T) continue;
                members |= 1 << l;
                if ((r[a + u] != 0) != in.negC) ballot |= 1 << l;
            }
            out[i] = switch (in.sub) {
                case VOTE_ALL -> ballot == members ? 1 : 0;
                case VOTE_ANY -> ballot != 0 ? 1 : 0;
                case VOTE_UNI -> ballot == 0 || ballot == members ? 1 : 0;
                default -> ballot & 0xFFFF_FFFFL;
            };
        }
        for (int i = 0; i < m; i++) r[d + active[i]] = out[i];
    }
}
