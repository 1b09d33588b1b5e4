package io.flambeau.backend.cpu;

/**
 * Where a float array's elements meet a 64-byte cache line, so that a vector loop can start its
 * 512-bit loads on a line boundary.
 *
 * <p>Why: a 64-byte access that straddles two lines costs two line accesses; over an array that
 * streams from L3 or memory that was measured losing a third of the bandwidth (a 2^24-element
 * sum on AMD EPYC, Zen 5: 38 GB/s on one core with every load split, 57 GB/s with none). The
 * dense sum ({@link Float32Loops#sum}), whose blocks need no fixed start, adds a few elements
 * first and starts its blocks on a line. The elementwise loops keep their start: with a head
 * their long runs measured no faster, and the short cached rows of a broadcast add slower.
 *
 * <p>The JVM does not say where an array lives, but for the arrays where this matters it is
 * known: a large array (at least half a G1 region, 1–32 MiB) is placed at the start of a region,
 * and regions are aligned to their size, so its element i sits at {@code BASE + 4 i} bytes past a
 * line boundary. For a small array, placed wherever its thread's allocation buffer had room, the
 * guess is as good as any start: a head of at most 15 scalar elements is all it costs.
 */
final class LineAlignment {
    /** Bytes from an array object's start to its element 0: 16, or 12 with compact object headers. */
    @SuppressWarnings("removal")
    private static final int BASE = sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET;
    /**
     * Shorter runs keep their start: they mostly come from cache, where split accesses cost
     * little (a head on the elementwise loops' 1024-float broadcast rows measured slower).
     */
    static final int MIN_RUN = 1 << 14;

    private LineAlignment() {}

    /**
     * How many of the {@code n} floats from {@code index} on come before the first one at a
     * 64-byte line start (0 for runs shorter than {@link #MIN_RUN}).
     */
    static int floatsToLine(int index, int n) {
        if (n < MIN_RUN) return 0;
        int past = (int) ((BASE + 4L * index) & 63);
        return past == 0 ? 0 : Math.min(n, (64 - past) >> 2);
    }
}
