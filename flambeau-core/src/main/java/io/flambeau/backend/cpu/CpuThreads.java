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

    /** Parts per thread: a thread that starts late claims a small share, not a half. */
    static final int PARTS_PER_THREAD = 8;

    /**
     * Splits {@code [0, n)} into up to {@link #PARTS_PER_THREAD} contiguous parts per thread,
     * claimed by the threads as they come, and waits for all of them. The parts depend on
     * {@code n} only, never on timing.
     */
    static void forRange(long n, Range body) {
        int parts = (int) Math.min((long) COUNT * PARTS_PER_THREAD, n);
        if (parts <= 1 || COUNT <= 1) {
            body.run(0, n);
            return;
        }
        CpuParallel.parallelFor(parts, 1, PARTS_PER_THREAD, (p0, p1) -> {
            for (int p = p0; p < p1; p++) body.run(n * p / parts, n * (p + 1) / parts);
        });
    }
}
