package io.flambeau.ops;

/**
 * The state of a stream of random numbers: a seed and a counter. Draws are stateless functions of
 * {@code (seed, counter + i)} (see {@link io.flambeau.backend.CounterRng}), so a draw of {@code n}
 * numbers only has to reserve {@code n} counter values here; the same seed then gives the same
 * numbers on every device, whatever the order in which kernels run.
 */
public final class Generator {
    /** Seed of {@link #DEFAULT} at start-up, fixed so that unseeded programs are reproducible too. */
    public static final long DEFAULT_SEED = 0x5EED_F1A4_BEA0_0000L;

    /** The generator used when an op is not given one ({@code torch.manual_seed} reseeds it). */
    public static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private long seed;
    private long counter;

    public Generator(long seed) {
        this.seed = seed;
    }

    /** Restarts the stream: a new seed and the counter back at 0. Returns this generator. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.counter = 0;
        return this;
    }

    public synchronized long seed() {
        return seed;
    }

    /** The counter the next draw will start from. */
    public synchronized long counter() {
        return counter;
    }

    /**
     * Reserves {@code n} numbers: returns the counter the caller's draw starts at and moves the
     * counter past them, so concurrent draws never overlap.
     */
    public synchronized long advance(long n) {
        if (n < 0) throw new IllegalArgumentException("advance: n must be >= 0, got " + n);
        long start = counter;
        counter += n;
        return start;
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + seed + ", counter=" + counter + ")";
    }
}
