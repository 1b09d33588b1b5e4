package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.KernelArgs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Loaded kernels of one device, and the one place kernels are launched from.
 *
 * <p>Two levels of caching, keyed by what determines the code: generated kernels by their spec
 * (an {@link ElementwiseSpec} or another generator's key), shipped kernels by file and entry name;
 * each distinct PTX text is JIT-compiled once ({@code cuModuleLoadData}). A JIT failure is reported
 * with the compiler's log beside the numbered PTX, and a failed launch names the kernel, its
 * geometry and its arguments.
 */
final class KernelCache implements AutoCloseable {
    /** A loaded entry point. */
    record Kernel(String name, long function) {}

    /** Threads per block for one-dimensional launches. */
    static final int BLOCK = 256;

    private final CudaContext ctx;
    private final Map<Object, Kernel> kernels = new ConcurrentHashMap<>();
    private final Map<String, Long> modules = new ConcurrentHashMap<>();

    KernelCache(CudaContext ctx) {
        this.ctx = ctx;
    }

    /** The generated kernel for {@code key}, emitting its PTX on first use. */
    Kernel generated(Object key, String entry, Supplier<String> ptx) {
        Kernel k = kernels.get(key);
        if (k != null) return k;
        return kernels.computeIfAbsent(key, x -> new Kernel(entry, function(ptx.get(), entry)));
    }

    Kernel elementwise(ElementwiseSpec spec) {
        return generated(spec, spec.kernelName(), () -> PtxEmitter.emit(spec));
    }

    /** Entry {@code entry} of the shipped kernel file {@code kernels/<file>} (a class-path resource). */
    Kernel shipped(String file, String entry) {
        String key = file + "#" + entry;
        Kernel k = kernels.get(key);
        if (k != null) return k;
        return kernels.computeIfAbsent(key, x -> new Kernel(entry, function(resource(file), entry)));
    }

    /** The text of a shipped kernel file. */
    static String resource(String file) {
        String path = "/io/flambeau/kernels/" + file;
        try (InputStream in = KernelCache.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("kernel file " + path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernel file " + path, e);
        }
    }

    private long function(String ptx, String entry) {
        ctx.makeCurrent();
        long module = modules.computeIfAbsent(ptx, text -> {
            try {
                return ctx.api.moduleLoadData(text);
            } catch (CudaException e) {
                throw new CudaException(e.call(), e.code(), e.errorName(), e.errorString(),
                        "while JIT-compiling the module of kernel " + entry + " on " + ctx + "; its PTX:\n" + numbered(text),
                        e.jitLog());
            }
        });
        return ctx.api.moduleGetFunction(module, entry);
    }

    static String numbered(String text) {
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%5d  ", i + 1)).append(lines[i]).append('\n');
        return sb.toString();
    }

    /** Blocks for a grid-stride loop over {@code n} items: enough to fill the device, no more. */
    int gridFor(long n, int block) {
        long blocks = (n + block - 1) / block;
        long cap = (long) ctx.multiprocessors * 32;
        return (int) Math.max(1, Math.min(blocks, cap));
    }

    /** Launches {@code k} over {@code n} items with {@link #BLOCK} threads per block. */
    void launch1d(Kernel k, long n, KernelArgs args) {
        launch(k, gridFor(n, BLOCK), 1, 1, BLOCK, 1, 1, 0, args);
    }

    void launch(Kernel k, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, KernelArgs args) {
        ctx.makeCurrent();
        try {
            ctx.api.launchKernel(k.function, gx, gy, gz, bx, by, bz, sharedBytes, ctx.stream, args);
        } catch (CudaException e) {
            String where = "kernel " + k.name + " on " + ctx + ", grid (" + gx + "," + gy + "," + gz + "), block ("
                    + bx + "," + by + "," + bz + "), args " + args;
            throw new CudaException(e.call(), e.code(), e.errorName(), e.errorString(),
                    e.detail() == null ? where : e.detail() + "; " + where, e.jitLog());
        }
    }

    /** Number of distinct kernels loaded (tests check the caching). */
    int size() { return kernels.size(); }

    @Override
    public void close() {
        ctx.makeCurrent();
        List<CudaException> failures = new ArrayList<>();
        for (long m : modules.values()) {
            try {
                ctx.api.moduleUnload(m);
            } catch (CudaException e) {
                failures.add(e);
            }
        }
        modules.clear();
        kernels.clear();
        if (!failures.isEmpty()) throw failures.get(0);
    }
}
