package io.flambeau.backend.cpu;

/**
 * Long-range splitting for the elementwise and reduction kernels, on {@link CpuParallel}'s pool:
 * one contiguous part of {@code [0, n)} per thread.
 */
final class CpuThreads {
    static final int COUNT = CpuParallel.parallelism();

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
        CpuParallel.parallelFor(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) body.run(n * p / parts, n * (p + 1) / parts);
        });
    }
}
