package io.flambeau.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The machine's measured float32 multiply-add peak: the figure a GEMM is judged against. Each
 * thread runs a loop of register-only fmas on the preferred vector species, with 16 independent
 * accumulators (more than fma latency x fma ports on any core we meet, so the loop is bound by
 * fma throughput alone and not by the dependency chain). The threads start each round together
 * and the round lasts from the first one's start to the last one's end; the figure is the best round of at least 3
 * seconds of them, after a warm-up. Rounds are short (about 5 ms) because on a machine shared
 * with other work the best round is one that nothing else interrupted.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** fmas per accumulator per round: about 5 ms at 200 GFLOP/s per thread. */
    private static final long STEPS = 2_000_000L;
    /** Sink for the accumulators, so that the JIT cannot drop the loop. */
    static volatile float sink;

    private FmaPeak() {}

    /** Measured GFLOP/s of {@code threads} threads running the fma loop at once. */
    public static double gflops(int threads) {
        // Compile the loop before timing it: interpreted, every vector operation allocates.
        for (int i = 0; i < 20_000; i++) sink = loop(1_000);
        long[] began = new long[threads], ended = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1), end = new CyclicBarrier(threads + 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    while (true) {
                        start.await();
                        if (stop.get()) return;
                        began[id] = System.nanoTime();
                        sink = loop(STEPS);
                        ended[id] = System.nanoTime();
                        end.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ts[t].setDaemon(true);
            ts[t].start();
        }
        double best = 0;
        try {
            long warm = System.nanoTime() + 1_000_000_000L, until = warm + 3_000_000_000L;
            while (System.nanoTime() < until) {
                start.await();
                end.await();
                // The round as the threads saw it: first start to last end.
                long t0 = Long.MAX_VALUE, t1 = 0;
                for (int t = 0; t < threads; t++) {
                    t0 = Math.min(t0, began[t]);
                    t1 = Math.max(t1, ended[t]);
                }
                double s = (t1 - t0) / 1e9;
                if (t0 > warm) best = Math.max(best, 2.0 * threads * STEPS * 16 * F.length() / s / 1e9);
            }
            stop.set(true);
            start.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
        return best;
    }

    /** Vector width, in bits, of the species the loop (and Flambeau's kernels) run. */
    public static int vectorBits() {
        return F.vectorBitSize();
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
