package io.flambeau.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.CountDownLatch;

/**
 * The machine's measured float32 multiply-add peak: the figure a GEMM is judged against. Each
 * thread runs a loop of register-only fmas on the preferred vector species, with 16 independent
 * accumulators (more than fma latency x fma ports on any core we meet, so the loop is bound by
 * fma throughput alone and not by the dependency chain). The best round of at least 3 seconds
 * of them after a warm-up: on a shared machine the best round is the one least disturbed.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** fmas per accumulator per round; a round lasts about 50 ms at 100 GFLOP/s per thread. */
    private static final long STEPS = 20_000_000L;
    /** Sink for the accumulators, so that the JIT cannot drop the loop. */
    static volatile float sink;

    private FmaPeak() {}

    /** Measured GFLOP/s of {@code threads} threads running the fma loop at once. */
    public static double gflops(int threads) {
        double best = 0;
        long until = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 8 || System.nanoTime() < until; round++) {
            double s = timedRound(threads);
            if (round >= 3) best = Math.max(best, 2.0 * threads * STEPS * 16 * F.length() / s / 1e9);
        }
        return best;
    }

    /** Vector width, in bits, of the species the loop (and Flambeau's kernels) run. */
    public static int vectorBits() {
        return F.vectorBitSize();
    }

    private static double timedRound(int threads) {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sink = loop(STEPS);
            });
            ts[t].start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static float loop(long steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), a = FloatVector.broadcast(F, 1e-7f);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        FloatVector c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (long i = 0; i < steps; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
            c10 = c10.fma(m, a);
            c11 = c11.fma(m, a);
            c12 = c12.fma(m, a);
            c13 = c13.fma(m, a);
            c14 = c14.fma(m, a);
            c15 = c15.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).reduceLanes(
                        jdk.incubator.vector.VectorOperators.ADD);
    }

    public static void main(String[] args) {
        System.out.printf(java.util.Locale.ROOT, "vector %d bits; 1 thread %.1f GFLOP/s; 2 threads %.1f GFLOP/s%n",
                vectorBits(), gflops(1), gflops(2));
    }
}
