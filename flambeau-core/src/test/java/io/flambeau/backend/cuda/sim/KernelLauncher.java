package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Module loading (with a cache of parsed modules keyed by PTX text) and kernel launches: checks
 * that a real driver would make (grid and block limits, shared memory, parameter count and sizes),
 * binds {@link KernelArgs} to the {@code .param}s, and runs the interpreter.
 */
final class KernelLauncher {
    static final int MAX_THREADS_PER_BLOCK = 1024;
    static final int[] MAX_BLOCK = {1024, 1024, 64};
    static final long[] MAX_GRID = {Integer.MAX_VALUE, 65535, 65535};
    private static final Pattern VERSION = Pattern.compile("\\.version\\s+(\\d+)\\.(\\d+)");

    private final SimulatedCudaConfig cfg;
    private final DecodeOptions options;
    private final Map<String, PtxModule> cache;
    long parses;
    long launches;
    long instructions;
    final Map<String, Long> launchesByKernel = new LinkedHashMap<>();

    KernelLauncher(SimulatedCudaConfig cfg) {
        this.cfg = cfg;
        this.options = new DecodeOptions(cfg.requireExplicitRounding());
        int max = cfg.moduleCacheSize();
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PtxModule> e) { return size() > max; }
        };
    }

    /** Parses (or finds in the cache) and loads {@code ptx} onto a device's memory. */
    ModuleInstance load(String ptx, int ordinal, DeviceMemory memory) {
        String call = "cuModuleLoadDataEx";
        if (ptx == null) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "PTX text is null");
        PtxModule m = cache.get(ptx);
        if (m == null) {
            checkVersion(ptx, call);
            try {
                m = PtxModule.load(ptx, options);
            } catch (PtxSyntaxException e) {
                int code = e.unsupportedVersion ? CudaStatus.UNSUPPORTED_PTX_VERSION : CudaStatus.INVALID_PTX;
                throw new CudaException(call, code, CudaStatus.name(code), CudaStatus.string(code),
                        "PTX line " + e.line + ": " + e.getMessage(), e.jitLog());
            }
            parses++;
            cache.put(ptx, m);
        }
        int sm = cfg.ccMajor() * 10 + cfg.ccMinor();
        if (m.targetSm > sm) {
            String log = "ptxas application ptx input, line 1; fatal   : SM version specified by .target (sm_"
                    + m.targetSm + ") is higher than the device's (sm_" + sm + ")";
            throw new CudaException(call, CudaStatus.INVALID_PTX, CudaStatus.name(CudaStatus.INVALID_PTX),
                    CudaStatus.string(CudaStatus.INVALID_PTX), ".target sm_" + m.targetSm + " on an sm_" + sm + " device", log);
        }
        List<Allocation> vars = new ArrayList<>();
        for (VarDecl v : m.globals) {
            Allocation a = memory.allocate(Math.max(1, v.size()), call, "module variable '" + v.name() + "'", false);
            java.util.Arrays.fill(a.data, (byte) 0);
            if (v.init() != null) System.arraycopy(v.init(), 0, a.data, 0, v.init().length);
            vars.add(a);
        }
        return new ModuleInstance(m, ordinal, vars);
    }

    private void checkVersion(String ptx, String call) {
        Matcher mt = VERSION.matcher(ptx);
        if (!mt.find()) return; // the parser reports the missing directive
        int v = Integer.parseInt(mt.group(1)) * 10 + Integer.parseInt(mt.group(2));
        int max = cfg.maxPtxVersion();
        if (v > max) {
            int line = (int) ptx.substring(0, mt.start()).chars().filter(c -> c == '\n').count() + 1;
            String log = "ptxas application ptx input, line " + line + "; fatal   : Unsupported .version "
                    + v / 10 + "." + v % 10 + "; current version is '" + max / 10 + "." + max % 10 + "'";
            throw new CudaException(call, CudaStatus.UNSUPPORTED_PTX_VERSION,
                    CudaStatus.name(CudaStatus.UNSUPPORTED_PTX_VERSION), CudaStatus.string(CudaStatus.UNSUPPORTED_PTX_VERSION),
                    "PTX .version " + v / 10 + "." + v % 10 + " needs a newer driver than " + cfg.driverVersion(), log);
        }
    }

    void launch(ModuleInstance mi, PtxKernel k, DeviceMemory memory, int gx, int gy, int gz,
                int bx, int by, int bz, int sharedBytes, KernelArgs args) {
        String call = ExecutionContext.CALL;
        String kn = "kernel '" + k.name + "': ";
        int[] grid = {gx, gy, gz}, block = {bx, by, bz};
        for (int i = 0; i < 3; i++) {
            if (grid[i] < 1 || grid[i] > MAX_GRID[i]) {
                throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "grid dimension " + "xyz".charAt(i) + " = "
                        + Integer.toUnsignedString(grid[i]) + " is outside [1, " + MAX_GRID[i] + "]");
            }
            if (block[i] < 1 || block[i] > MAX_BLOCK[i]) {
                throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "block dimension " + "xyz".charAt(i) + " = "
                        + block[i] + " is outside [1, " + MAX_BLOCK[i] + "]");
            }
        }
        long threads = (long) bx * by * bz;
        if (threads > MAX_THREADS_PER_BLOCK) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "block " + bx + "x" + by + "x" + bz + " has "
                    + threads + " threads; the limit is " + MAX_THREADS_PER_BLOCK);
        }
        if (k.reqntid != null && (k.reqntid[0] != bx || k.reqntid[1] != by || k.reqntid[2] != bz)) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "declares .reqntid " + k.reqntid[0] + ","
                    + k.reqntid[1] + "," + k.reqntid[2] + " but was launched with " + bx + "," + by + "," + bz);
        }
        if (k.maxntid != null && threads > (long) k.maxntid[0] * k.maxntid[1] * k.maxntid[2]) {
            throw CudaStatus.error(CudaStatus.LAUNCH_OUT_OF_RESOURCES, call, kn + "declares .maxntid " + k.maxntid[0] + ","
                    + k.maxntid[1] + "," + k.maxntid[2] + " but was launched with " + threads + " threads");
        }
        if (sharedBytes < 0 || (long) k.dynamicSharedOffset + sharedBytes > InstructionDecoder.MAX_SHARED_BYTES) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + sharedBytes + " bytes of dynamic shared memory on top of "
                    + k.dynamicSharedOffset + " static exceed the " + InstructionDecoder.MAX_SHARED_BYTES + "-byte limit");
        }
        byte[] params = bindParams(k, args, call, kn);
        ExecutionContext x = new ExecutionContext(k, mi, memory, params, gx, gy, gz, bx, by, bz, sharedBytes,
                cfg.instructionBudget(), cfg.raceCheck());
        launches++;
        launchesByKernel.merge(k.name, 1L, Long::sum);
        try {
            PtxInterpreter.run(x);
        } finally {
            instructions += x.executed;
        }
    }

    private static byte[] bindParams(PtxKernel k, KernelArgs args, String call, String kn) {
        if (args == null) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "kernel arguments are null");
        if (args.count() != k.params.size()) {
            StringBuilder decl = new StringBuilder();
            for (VarDecl p : k.params) decl.append(decl.isEmpty() ? "" : ", ").append(p.describe());
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + "takes " + k.params.size() + " parameters ("
                    + decl + ") but " + args.count() + " arguments were given " + args);
        }
        byte[] buf = new byte[k.paramBytes];
        for (int i = 0; i < args.count(); i++) {
            VarDecl p = k.params.get(i);
            KernelArgs.Kind kind = args.kind(i);
            String which = "parameter " + i + " '" + p.name() + "' (" + p.describe() + ")";
            if (args.size(i) != p.size()) {
                throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + which + " takes " + p.size()
                        + " bytes but argument " + i + " is " + kind.name().toLowerCase() + " of " + args.size(i) + " bytes");
            }
            if (!p.isArray() && kind != KernelArgs.Kind.BYTES && !compatible(p.type(), kind)) {
                throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, kn + which + " is ." + p.type().ptxName()
                        + " but argument " + i + " is " + kind.name().toLowerCase()
                        + " (declare the parameter .b" + p.type().bits + " to pass raw bits)");
            }
            args.copyTo(i, buf, p.offset());
        }
        return buf;
    }

    private static boolean compatible(PtxType t, KernelArgs.Kind kind) {
        return switch (t.kind) {
            case FLOAT -> (t == PtxType.F32 && kind == KernelArgs.Kind.F32) || (t == PtxType.F64 && kind == KernelArgs.Kind.F64);
            case SIGNED, UNSIGNED -> !kind.isFloat();
            default -> true;
        };
    }
}
