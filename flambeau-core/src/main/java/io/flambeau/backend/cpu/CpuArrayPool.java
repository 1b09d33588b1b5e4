package io.flambeau.backend.cpu;

import io.flambeau.core.DType;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arrays of CPU storages that are done with, kept for reuse by the next allocation of the same
 * dtype and length. A new Java array costs a zeroing pass over cold memory — for a large result
 * more than the arithmetic of the op that fills it — while a recycled one may still be in cache
 * and is not zeroed (allocation is uninitialised by contract).
 *
 * <p>Where arrays come from. Every array of at least {@link #MIN_LENGTH} elements that an owning
 * storage holds is registered with a {@link Cleaner} ({@link #track}); the cleaning action holds
 * the array, never the storage. The array comes back here exactly once, by whichever happens
 * first:
 * <ul>
 *   <li>the storage is released ({@code close()}, its {@code Scope}, the backward walk that made
 *       it): the release runs the action at once, so the next allocation takes the still-hot
 *       array;</li>
 *   <li>the garbage collector finds the storage unreachable — a result the program dropped, as
 *       a plain loop does — and the cleaner thread runs the action.</li>
 * </ul>
 * The collector only looks when the heap needs it, which for a loop of large results (small
 * objects on the heap, large arrays off the young generation) can be rarely. So, as NIO does for
 * direct buffers, the collector is prompted ({@link System#gc}) when the bytes of arrays handed to
 * storages and not yet back here pass a bound ({@link #PROMPT_BYTES}, property
 * {@code flambeau.cpu.gcPromptBytes}, 0 disables prompting) since the last prompt; a prompt after
 * which less than half the bound came back doubles the bound, so a program that keeps its tensors
 * is not prompted over and over, and one after which more came back resets it.
 *
 * <p>Ownership, which is what makes reuse safe: an array comes here only from the storage that
 * owned it, once nothing can reach it through that storage, and no reference to it exists outside
 * that storage —
 * <ul>
 *   <li>host reads ({@code toFloatArray}, {@code tolist}, {@code item}, saving) copy into fresh
 *       arrays that never belonged to a storage, so what a user holds is never recycled;</li>
 *   <li>arrays that belong to someone else are only ever borrowed ({@code CpuStorage.borrow}),
 *       and a borrowing storage is never tracked;</li>
 *   <li>views hold the storage, not the array, so a storage unreachable to the collector has no
 *       view left; kernels are handed views, and the backend keeps those reachable until the
 *       kernel returns ({@code Reference.reachabilityFence} in {@code CpuBackend});</li>
 *   <li>a storage is released once, by its one owner, and every later use of it or of its views
 *       throws; the cleaning action runs at most once;</li>
 *   <li>a pooled array is handed to exactly one new storage ({@link #take} removes it).</li>
 * </ul>
 * The rules for every release are in ARCHITECTURE.md, "Memory ownership".
 *
 * <p>Bounded: at most {@link #MAX_BYTES} in all (property {@code flambeau.cpu.poolBytes}, 0
 * disables the pool) and {@link #PER_SIZE} arrays of one size. An array that would pass the bound
 * evicts the oldest arrays of the size least recently used (handed out or given back) until it
 * fits, so the sizes a program works with now are never kept out by the sizes of an earlier phase
 * (a pool full of 64 MiB arrays would otherwise turn every 16 MiB result after it into a fresh,
 * zeroed array); evicted arrays go to the GC.
 */
final class CpuArrayPool {
    static final long MAX_BYTES = Long.getLong("flambeau.cpu.poolBytes", 256L << 20);
    static final long PROMPT_BYTES = Long.getLong("flambeau.cpu.gcPromptBytes", 256L << 20);
    private static final int PER_SIZE = 64;
    /** Smaller arrays come cheaply from the thread's allocation buffer: not worth a lookup. */
    static final int MIN_LENGTH = 4096;
    /** Size classes in access order: the first is the one least recently taken from or offered to. */
    private static final Map<Long, ArrayDeque<Object>> FREE = new LinkedHashMap<>(16, 0.75f, true);
    private static long bytes;
    /** Bytes of tracked arrays held by storages (not yet returned). */
    private static long outstanding;
    /**
     * The lowest {@link #outstanding} since the last prompt (about what the program really holds,
     * once the cleaner has returned what that prompt found), its value at the last prompt, and the
     * growth above the low that prompts the next one.
     */
    private static long low, atPrompt = -1, bound = PROMPT_BYTES;

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "flambeau-cpu-reclaim");
        t.setDaemon(true);
        return t;
    });

    private CpuArrayPool() {}

    private static long key(DType dtype, int length) {
        return ((long) dtype.ordinal() << 32) | length;
    }

    /** A pooled array of exactly this dtype and length, or null. */
    static Object take(DType dtype, int length) {
        if (length < MIN_LENGTH) return null;
        synchronized (CpuArrayPool.class) {
            return poll(dtype, length);
        }
    }

    private static Object poll(DType dtype, int length) {
        ArrayDeque<Object> q = FREE.get(key(dtype, length));
        if (q == null || q.isEmpty()) return null;
        bytes -= (long) length * dtype.byteSize();
        return q.pop();
    }

    /**
     * Registers the array of a new owning storage: it comes back here when the storage is released
     * (run the returned cleanable) or found unreachable. Null for arrays too small to pool.
     */
    static Cleaner.Cleanable track(CpuStorage owner, DType dtype, Object array, int length) {
        if (length < MIN_LENGTH || array == null) return null;
        long size = (long) length * dtype.byteSize();
        boolean prompt = false;
        synchronized (CpuArrayPool.class) {
            outstanding += size;
            if (PROMPT_BYTES > 0 && outstanding - low > bound) {
                // judge the last prompt by what came back after it: little means the program holds
                // its tensors, and prompting as often again would only cost collections
                if (atPrompt >= 0) bound = atPrompt - low < bound / 2 ? Math.min(2 * bound, 1L << 40) : PROMPT_BYTES;
                atPrompt = low = outstanding;
                prompt = true;
            }
        }
        Cleaner.Cleanable c = CLEANER.register(owner, new Return(dtype, array, length));
        if (prompt) System.gc(); // the cleaner thread returns what it found shortly after
        return c;
    }

    /** The cleaning action of one tracked array: holds the array, never its storage. */
    private record Return(DType dtype, Object array, int length) implements Runnable {
        @Override
        public void run() {
            synchronized (CpuArrayPool.class) {
                outstanding -= (long) length * dtype.byteSize();
                low = Math.min(low, outstanding);
                offer(dtype, array, length);
            }
        }
    }

    private static void offer(DType dtype, Object array, int length) {
        long size = (long) length * dtype.byteSize();
        if (array == null || length == 0 || size > MAX_BYTES) return;
        long key = key(dtype, length);
        ArrayDeque<Object> q = FREE.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (q.size() >= PER_SIZE) return;
        if (bytes + size > MAX_BYTES) evictFor(size, key);
        if (bytes + size > MAX_BYTES) return; // the bound is all this size's own arrays
        q.push(array);
        bytes += size;
    }

    /** Drops the oldest arrays of the least recently used other sizes until {@code size} more bytes fit. */
    private static void evictFor(long size, long keep) {
        for (Iterator<Map.Entry<Long, ArrayDeque<Object>>> it = FREE.entrySet().iterator();
                it.hasNext() && bytes + size > MAX_BYTES; ) {
            Map.Entry<Long, ArrayDeque<Object>> e = it.next();
            if (e.getKey() == keep) continue;
            long each = bytesOf(e.getKey());
            ArrayDeque<Object> q = e.getValue();
            while (!q.isEmpty() && bytes + size > MAX_BYTES) {
                q.removeLast(); // the oldest: push and pop work at the front
                bytes -= each;
            }
            if (q.isEmpty()) it.remove();
        }
    }

    private static long bytesOf(long key) {
        return (long) (int) key * DType.values()[(int) (key >>> 32)].byteSize();
    }

    /** Bytes held, for tests. */
    static synchronized long pooledBytes() { return bytes; }

    /** Drops every pooled array (tests). */
    static synchronized void clear() {
        FREE.clear();
        bytes = 0;
    }
}
