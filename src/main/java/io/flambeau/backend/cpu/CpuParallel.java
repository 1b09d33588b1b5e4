package io.flambeau.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The CPU backend's shared thread pool and its one scheduling primitive, {@link #parallelFor}.
 *
 * <p>One fixed pool for every CPU kernel keeps the thread count at the number of cores no matter
 * how many kernels run: kernels that each spawned their own threads would oversubscribe the
 * machine. The threads are daemons so that an idle pool never keeps the JVM alive.
 *
 * <p>The calling thread runs the first chunk itself, so a split into {@code t} chunks uses
 * {@code t - 1} pool threads plus the caller: one handoff fewer on the latency path, and no core
 * left idle while the caller waits.
 */
public final class CpuParallel {

    /** A half-open range {@code [start, end)} of work items, run on one thread. */
    @FunctionalInterface
    public interface IntRange {
        void run(int start, int end);
    }

    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

    private static final ForkJoinPool POOL = new ForkJoinPool(
            PARALLELISM,
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setDaemon(true);
                t.setName("flambeau-cpu-" + t.getPoolIndex());
                return t;
            },
            null,
            false);

    private CpuParallel() {}

    /** How many threads {@link #parallelFor} may use at most: the number of cores. */
    public static int parallelism() {
        return PARALLELISM;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks of at least {@code grain}
     * items, one chunk per thread at most, and returns when all chunks are done. Ranges too small
     * to split run inline on the caller. An exception from any chunk is rethrown here, after every
     * chunk has finished.
     *
     * @param n     number of work items
     * @param grain the fewest items worth giving a thread (at least 1)
     */
    public static void parallelFor(int n, int grain, IntRange body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(PARALLELISM, (n + (long) Math.max(grain, 1) - 1) / Math.max(grain, 1));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[chunks - 1];
        boolean inPool = ForkJoinTask.getPool() == POOL;
        for (int i = 1; i < chunks; i++) {
            int start = chunkStart(n, chunks, i);
            int end = chunkStart(n, chunks, i + 1);
            ForkJoinTask<?> task = ForkJoinTask.adapt(() -> body.run(start, end));
            // From inside the pool, fork() lets this worker help with its own subtasks on join
            // instead of blocking; from outside, the pool takes the task.
            forked[i - 1] = inPool ? task.fork() : POOL.submit(task);
        }
        Throwable failure = null;
        try {
            body.run(0, chunkStart(n, chunks, 1));
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> task : forked) {
            try {
                task.join();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                } else {
                    failure.addSuppressed(t);
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }

    /** Start of chunk {@code i} of {@code chunks} near-equal chunks of {@code [0, n)}. */
    private static int chunkStart(int n, int chunks, int i) {
        return (int) ((long) n * i / chunks);
    }
}
