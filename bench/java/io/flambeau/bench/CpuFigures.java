package io.flambeau.bench;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.DeviceSelection;
import io.flambeau.backend.cpu.CpuParallel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prints the CPU figures of bench/cpu-figures, one line each: {@code name value unit}. Each
 * figure is the best of 5 timed rounds after warm-up, float32, on the CPU backend with the
 * machine's threads. Optional arguments name the figures to run (default: all). The first
 * figure, {@code fma_peak}, is the machine's measured multiply-add peak ({@link FmaPeak}) with as
 * many threads as the GEMMs use; it is measured whenever a GEMM figure is, so that each GEMM can
 * be read as a fraction of it. A comment line before the figures says how the GEMM is blocked.
 * {@code --list} prints the figures' names; {@code --serve} measures figures named on standard
 * input, for bench/cpu-figures to pair each with PyTorch's ({@link #serve}).
 */
public final class CpuFigures {
    private CpuFigures() {}

    record Figure(String name, String unit, Supplier<Double> measure) {}

    public static void main(String[] args) {
        DeviceSelection.setDefaultDevice(Device.CPU);
        Map<String, Figure> all = new LinkedHashMap<>();
        for (Figure f : figures()) all.put(f.name(), f);
        List<String> names = new ArrayList<>(args.length == 0 ? all.keySet() : List.of(args));
        if (io.flambeau.backend.cpu.CpuVectors.ENABLED && names.stream().anyMatch(n -> n.startsWith("sgemm_")) && !names.contains("fma_peak")) {
            names.add(0, "fma_peak");
        }
        if (args.length == 1 && args[0].equals("--list")) {
            System.out.println(String.join(" ", all.keySet()));
            return;
        }
        boolean serve = args.length == 1 && args[0].equals("--serve");
        // the blocking and vector width name Vector API classes: a JVM without the module runs the scalar kernels
        System.out.println(io.flambeau.backend.cpu.CpuVectors.ENABLED
                ? "# " + io.flambeau.backend.cpu.Sgemm.blockingDescription() + "; "
                        + FmaPeak.vectorBits() + "-bit vectors, " + CpuParallel.parallelism() + " threads"
                : "# scalar kernels (no Vector API module), " + CpuParallel.parallelism() + " threads");
        if (serve) {
            serve(all);
            return;
        }
        for (String n : names) {
            Figure f = all.get(n);
            if (f == null) {
                System.err.println("unknown figure " + n + "; known: " + all.keySet());
                System.exit(2);
            }
            System.out.printf(java.util.Locale.ROOT, "%s %.3f %s%n", f.name(), f.measure().get(), f.unit());
        }
    }

    /**
     * {@code --serve}: after the header and a line {@code # ready}, measures the figure named by
     * each line of standard input and answers with its one line ({@code name nan -} for a name it
     * does not know), flushed at once. bench/cpu-figures drives this process and PyTorch's in
     * turns, so that each pair of figures is measured within seconds of each other.
     */
    private static void serve(Map<String, Figure> all) {
        System.out.println("# ready");
        System.out.flush();
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String n = line.strip();
                if (n.isEmpty()) continue;
                Figure f = all.get(n);
                if (f == null) System.out.println(n + " nan -");
                else System.out.printf(java.util.Locale.ROOT, "%s %.3f %s%n", f.name(), f.measure().get(), f.unit());
                System.out.flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Figure> figures() {
        List<Figure> list = new ArrayList<>();
        list.add(new Figure("fma_peak", "GFLOP/s", () -> FmaPeak.gflops(CpuParallel.parallelism())));
        for (int n : new int[] {256, 1024, 2048}) {
            list.add(new Figure("sgemm_" + n, "GFLOP/s", () -> {
                Tensor a = Torch.rand(n, n), b = Torch.rand(n, n);
                double s = bestSeconds(() -> a.matmul(b), n >= 2048 ? 1 : 3);
                return 2.0 * n * n * n / s / 1e9;
            }));
        }
        list.add(new Figure("add_16M", "GB/s", () -> {
            Tensor x = Torch.rand(1 << 24), y = Torch.rand(1 << 24);
            return 3.0 * 4 * (1 << 24) / bestSeconds(() -> x.add(y), 3) / 1e9;
        }));
        list.add(new Figure("bcast_add_4096x1024", "GB/s", () -> {
            Tensor x = Torch.rand(4096, 1024), y = Torch.rand(1024);
            // bytes moved: read the matrix, write the result (the row is cached)
            return (2.0 * 4 * 4096 * 1024 + 4 * 1024) / bestSeconds(() -> x.add(y), 3) / 1e9;
        }));
        list.add(new Figure("bcast_add_4096x1024_closed", "GB/s", () -> {
            // the same loop with each result closed when dropped: its array goes straight back to the
            // pool, still hot, as PyTorch's refcount frees its block; PyTorch runs its plain loop
            Tensor x = Torch.rand(4096, 1024), y = Torch.rand(1024);
            return (2.0 * 4 * 4096 * 1024 + 4 * 1024) / bestSeconds(() -> { x.add(y).close(); return x; }, 3) / 1e9;
        }));
        list.add(new Figure("bcast_add_4096x1024_ring16", "GB/s", () -> {
            // the same add with the last 16 results kept alive (the oldest closed as each new one
            // comes): what a result costs when its buffer was last written 16 results ago, which is
            // where a plain loop's buffers are when only a collection finds them dropped; PyTorch
            // runs the same ring (its oldest result freed by refcount)
            Tensor x = Torch.rand(4096, 1024), y = Torch.rand(1024);
            java.util.ArrayDeque<Tensor> ring = new java.util.ArrayDeque<>();
            return (2.0 * 4 * 4096 * 1024 + 4 * 1024) / bestSeconds(() -> {
                ring.addLast(x.add(y));
                if (ring.size() > 16) ring.removeFirst().close();
                return x;
            }, 3) / 1e9;
        }));
        list.add(new Figure("relu_16M", "GB/s", () -> {
            Tensor x = Torch.randn(1 << 24);
            return 2.0 * 4 * (1 << 24) / bestSeconds(x::relu, 3) / 1e9;
        }));
        list.add(new Figure("sum_16M", "GB/s", () -> {
            Tensor x = Torch.rand(1 << 24);
            return 4.0 * (1 << 24) / bestSeconds(x::sum, 3) / 1e9;
        }));
        list.add(new Figure("tiny_add_latency", "us", () -> {
            Tensor a = Torch.rand(3), b = Torch.rand(3);
            int reps = 200_000;
            double s = bestSeconds(() -> {
                Tensor r = null;
                for (int i = 0; i < reps; i++) r = a.add(b);
                return r;
            }, 1);
            return s / reps * 1e6;
        }));
        for (int h : new int[] {100, 1000}) {
            list.add(new Figure("spiral_step_h" + h, "us", () -> {
                SpiralWorkload w = new SpiralWorkload(h);
                return bestSeconds(w::step, 20) * 1e6;
            }));
        }
        list.add(new Figure("grid_eval_200x200_h1000", "ms", () -> {
            SpiralWorkload w = new SpiralWorkload(1000);
            return bestSeconds(w::gridClasses, 3) * 1e3;
        }));
        return list;
    }

    /**
     * Best of 5 rounds after warm-up; each round runs {@code inner} calls and reports the time per
     * call. Warm-up lasts at least 3 rounds and 2 seconds, and then goes on (up to 20 seconds)
     * until the JIT has compiled nothing for half a second: on two cores its compiler threads
     * share the machine with the work, and a kernel still running unoptimised code — where every
     * Vector API operation allocates — is several times slower than once compiled.
     */
    static double bestSeconds(Supplier<Object> work, int inner) {
        long start = System.nanoTime();
        long warmUntil = start + 2_000_000_000L, giveUp = start + 20_000_000_000L;
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long lastCompileMs = jit.getTotalCompilationTime(), quietSince = System.nanoTime();
        for (int i = 0; ; i++) {
            for (int k = 0; k < inner; k++) work.get();
            long now = System.nanoTime(), compileMs = jit.getTotalCompilationTime();
            if (compileMs != lastCompileMs) {
                lastCompileMs = compileMs;
                quietSince = now;
            }
            boolean quiet = now - quietSince >= 500_000_000L;
            if ((i >= 2 && now >= warmUntil && quiet) || now >= giveUp) break;
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) work.get();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / inner);
        }
        return best;
    }
}
