package io.flambeau.autograd;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backward from several threads into one leaf loses no update: every accumulation, the first one
 * (which installs the gradient) included, is exact, as in PyTorch. Each case runs for a bounded
 * time ({@code -Dflambeau.test.stressMillis}, 1,500 ms by default; {@code bench/concurrency} runs
 * it for minutes) and checks the exact sum of what every thread added.
 *
 * <p>Gradients are small integers, so every partial sum is exact in float32 and the expected value
 * does not depend on the order in which the threads' additions land.
 */
class ConcurrentBackwardTest {
    static final int THREADS = 2;
    static final int ELEMENTS = 1000;
    /** What one thread may add before the total leaves float32's exact integers (2^24). */
    static final long EXACT_PER_THREAD = (1L << 23) / THREADS;

    /** How long each case runs; the simulated GPU gets the same wall time for fewer iterations. */
    static long stressMillis() {
        return Long.getLong("flambeau.test.stressMillis", 1500);
    }

    /** Each thread builds its own graph {@code (w * k).sum()} on the shared leaf: w.grad = Σ k. */
    @Test
    void separateGraphsSharingALeafAccumulateExactly() throws Exception {
        Tensor w = Torch.ones(ELEMENTS).requiresGrad_();
        long deadline = System.nanoTime() + stressMillis() * 1_000_000;
        long[] added = runOnThreads(t -> {
            long sum = 0;
            float k = t + 1;
            do {
                w.mul(k).sum().backward();
                sum += (long) k;
            } while (System.nanoTime() < deadline && sum < EXACT_PER_THREAD);
            return sum;
        });
        assertAllEqual(total(added), w.grad());
    }

    /** One graph kept with retainGraph, walked by every thread at once: w.grad = 3 × walks. */
    @Test
    void oneRetainedGraphWalkedFromSeveralThreadsAccumulatesExactly() throws Exception {
        Tensor w = Torch.ones(ELEMENTS).requiresGrad_();
        Tensor loss = w.mul(3.0).sum();
        long deadline = System.nanoTime() + stressMillis() * 1_000_000;
        long[] walks = runOnThreads(t -> {
            long n = 0;
            do {
                loss.backward(true);
                n++;
            } while (System.nanoTime() < deadline && 3 * n < EXACT_PER_THREAD);
            return n;
        });
        assertAllEqual(3 * total(walks), w.grad());
    }

    /**
     * The first accumulation, where the leaf has no gradient yet and each thread would install its
     * own: the threads start together (a barrier) on a fresh leaf, many times over.
     */
    @Test
    void firstAccumulationIntoAFreshLeafIsNeverLost() throws Exception {
        long deadline = System.nanoTime() + stressMillis() * 1_000_000;
        CyclicBarrier start = new CyclicBarrier(THREADS);
        int trials = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            do {
                Tensor w = Torch.ones(ELEMENTS).requiresGrad_();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    float k = t + 1;
                    Tensor loss = w.mul(k).sum();          // graphs built before the race
                    done.add(pool.submit(() -> {
                        start.await();
                        loss.backward();
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
                assertAllEqual(1 + 2, w.grad());
                trials++;
            } while (System.nanoTime() < deadline || trials < 20);
        }
    }

    /** Runs {@code body(threadIndex)} on {@link #THREADS} threads that start together. */
    static long[] runOnThreads(ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                Callable<Long> task = () -> {
                    start.await();
                    return body.run(index);
                };
                results.add(pool.submit(task));
            }
            long[] out = new long[THREADS];
            for (int t = 0; t < THREADS; t++) out[t] = results.get(t).get();
            return out;
        }
    }

    interface ThreadBody {
        long run(int threadIndex) throws Exception;
    }

    private static long total(long[] parts) {
        long s = 0;
        for (long p : parts) s += p;
        return s;
    }

    private static void assertAllEqual(long expected, Tensor grad) {
        float[] want = new float[ELEMENTS];
        java.util.Arrays.fill(want, expected);
        float[] got = grad.toFloatArray();
        int wrong = 0;
        for (int i = 0; i < ELEMENTS; i++) if (got[i] != want[i]) wrong++;
        assertEquals(0, wrong, "elements with a lost update (expected " + expected + ", element 0 is " + got[0] + ")");
        assertArrayEquals(want, got);
    }
}
