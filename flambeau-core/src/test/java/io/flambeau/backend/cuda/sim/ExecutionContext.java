package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.sim.PtxKernel.Uniform;

/**
 * Everything one kernel launch works on: the register file (row per register, column per thread of
 * the block), per-thread program counters and states, the parameter buffer, shared memory, the
 * device memory and the instruction budget; plus the error reports that name kernel, PTX line,
 * thread and block.
 */
final class ExecutionContext {
    /** Generic addresses of shared memory: {@code cvta.shared} adds this to a shared-space address. */
    static final long SHARED_WINDOW = 0x0000_7E00_0000_0000L;
    static final long SHARED_WINDOW_SPAN = 1L << 32;
    static final String CALL = "cuLaunchKernel";

    static final byte RUNNING = 0, WAITING = 1, EXITED = 2;

    final PtxKernel kernel;
    final Insn[] code;
    final int bx, by, bz, gx, gy, gz;
    /** Threads per block. */
    final int T;
    final long[] regs;
    final int[] pc;
    final byte[] state;
    final int[] barrierPc;
    int[] lanes, spare;
    final int[] guardLanes;
    final byte[] params;
    final DeviceMemory memory;
    final SharedMemory shared = new SharedMemory();
    final long[] variableAddresses;
    Allocation cache = Allocation.none();
    /** Where the last located memory access landed (set by MemoryUnit). */
    byte[] accessData;
    int accessOffset;
    int ctaX, ctaY, ctaZ;
    /** Lowest program counter of running threads outside the current group (merge point). */
    int nextPc = Integer.MAX_VALUE;
    long executed;
    final long budget;
    private final int[] perBlockRows;
    private final int[] perBlockKinds;

    ExecutionContext(PtxKernel kernel, ModuleInstance module, DeviceMemory memory, byte[] params,
                     int gx, int gy, int gz, int bx, int by, int bz, int dynamicShared, long budget,
                     boolean raceCheck) {
        this.kernel = kernel;
        this.code = kernel.code;
        this.gx = gx; this.gy = gy; this.gz = gz;
        this.bx = bx; this.by = by; this.bz = bz;
        this.T = bx * by * bz;
        this.regs = new long[kernel.rows * T];
        this.pc = new int[T];
        this.state = new byte[T];
        this.barrierPc = new int[T];
        this.lanes = new int[T];
        this.spare = new int[T];
        this.guardLanes = new int[T];
        this.params = params;
        this.memory = memory;
        this.variableAddresses = module.variableAddresses;
        this.budget = budget;
        shared.prepare(kernel.dynamicSharedOffset + dynamicShared);
        shared.raceCheck = raceCheck;
        int perBlock = 0;
        for (int k : kernel.uniformKind) if (Uniform.isPerBlock(k)) perBlock++;
        perBlockRows = new int[perBlock];
        perBlockKinds = new int[perBlock];
        fillUniforms();
    }

    private void fillUniforms() {
        int nb = 0;
        for (int i = 0; i < kernel.uniformRow.length; i++) {
            int row = kernel.uniformRow[i] * T;
            int kind = kernel.uniformKind[i];
            if (Uniform.isPerBlock(kind)) {
                perBlockRows[nb] = kernel.uniformRow[i];
                perBlockKinds[nb++] = kind;
                continue;
            }
            for (int t = 0; t < T; t++) {
                regs[row + t] = switch (kind) {
                    case Uniform.CONST -> kernel.uniformValue[i];
                    case Uniform.TID_X -> t % bx;
                    case Uniform.TID_Y -> (t / bx) % by;
                    case Uniform.TID_Z -> t / (bx * by);
                    case Uniform.NTID_X -> bx;
                    case Uniform.NTID_Y -> by;
                    case Uniform.NTID_Z -> bz;
                    case Uniform.NCTAID_X -> gx;
                    case Uniform.NCTAID_Y -> gy;
                    case Uniform.NCTAID_Z -> gz;
                    case Uniform.LANEID -> t & 31;
                    case Uniform.WARPID -> t >>> 5;
                    case Uniform.NWARPID -> (T + 31) >>> 5;
                    case Uniform.GLOBAL_VAR -> variableAddresses[(int) kernel.uniformValue[i]];
                    default -> throw new IllegalStateException("uniform kind " + kind);
                };
            }
        }
    }

    /** Sets {@code %ctaid} and gives the block fresh shared memory. */
    void beginBlock(int cx, int cy, int cz) {
        ctaX = cx; ctaY = cy; ctaZ = cz;
        for (int i = 0; i < perBlockRows.length; i++) {
            long v = switch (perBlockKinds[i]) {
                case Uniform.CTAID_X -> cx;
                case Uniform.CTAID_Y -> cy;
                default -> cz;
            };
            java.util.Arrays.fill(regs, perBlockRows[i] * T, perBlockRows[i] * T + T, v);
        }
        shared.beginBlock();
    }

    // ---- memory resolution ----------------------------------------------------------------------

    /** The allocation holding {@code [addr, addr+size)} for lane {@code t}, or an ILLEGAL_ADDRESS. */
    Allocation resolveGlobal(long addr, int size, Insn in, int t) {
        Allocation a = memory.find(addr);
        if (a == null || addr - a.base + size > a.size) {
            String where = a == null ? memory.describe(addr)
                    : "0x" + Long.toHexString(addr) + " + " + size + " bytes runs past the end of " + a;
            throw fault(CudaStatus.ILLEGAL_ADDRESS, in, t, spaceName(in) + " access of " + size + " bytes: " + where);
        }
        cache = a;
        return a;
    }

    CudaException misaligned(Insn in, int t, long addr, int size) {
        return fault(CudaStatus.MISALIGNED_ADDRESS, in, t, spaceName(in) + " access of " + size
                + " bytes at 0x" + Long.toHexString(addr) + " is not " + size + "-byte aligned");
    }

    CudaException sharedOutOfRange(Insn in, int t, long addr, int size) {
        return fault(CudaStatus.ILLEGAL_ADDRESS, in, t, "shared access of " + size + " bytes at shared offset "
                + addr + " is outside the block's " + shared.size + " bytes of shared memory");
    }

    CudaException race(Insn in, int t, long offset) {
        String other = shared.conflictThread == SharedMemory.MANY ? "several other threads"
                : shared.conflictThread == SharedMemory.ATOMIC ? "atomics of other threads"
                : "thread " + threadName(shared.conflictThread);
        String at = shared.conflictLine > 0 ? " (line " + shared.conflictLine + ")" : "";
        return fault(CudaStatus.LAUNCH_FAILED, in, t, "shared-memory data race: the thread "
                + shared.conflictKind + " " + other + at + " at shared offset " + offset
                + " with no bar.sync in between");
    }

    static String spaceName(Insn in) {
        return switch (in.space) {
            case GLOBAL -> "global";
            case SHARED -> "shared";
            case CONST -> "const";
            default -> "generic";
        };
    }

    // ---- error reports --------------------------------------------------------------------------

    String threadName(int t) {
        return "(" + (t % bx) + "," + ((t / bx) % by) + "," + (t / (bx * by)) + ")";
    }

    String blockName() {
        return "(" + ctaX + "," + ctaY + "," + ctaZ + ")";
    }

    /** A launch failure naming the kernel, PTX line and text, thread and block. */
    CudaException fault(int status, Insn in, int t, String what) {
        String where = "kernel '" + kernel.name + "'"
                + (in != null ? " line " + in.line + " `" + in.text + "`" : "")
                + (t >= 0 ? ", thread " + threadName(t) : "") + " of block " + blockName();
        return CudaStatus.error(status, CALL, where + ": " + what);
    }
}
