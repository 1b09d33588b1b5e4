package io.flambeau.backend.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU backend's shared thread pool and its one scheduling primitive, {@link #parallelFor}.
 *
 * <p>One fixed pool for every CPU kernel keeps the thread count at the number of cores no matter
 * how many kernels run: kernels that each spawned their own threads would oversubscribe the
 * machine. The threads are daemons so that an idle pool never keeps the JVM alive.
 *
 * <p>The calling thread works on the chunks itself, so a split into {@code t} chunks uses
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
     * <p>Chunks are claimed, not assigned: the caller and the pool threads it wakes each take the
     * next unclaimed chunk until none is left. So when a pool thread is slow to start (the cores
     * are busy with other work), the caller runs its chunk too instead of waiting for it, and a
     * nested call from inside a chunk always makes progress on its own.
     *
     * @param n     number of work items
     * @param grain the fewest items worth giving a thread (at least 1)
     */
    public static void parallelFor(int n, int grain, IntRange body) {
        parallelFor(n, grain, 1, body);
    }

    /**
     * {@link #parallelFor(int, int, IntRange)} with up to {@code chunksPerThread} chunks per
     * thread, for kernels whose chunks cost nothing to start (no per-chunk packing). A pool
     * thread that wakes late — on a virtual machine a sleeping core can take tens of
     * microseconds to resume — then claims only a small piece, while the caller claims the rest,
     * instead of holding up the call with a half of the work it started late.
     */
    public static void parallelFor(int n, int grain, int chunksPerThread, IntRange body) {
        if (n <= 0) {
            return;
        }
        long byGrain = (n + (long) Math.max(grain, 1) - 1) / Math.max(grain, 1);
        int chunks = (int) Math.min((long) PARALLELISM * Math.max(1, chunksPerThread), byGrain);
        if (chunks <= 1 || PARALLELISM <= 1) {
            body.run(0, n);
            return;
        }
        Job job = new Job(n, chunks, body);
        boolean inPool = ForkJoinTask.getPool() == POOL;
        int wanted = Math.min(chunks, PARALLELISM) - 1;
        ForkJoinTask<?>[] helpers;
        if (inPool) {
            helpers = new ForkJoinTask<?>[wanted];
            for (int i = 0; i < wanted; i++) helpers[i] = ForkJoinTask.adapt(job::drain).fork();
        } else {
            // Threads still spinning after their last job pick this one up at once; only the
            // shortfall is woken. If a spinner gives up just now, the caller drains its share.
            POSTED.set(job);
            helpers = new ForkJoinTask<?>[Math.max(0, wanted - SPINNING.get())];
            for (int i = 0; i < helpers.length; i++) helpers[i] = POOL.submit(() -> helpAndLinger(job));
        }
        job.drain();
        POSTED.compareAndSet(job, null);
        // Helpers that have not started would find nothing left; withdraw them.
        for (ForkJoinTask<?> helper : helpers) {
            helper.cancel(false);
        }
        job.awaitDone();
        job.rethrow();
    }

    /**
     * How long a pool thread keeps polling for the next job before it parks. A training step is
     * a burst of kernels with short serial gaps; waking a parked thread costs 10-40 us on a
     * virtual machine, more than many of those kernels take. (OpenMP runtimes spin likewise.)
     * The spin is kept brief: the gaps that matter are a few microseconds, and a thread spinning
     * through a longer gap burns a core that, on a loaded machine, the caller's own work needed
     * (the spiral step at h=100 on 2 cores took about half the process CPU time with 200 us,
     * and no less wall time). Property {@code flambeau.cpu.spinMicros} (default 20; 0 parks at
     * once).
     */
    private static final long LINGER_NANOS = Long.getLong("flambeau.cpu.spinMicros", 20) * 1000;
    /** The newest job of a caller outside the pool, for lingering threads to join. */
    private static final AtomicReference<Job> POSTED = new AtomicReference<>();
    /** Pool threads lingering right now. */
    private static final AtomicInteger SPINNING = new AtomicInteger();

    /** Drains {@code first}, then any job posted while lingering, until none comes in time. */
    private static void helpAndLinger(Job first) {
        Job job = first;
        while (job != null) {
            job.drain();
            Job next = null;
            SPINNING.incrementAndGet();
            try {
                long until = System.nanoTime() + LINGER_NANOS;
                while (System.nanoTime() < until) {
                    Job posted = POSTED.get();
                    if (posted != null && posted != job && posted.hasUnclaimed()) {
                        next = posted;
                        break;
                    }
                    Thread.onSpinWait();
                }
            } finally {
                SPINNING.decrementAndGet();
            }
            job = next;
        }
    }

    /** One parallelFor call: its chunks, the next one to claim, and how many are unfinished. */
    private static final class Job {
        /** Spins (about 50 us) before the caller parks while others finish their chunks. */
        private static final int SPIN_LIMIT = 1 << 10;

        private final int n;
        private final int chunks;
        private final IntRange body;
        private final AtomicInteger nextChunk = new AtomicInteger();
        private final CountDownLatch unfinished;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int n, int chunks, IntRange body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.unfinished = new CountDownLatch(chunks);
        }

        boolean hasUnclaimed() {
            return nextChunk.get() < chunks;
        }

        /** Runs chunks until none is left unclaimed. */
        void drain() {
            for (int i = nextChunk.getAndIncrement(); i < chunks; i = nextChunk.getAndIncrement()) {
                try {
                    body.run(chunkStart(n, chunks, i), chunkStart(n, chunks, i + 1));
                } catch (Throwable t) {
                    if (!failure.compareAndSet(null, t)) {
                        failure.get().addSuppressed(t);
                    }
                } finally {
                    unfinished.countDown();
                }
            }
        }

        /**
         * Waits for chunks other threads are still running. Only claimed chunks are waited for,
         * and those are already running, so this cannot deadlock even on a pool thread.
         */
        void awaitDone() {
            for (int spins = 0; spins < SPIN_LIMIT && unfinished.getCount() > 0; spins++) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    unfinished.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new RuntimeException(t);
            }
        }
    }

    /** Start of chunk {@code i} of {@code chunks} near-equal chunks of {@code [0, n)}. */
    private static int chunkStart(int n, int chunks, int i) {
        return (int) ((long) n * i / chunks);
    }
}
