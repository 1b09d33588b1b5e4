package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaStatus;

/**
 * Runs a decoded kernel over a grid, one block at a time.
 *
 * <p>Within a block, threads that share a program counter run together: each instruction is
 * dispatched once and applied to all of them (their register columns), which amortises decoding
 * and dispatch over the block. When a branch splits them, each thread keeps its own program counter
 * and the scheduler runs the group with the lowest one until it reaches the next-lowest parked
 * program counter, where the groups merge ("min-PC" scheduling). For the structured control flow
 * that compilers and hand-written kernels produce, threads therefore reconverge where their paths
 * meet, so warp-level instructions after an if/else see the whole warp again.
 *
 * <p>{@code bar.sync} parks a thread until every thread of the block that has not exited is parked
 * at it; then all are released together and shared memory starts a new race-check interval.
 * Threads parked at different {@code bar.sync} instructions are reported as barrier divergence.
 * Blocks run sequentially in x, y, z order, which is one of the orders a GPU may choose.
 */
final class PtxInterpreter {
    private PtxInterpreter() {}

    static void run(ExecutionContext x) {
        for (int cz = 0; cz < x.gz; cz++) {
            for (int cy = 0; cy < x.gy; cy++) {
                for (int cx = 0; cx < x.gx; cx++) {
                    if (x.executed > x.budget) throw timeout(x, null);
                    x.beginBlock(cx, cy, cz);
                    runBlock(x);
                }
            }
        }
    }

    private static void runBlock(ExecutionContext x) {
        final int T = x.T;
        final int[] pc = x.pc;
        final byte[] state = x.state;
        java.util.Arrays.fill(state, ExecutionContext.RUNNING);
        java.util.Arrays.fill(pc, 0);
        while (true) {
            // the lowest program counter runs next; the second lowest is where it must stop to merge
            int minPc = Integer.MAX_VALUE, nextPc = Integer.MAX_VALUE;
            boolean waiting = false;
            for (int t = 0; t < T; t++) {
                byte s = state[t];
                if (s == ExecutionContext.RUNNING) {
                    int p = pc[t];
                    if (p < minPc) {
                        nextPc = minPc;
                        minPc = p;
                    } else if (p > minPc && p < nextPc) {
                        nextPc = p;
                    }
                } else if (s == ExecutionContext.WAITING) {
                    waiting = true;
                }
            }
            if (minPc == Integer.MAX_VALUE) {
                if (!waiting) return;
                releaseBarrier(x);
                continue;
            }
            int[] lanes = x.lanes;
            int n = 0;
            for (int t = 0; t < T; t++) {
                if (state[t] == ExecutionContext.RUNNING && pc[t] == minPc) lanes[n++] = t;
            }
            x.nextPc = nextPc;
            runGroup(x, minPc, n);
        }
    }

    /** Runs the {@code n} threads in {@code x.lanes} from {@code pc} until they split, park or exit. */
    private static void runGroup(ExecutionContext x, int pc, int n) {
        final Insn[] code = x.code;
        final long[] r = x.regs;
        final int T = x.T;
        final int[] guardLanes = x.guardLanes;
        int[] lanes = x.lanes;
        while (true) {
            if (pc >= x.nextPc) {
                // caught up with threads parked further on: stop so the scheduler merges the groups
                for (int i = 0; i < n; i++) x.pc[lanes[i]] = pc;
                return;
            }
            Insn in = code[pc];
            int[] active = lanes;
            int m = n;
            if (in.guard >= 0) {
                int g = in.guard * T;
                boolean neg = in.guardNeg;
                m = 0;
                for (int i = 0; i < n; i++) {
                    int t = lanes[i];
                    if ((r[g + t] != 0) != neg) guardLanes[m++] = t;
                }
                active = guardLanes;
            }
            x.executed += m;
            switch (in.op.unit) {
                case INT -> { if (m > 0) IntegerAlu.exec(x, in, active, m); pc++; }
                case FLOAT -> { if (m > 0) FloatAlu.exec(x, in, active, m); pc++; }
                case CVT -> { if (m > 0) Conversions.exec(x, in, active, m); pc++; }
                case MEMORY -> { if (m > 0) MemoryUnit.exec(x, in, active, m); pc++; }
                case WARP -> { WarpUnit.exec(x, in, lanes, n, active, m); pc++; }
                case CONTROL -> {
                    switch (in.op) {
                        case NOP -> pc++;
                        case BRA -> {
                            if (x.executed > x.budget) throw timeout(x, in);
                            if (m == n) {
                                pc = in.target;
                            } else if (m == 0) {
                                pc++;
                            } else {
                                for (int i = 0; i < n; i++) x.pc[lanes[i]] = pc + 1;
                                for (int i = 0; i < m; i++) x.pc[active[i]] = in.target;
                                return;
                            }
                        }
                        case EXIT, BAR -> {
                            if (m == 0) { pc++; continue; }
                            byte to = in.op == Op.EXIT ? ExecutionContext.EXITED : ExecutionContext.WAITING;
                            for (int i = 0; i < m; i++) {
                                int t = active[i];
                                x.state[t] = to;
                                x.pc[t] = pc + 1;
                                x.barrierPc[t] = pc;
                            }
                            if (m == n) return;
                            n = complement(lanes, n, active, m, x.spare);
                            int[] tmp = x.lanes;
                            x.lanes = x.spare;
                            x.spare = tmp;
                            lanes = x.lanes;
                            pc++;
                        }
                        default -> throw new IllegalStateException(in.op.name());
                    }
                }
            }
        }
    }

    /** {@code lanes} minus its ordered subsequence {@code sub}, into {@code out}; returns the count. */
    private static int complement(int[] lanes, int n, int[] sub, int m, int[] out) {
        int j = 0, k = 0;
        for (int i = 0; i < n; i++) {
            int t = lanes[i];
            if (j < m && sub[j] == t) j++;
            else out[k++] = t;
        }
        return k;
    }

    private static void releaseBarrier(ExecutionContext x) {
        int at = -1, first = -1;
        for (int t = 0; t < x.T; t++) {
            if (x.state[t] != ExecutionContext.WAITING) continue;
            if (at < 0) {
                at = x.barrierPc[t];
                first = t;
            } else if (x.barrierPc[t] != at) {
                Insn a = x.code[at], b = x.code[x.barrierPc[t]];
                throw x.fault(CudaStatus.LAUNCH_FAILED, b, t, "barrier divergence: this thread waits at line "
                        + b.line + " while thread " + x.threadName(first) + " waits at line " + a.line
                        + " `" + a.text + "`; every non-exited thread of a block must reach the same bar.sync");
            }
        }
        for (int t = 0; t < x.T; t++) {
            if (x.state[t] == ExecutionContext.WAITING) x.state[t] = ExecutionContext.RUNNING;
        }
        x.shared.barrier();
    }

    private static io.flambeau.backend.cuda.api.CudaException timeout(ExecutionContext x, Insn in) {
        return x.fault(CudaStatus.LAUNCH_TIMEOUT, in, -1, "executed more than " + x.budget
                + " thread-instructions; an endless loop? (raise the simulator's instruction budget if not)");
    }
}
