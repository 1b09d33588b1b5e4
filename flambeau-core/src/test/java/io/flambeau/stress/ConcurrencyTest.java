package io.flambeau.stress;

import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Threads doing independent work at the same time (products, reductions, backward and updates of
 * their own small models) must each get exactly what the same work gives when run alone: 8 threads
 * on the CPU, 4 on the simulated GPU, for a bounded time each. Afterwards every thread's iterations
 * are recomputed on one thread and compared. What threads share here is the device, its backend,
 * the CPU pool threads and the allocator; tensors themselves are not shared (graphs that share a
 * leaf across threads are a separate matter, not covered here).
 */
class ConcurrencyTest {
    /**
     * Relative tolerance on the CPU: its parallel float32 reductions may be split differently when
     * the pool is shared by eight callers, which moves a loss by an ulp or so (and the models,
     * trained on, by a little more); a race that mixed threads' data would be off by far more.
     */
    private static final double CPU_TOLERANCE = 1e-4;
    /** Bounds each thread's share on a fast machine, and with it the recomputation after. */
    private static final int MAX_ITERATIONS = 400;
    /** The simulated GPU runs every kernel the same way whoever calls: results must agree to rounding. */
    private static final double GPU_TOLERANCE = 1e-9;

    @Test
    void eightCpuThreads() throws Exception {
        runAndCompare(Device.CPU, 8, 1500, CPU_TOLERANCE);
    }

    @Test
    void fourSimulatedGpuThreads() throws Exception {
        SimCuda.install();
        runAndCompare(Device.cuda(0), 4, 2500, GPU_TOLERANCE);
    }

    private static void runAndCompare(Device device, int threads, long millis, double tolerance) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<List<double[]>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                futures.add(pool.submit(() -> {
                    IndependentWork work = new IndependentWork(device, seed);
                    List<double[]> results = new ArrayList<>();
                    start.await(30, TimeUnit.SECONDS);
                    long end = System.nanoTime() + millis * 1_000_000;
                    while (System.nanoTime() < end && results.size() < MAX_ITERATIONS || results.size() < 2) {
                        results.add(work.next());
                    }
                    return results;
                }));
            }
            List<List<double[]>> concurrent = new ArrayList<>();
            for (Future<List<double[]>> f : futures) concurrent.add(f.get(120, TimeUnit.SECONDS));

            int total = 0;
            for (int t = 0; t < threads; t++) {
                IndependentWork alone = new IndependentWork(device, 1000 + t);
                List<double[]> got = concurrent.get(t);
                for (int i = 0; i < got.size(); i++) {
                    double[] want = alone.next();
                    for (int k = 0; k < want.length; k++) {
                        double tol = tolerance * Math.max(1, Math.abs(want[k]));
                        assertEquals(want[k], got.get(i)[k], tol,
                                "thread " + t + ", iteration " + i + ", checksum " + k + " on " + device);
                    }
                }
                total += got.size();
            }
            System.out.printf("concurrency on %s: %d threads, %d iterations in %d ms, all equal to one thread's%n",
                    device, threads, total, millis);
            assertTrue(total >= 2 * threads);
        } finally {
            pool.shutdownNow();
        }
    }
}
