package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory for one device, cached so that steady-state training allocates nothing from the driver.
 *
 * <p>Rules:
 * <ol>
 *   <li>Size classes: a request is rounded up to a multiple of 512 bytes up to 1 MiB, and above that
 *       to one of four classes per power of two (1, 1.25, 1.5, 1.75 x 2^k), so slack stays under 25%.
 *       A request for 0 bytes gets the empty block (pointer 0) and touches no memory.</li>
 *   <li>Free: a released block goes to the free list of its class; nothing is returned to the driver
 *       ({@code cuMemFree}) unless caching is off.</li>
 *   <li>Allocate: the most recently freed block of the exact class is reused; otherwise {@code cuMemAlloc}.</li>
 *   <li>Out of memory: when {@code cuMemAlloc} fails with {@code CUDA_ERROR_OUT_OF_MEMORY}, every cached
 *       block is freed and the allocation is retried once. If that fails too, the garbage collector is
 *       asked to run and the allocation retried, with short sleeps while the {@code Cleaner} returns
 *       the blocks of unreachable tensors (bounded, about half a second, as NIO does for direct
 *       buffers); only then is {@link CudaOutOfMemoryException} thrown, with the requested, allocated
 *       and reserved figures and how much the collection returned.</li>
 *   <li>Stats: allocated = class sizes of blocks held by live storages; reserved = allocated + cached;
 *       the peak of allocated is kept until reset. {@link #emptyCache()} returns cached blocks to the driver.</li>
 *   <li>Caching can be switched off for debugging (system property {@code flambeau.cuda.caching=false}
 *       or {@link #setCaching}): every free then goes straight to {@code cuMemFree}.</li>
 *   <li>Reuse is stream-safe because all work of a device goes to one stream: a block freed while
 *       queued kernels still use it is only handed to work queued after them.</li>
 *   <li>Thread-safe: storages are also freed from the garbage collector's cleaner thread.</li>
 *   <li>CUDA graphs get a private pool ({@link #beginPool}), as in PyTorch: while a graph is being
 *       captured, every allocation comes from its pool (a block freed during the capture is reused
 *       by later captured work, which runs after it in the graph's order), and the pool's blocks stay
 *       reserved for the graph's lifetime, since every replay writes them again. A block of the pool
 *       freed after the capture goes back to the pool, not to the shared cache. Closing the graph
 *       retires the pool: its free blocks join the shared cache, and blocks still held by tensors
 *       join it when those are freed.</li>
 * </ol>
 *
 * <p>Ownership: a block comes back here only from the release of the one storage it was handed to
 * (its Scope, {@code close()}, backward freeing a gradient it made, or the cleaner), and is handed to
 * exactly one new storage. Memory Flambeau did not allocate (device pointers wrapped with
 * {@code Ownership.BORROWED} or {@code OWNED}) never enters the cache. The rules behind every
 * release are in ARCHITECTURE.md, "Memory ownership".
 */
final class CachingAllocator {
    /** A device memory block: its pointer, its size class in bytes, and the graph pool it belongs to (null: shared). */
    record Block(long ptr, long size, Pool pool) {}

    /** The private memory of one CUDA graph. */
    static final class Pool {
        private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
        private long freeBytes;
        private long blocks;
        private boolean retired;

        /** Blocks the pool holds (live or free). */
        long blocks() { return blocks; }
    }

    static final Block EMPTY = new Block(0, 0, null);
    private static final long SMALL_LIMIT = 1L << 20;
    private static final long SMALL_GRANULE = 512;

    private final CudaApi api;
    private final Runnable makeCurrent;
    private final Runnable drainQueue;
    private final String device;
    private final Map<Long, ArrayDeque<Long>> cache = new HashMap<>();
    private boolean caching = !"false".equalsIgnoreCase(System.getProperty("flambeau.cuda.caching", "true"));
    private long allocated;
    private long cached;
    private long peak;
    private long driverAllocations;
    /** Bytes of blocks ever freed: what a garbage collection returned is the difference across it. */
    private long freedBytes;
    /** Allocations that succeeded only after a garbage collection. */
    private long garbageRecoveries;
    private long reservedAtFailure;
    private CudaException lastFailure;
    private Pool capturing;
    private long poolFree;

    /**
     * @param makeCurrent binds the device's context to the calling thread (driver calls need it)
     * @param drainQueue  waits for the device's queued work: run before any {@code cuMemFree}, since a
     *                    freed block may still be in use by kernels that have not run yet
     */
    CachingAllocator(CudaApi api, Runnable makeCurrent, Runnable drainQueue, String device) {
        this.api = api;
        this.makeCurrent = makeCurrent;
        this.drainQueue = drainQueue;
        this.device = device;
    }

    /** The size class a request of {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes <= 0) return 0;
        if (bytes <= SMALL_LIMIT) return (bytes + SMALL_GRANULE - 1) / SMALL_GRANULE * SMALL_GRANULE;
        long step = Long.highestOneBit(bytes) / 4;
        return (bytes + step - 1) / step * step;
    }

    Block allocate(long bytes) {
        long size = sizeClass(bytes);
        if (size == 0) return EMPTY;
        Block b = tryAllocate(size);
        return b != null ? b : allocateAfterCollectingGarbage(size);
    }

    /** A block from the cache or the driver (emptying the cache and retrying once), or null when out of memory. */
    private synchronized Block tryAllocate(long size) {
        Pool pool = capturing;
        Long ptr = null;
        if (pool != null) {
            ArrayDeque<Long> own = pool.free.get(size);
            ptr = own == null ? null : own.pollLast();
            if (ptr != null) {
                pool.freeBytes -= size;
                poolFree -= size;
            }
        }
        if (ptr == null) {
            ArrayDeque<Long> free = cache.get(size);
            ptr = free == null ? null : free.pollLast();
            if (ptr == null) {
                ptr = driverAlloc(size);
                if (ptr == null) return null;
            } else {
                cached -= size;
            }
            if (pool != null) pool.blocks++;
        }
        allocated += size;
        peak = Math.max(peak, allocated);
        return new Block(ptr, size, pool);
    }
    /** From now on, allocations come from {@code pool} (a graph being captured). */
    synchronized void beginPool(Pool pool) {
        if (capturing != null) throw new IllegalStateException("a graph pool is already active");
        capturing = pool;
    }

    /** Allocations come from the shared cache again; the pool keeps its blocks. */
    synchronized void endPool() { capturing = null; }

    /** The graph is gone: the pool's free blocks join the shared cache, and so will its live ones when freed. */
    synchronized void retire(Pool pool) {
        if (capturing == pool) capturing = null;
        if (pool.retired) return;
        pool.retired = true;
        for (Map.Entry<Long, ArrayDeque<Long>> e : pool.free.entrySet()) {
            for (Long p : e.getValue()) {
                cache.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>()).addLast(p);
                cached += e.getKey();
            }
        }
        poolFree -= pool.freeBytes;
        pool.free.clear();
        pool.freeBytes = 0;
        if (!caching) releaseCached();
    }

    /** {@code cuMemAlloc}, and once more after emptying the cache; null when both are out of memory. */
    private Long driverAlloc(long size) {
        makeCurrent.run();
        try {
            long p = api.memAlloc(size);
            driverAllocations++;
            return p;
        } catch (CudaException first) {
            if (first.code() != CudaStatus.OUT_OF_MEMORY) throw first;
            reservedAtFailure = allocated + cached;
            releaseCached();
            try {
                long p = api.memAlloc(size);
                driverAllocations++;
                return p;
            } catch (CudaException second) {
                if (second.code() != CudaStatus.OUT_OF_MEMORY) throw second;
                lastFailure = second;
                return null;
            }
        }
    }

    /**
     * Rule 4's last resort, as NIO does for direct buffers: tensors dropped without {@code close()}
     * or a {@code Scope} hold device memory until the garbage collector finds them and the
     * {@code Cleaner} returns their blocks, and the collector knows nothing of device memory. So ask
     * it to run, then retry while the cleaner catches up, sleeping 1, 2, 4, … ms (about half a
     * second in all). The lock is not held while waiting: the cleaner's frees need it.
     */
    private Block allocateAfterCollectingGarbage(long size) {
        long freedBefore;
        synchronized (this) { freedBefore = freedBytes; }
        System.gc();
        long sleepMillis = 1;
        for (int attempt = 0; ; attempt++) {
            Block b = tryAllocate(size);
            if (b != null) {
                synchronized (this) { garbageRecoveries++; }
                return b;
            }
            if (attempt == GC_RETRIES) break;
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleepMillis *= 2;
        }
        synchronized (this) {
            long free = -1, total = -1;
            try {
                long[] info = api.memGetInfo();
                free = info[0];
                total = info[1];
            } catch (CudaException ignored) {
                // the figures are a courtesy; the out-of-memory error is what matters
            }
            throw new CudaOutOfMemoryException(device, size, allocated, reservedAtFailure, free, total,
                    freedBytes - freedBefore, lastFailure);
        }
    }

    /** Retries after {@code System.gc()}, with sleeps of 1 to 2^(n-1) ms between them (NIO uses 9). */
    private static final int GC_RETRIES = 9;

    synchronized void free(Block b) {
        if (b.size == 0) return;
        allocated -= b.size;
        freedBytes += b.size;
        Pool pool = b.pool;
        if (pool != null && !pool.retired) {
            pool.free.computeIfAbsent(b.size, k -> new ArrayDeque<>()).addLast(b.ptr);
            pool.freeBytes += b.size;
            poolFree += b.size;
        } else if (caching) {
            cache.computeIfAbsent(b.size, k -> new ArrayDeque<>()).addLast(b.ptr);
            cached += b.size;
        } else {
            makeCurrent.run();
            drainQueue.run();
            api.memFree(b.ptr);
        }
    }

    /** Returns every cached block to the driver. */
    synchronized void emptyCache() {
        releaseCached();
    }

    private void releaseCached() {
        if (cached == 0) return;
        makeCurrent.run();
        drainQueue.run();
        for (Map.Entry<Long, ArrayDeque<Long>> e : cache.entrySet()) {
            for (Long p : e.getValue()) api.memFree(p);
        }
        cache.clear();
        cached = 0;
    }

    /** Turns caching on or off; turning it off empties the cache. */
    synchronized void setCaching(boolean on) {
        caching = on;
        if (!on) releaseCached();
    }

    synchronized boolean isCaching() { return caching; }

    synchronized long allocated() { return allocated; }

    synchronized long reserved() { return allocated + cached + poolFree; }

    synchronized long cached() { return cached; }

    synchronized long peak() { return peak; }

    synchronized void resetPeak() { peak = allocated; }

    /** Bytes of blocks freed so far, by {@code close()}, a {@code Scope} or the {@code Cleaner}. */
    synchronized long freedBytes() { return freedBytes; }

    /** Allocations that succeeded only once a garbage collection had freed unreachable tensors (rule 4). */
    synchronized long garbageRecoveries() { return garbageRecoveries; }

    /** Number of {@code cuMemAlloc} calls so far (tests use it to see reuse). */
    synchronized long driverAllocations() { return driverAllocations; }
}
