package io.flambeau.backend.cpu;

import io.flambeau.core.DType;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Arrays of released CPU storages, kept for reuse by the next allocation of the same dtype and
 * length. A new Java array costs a zeroing pass over cold memory — on the CI machines more than
 * the arithmetic of the op that fills it — while a recycled one is still in cache and is not
 * zeroed (allocation is uninitialised by contract). Only explicitly released storages come here
 * (autograd's spent gradients, {@code Scope}, {@code close()}), never ones the GC found.
 *
 * <p>Ownership, which is what makes reuse safe: an array enters the pool only from the release of
 * the storage that owned it, and no reference to it exists outside that storage —
 * <ul>
 *   <li>host reads ({@code toFloatArray}, {@code tolist}, {@code item}, saving) copy into fresh
 *       arrays that never belonged to a storage, so what a user holds is never recycled;</li>
 *   <li>arrays that belong to someone else are only ever borrowed ({@code CpuStorage.borrow}),
 *       and a borrowing storage gives nothing back here;</li>
 *   <li>a storage is released once, by its one owner (its Scope, {@code close()}, or the backward
 *       walk that allocated it), and every later use of it or of its views throws;</li>
 *   <li>a pooled array is handed to exactly one new storage ({@link #take} removes it).</li>
 * </ul>
 * The rules for every release are in ARCHITECTURE.md, "Memory ownership".
 *
 * <p>Bounded: at most {@link #MAX_BYTES} in all (property {@code flambeau.cpu.poolBytes}, 0
 * disables it) and {@link #PER_SIZE} arrays of one size; beyond that arrays go to the GC.
 */
final class CpuArrayPool {
    static final long MAX_BYTES = Long.getLong("flambeau.cpu.poolBytes", 256L << 20);
    private static final int PER_SIZE = 8;
    /** Smaller arrays come cheaply from the thread's allocation buffer: not worth a lookup. */
    static final int MIN_LENGTH = 4096;
    private static final Map<Long, ArrayDeque<Object>> FREE = new HashMap<>();
    private static long bytes;

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

    /** Offers the array of a released storage. */
    static void give(DType dtype, Object array, int length) {
        if (length < MIN_LENGTH) return;
        synchronized (CpuArrayPool.class) {
            offer(dtype, array, length);
        }
    }

    private static void offer(DType dtype, Object array, int length) {
        long size = (long) length * dtype.byteSize();
        if (array == null || length == 0 || bytes + size > MAX_BYTES) return;
        ArrayDeque<Object> q = FREE.computeIfAbsent(key(dtype, length), k -> new ArrayDeque<>());
        if (q.size() >= PER_SIZE) return;
        q.push(array);
        bytes += size;
    }

    /** Bytes held, for tests. */
    static synchronized long pooledBytes() { return bytes; }

    /** Drops every pooled array (tests). */
    static synchronized void clear() {
        FREE.clear();
        bytes = 0;
    }
}
