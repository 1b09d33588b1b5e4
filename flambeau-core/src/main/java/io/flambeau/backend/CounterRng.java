package io.flambeau.backend;

/**
 * The counter-based random generator every backend uses, so a seed gives the same numbers on
 * the CPU and on a GPU: element {@code i} of a draw is a pure function of {@code (seed, counter + i)}.
 *
 * <p>Bits: {@code h = mix64(mix64(seed) + (c + 1) * 0x9E3779B97F4A7C15)}, SplitMix64's step
 * and finaliser {@code mix64(z) = z ^= z>>>30; z *= 0xBF58476D1CE4E5B9; z ^= z>>>27;
 * z *= 0x94D049BB133111EB; z ^= z>>>31} (all arithmetic modulo 2^64). Mixing the seed first keeps
 * nearby seeds apart; the {@code + 1} keeps {@code (seed 0, counter 0)} away from the fixed point 0.
 * Uniform float32 on [0,1): the top 24 bits of h times 2^-24. Normal: Box–Muller on the two
 * 32-bit halves of h ({@code u1 = (hi+1)·2^-32}, {@code u2 = lo·2^-32}, {@code sqrt(-2 ln u1)·cos(2π u2)}).
 * Integers in [lo, hi): {@code lo + floor(u · (hi - lo))} with u from the top 53 bits.
 */
public final class CounterRng {
    public enum Kind { UNIFORM, NORMAL, INTEGER }

    private CounterRng() {}

    public static long bits(long seed, long counter) {
        return mix64(mix64(seed) + (counter + 1) * 0x9E3779B97F4A7C15L);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1) with 24 random bits (exact in float32). */
    public static float uniform(long seed, long counter) {
        return (bits(seed, counter) >>> 40) * 0x1.0p-24f;
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public static double uniformDouble(long seed, long counter) {
        return (bits(seed, counter) >>> 11) * 0x1.0p-53;
    }

    public static double normal(long seed, long counter) {
        long h = bits(seed, counter);
        double u1 = ((h >>> 32) + 1) * 0x1.0p-32;
        double u2 = (h & 0xFFFFFFFFL) * 0x1.0p-32;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
