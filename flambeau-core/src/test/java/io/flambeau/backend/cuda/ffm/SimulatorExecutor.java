package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the loopback's kernel launches on the simulated device's PTX interpreter (SimulatedCuda,
 * test scope), so that the FFM binding, the loopback driver and the interpreter together execute
 * the very PTX the GPU would get.
 *
 * <p>The simulator owns its own device memory, so each launch is mirrored: every loopback
 * allocation an argument points into (a 64-bit parameter, or an aligned 64-bit word of a
 * {@code .b8} array, holding an address inside it) is copied into a simulator allocation, the
 * pointer is rebased, the kernel runs, and the allocation is copied back. Host addresses of malloc'd
 * blocks never coincide with the sizes and strides kernels take, so the rebasing is unambiguous in
 * practice. Kernels that read a device table of pointers (the multi-tensor optimizer kernels,
 * {@code mt_*}) get one level more: the 64-bit words of the allocations their arguments point into
 * that hold loopback addresses are rebased in the simulator's copy too, and put back as they were
 * when the allocation is copied back. Simulator failures (illegal address, misaligned access, ...) come back as their
 * CUresult; the full message is kept in {@link #lastError()}.
 */
final class SimulatorExecutor implements Loopback.KernelExecutor {
    private record Loaded(long simModule, Map<String, PtxSignature> kernels, Map<String, Long> functions) {}

    private final CudaApi sim;
    private final long simContext;
    private final Map<Long, Loaded> modules = new HashMap<>();
    private volatile CudaException lastError;

    private SimulatorExecutor(CudaApi sim) {
        this.sim = sim;
        sim.init();
        this.simContext = sim.primaryCtxRetain(0);
    }

    /** A simulated device matching the loopback: a CUDA 13.0 driver and one sm_75 GPU. */
    static SimulatorExecutor create() {
        return new SimulatorExecutor(SimulatedCudaConfig.builder().driverVersion(13000).create());
    }

    /** The simulator's exception behind the last failed load or launch, or null. */
    CudaException lastError() { return lastError; }

    @Override
    public int load(long module, String ptx, StringBuilder log) {
        try {
            sim.ctxSetCurrent(simContext);
            long m = sim.moduleLoadData(ptx);
            modules.put(module, new Loaded(m, PtxSignature.parse(ptx), new HashMap<>()));
            return CudaStatus.SUCCESS;
        } catch (CudaException e) {
            lastError = e;
            log.append(e.jitLog() != null ? e.jitLog() : e.getMessage());
            return e.code();
        }
    }

    @Override
    public void unload(long module) {
        Loaded l = modules.remove(module);
        if (l != null) {
            sim.ctxSetCurrent(simContext);
            sim.moduleUnload(l.simModule());
        }
    }

    @Override
    public int launch(long module, String kernel, int[] d, long stream, MemorySegment kernelParams) {
        Map<Long, long[]> mirrors = new LinkedHashMap<>(); // loopback base -> {size, simulator base}
        try {
            sim.ctxSetCurrent(simContext);
            Loaded l = modules.get(module);
            PtxSignature sig = l.kernels().get(kernel);
            long f = l.functions().computeIfAbsent(kernel, k -> sim.moduleGetFunction(l.simModule(), k));
            KernelArgs args = readArguments(sig, kernelParams, mirrors);
            Map<Long, Long> tableWords = kernel.startsWith("mt_") ? rebaseTables(mirrors) : Map.of();
            sim.launchKernel(f, d[0], d[1], d[2], d[3], d[4], d[5], d[6], 0, args);
            sim.ctxSynchronize();
            for (Map.Entry<Long, long[]> m : mirrors.entrySet()) {
                sim.memcpyDtoH(host(m.getKey(), m.getValue()[0]), m.getValue()[1], m.getValue()[0]);
            }
            for (Map.Entry<Long, Long> w : tableWords.entrySet()) {
                MemorySegment.ofAddress(w.getKey()).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, w.getValue());
            }
            return CudaStatus.SUCCESS;
        } catch (CudaException e) {
            lastError = e;
            return e.code();
        } finally {
            for (long[] m : mirrors.values()) sim.memFree(m[1]);
        }
    }

    /** The arguments as the kernel declares them, with loopback addresses rebased into the simulator. */
    private KernelArgs readArguments(PtxSignature sig, MemorySegment kernelParams, Map<Long, long[]> mirrors) {
        KernelArgs args = new KernelArgs();
        MemorySegment array = kernelParams.reinterpret(8L * sig.params().size());
        for (int i = 0; i < sig.params().size(); i++) {
            PtxSignature.Param p = sig.params().get(i);
            byte[] v = array.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(p.size()).toArray(ValueLayout.JAVA_BYTE);
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            boolean array8 = p.type().equals("b8") && p.size() > 1;
            if (array8) {
                for (int off = 0; off + 8 <= v.length; off += 8) b.putLong(off, rebase(b.getLong(off), mirrors));
                args.bytes(v, p.alignment());
            } else {
                switch (p.type()) {
                    case "f32" -> args.f32(b.getFloat(0));
                    case "f64" -> args.f64(b.getDouble(0));
                    case "u64", "b64" -> {
                        long r = rebase(b.getLong(0), mirrors);
                        if (r != b.getLong(0)) args.ptr(r); else args.u64(r);
                    }
                    case "s64" -> args.s64(b.getLong(0));
                    case "u32", "b32" -> args.u32(b.getInt(0));
                    case "s32" -> args.s32(b.getInt(0));
                    default -> args.bytes(v, p.alignment());
                }
            }
        }
        return args;
    }

    /**
     * Rebases the loopback addresses stored in the allocations mirrored so far (device tables) in the
     * simulator's copies; returns the loopback address of each rebased word and its original value.
     */
    private Map<Long, Long> rebaseTables(Map<Long, long[]> mirrors) {
        Map<Long, Long> words = new LinkedHashMap<>();
        for (Map.Entry<Long, long[]> m : List.copyOf(mirrors.entrySet())) {
            long base = m.getKey(), size = m.getValue()[0], simBase = m.getValue()[1];
            ByteBuffer copy = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(host(base, size).order(ByteOrder.LITTLE_ENDIAN)).flip();
            boolean changed = false;
            for (int off = 0; off + 8 <= size; off += 8) {
                long v = copy.getLong(off), r = rebase(v, mirrors);
                if (r != v) {
                    copy.putLong(off, r);
                    words.put(base + off, v);
                    changed = true;
                }
            }
            if (changed) sim.memcpyHtoD(simBase, copy, size);
        }
        return words;
    }

    /** The simulator address for a loopback address (mirroring its allocation once), or the value unchanged. */
    private long rebase(long value, Map<Long, long[]> mirrors) {
        if (value == 0) return 0;
        long[] a = Loopback.findAllocation(value, 1);
        if (a == null) a = Loopback.findAllocation(value - 1, 1); // one past the end
        if (a == null) return value;
        long[] m = mirrors.get(a[0]);
        if (m == null) {
            long simBase = sim.memAlloc(a[1]);
            sim.memcpyHtoD(simBase, host(a[0], a[1]), a[1]);
            m = new long[] {a[1], simBase};
            mirrors.put(a[0], m);
        }
        return m[1] + (value - a[0]);
    }

    private static ByteBuffer host(long base, long size) {
        return MemorySegment.ofAddress(base).reinterpret(size).asByteBuffer();
    }
}
