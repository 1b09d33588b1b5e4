package io.flambeau.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The CPU backend's worker threads: one daemon pool sized to the machine, shared by every kernel
 * that splits its work (elementwise runs, reductions, GEMM panels).
 */
final class CpuThreads {
    static final int COUNT = Math.max(1, Integer.getInteger("flambeau.cpu.threads",
            Runtime.getRuntime().availableProcessors()));

    private static final ForkJoinPool POOL = new ForkJoinPool(COUNT,
            p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("flambeau-cpu-" + t.getPoolIndex());
                return t;
            }, null, false);

    interface Range {
        void run(long from, long to);
    }

    private CpuThreads() {}

    /** Splits {@code [0, n)} into one contiguous part per thread and waits for all of them. */
    static void forRange(long n, Range body) {
        int parts = (int) Math.min(COUNT, n);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            long from = n * p / parts, to = n * (p + 1) / parts;
            tasks[p - 1] = POOL.submit(() -> body.run(from, to));
        }
        body.run(0, n / parts);
        for (ForkJoinTask<?> t : tasks) t.join();
    }
}
