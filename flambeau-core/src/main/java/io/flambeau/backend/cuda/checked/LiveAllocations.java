package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import static io.flambeau.backend.cuda.checked.Misuse.hex;
import static io.flambeau.backend.cuda.checked.Misuse.refuse;

/**
 * The device memory allocated through the checked seam and not freed (plus memory lent to Flambeau
 * by other libraries, {@link #adopt}), so that a pointer is checked before it reaches the binding: a
 * freed tensor, a pointer of another device, or a copy running past the end of an allocation becomes
 * a {@link io.flambeau.backend.cuda.api.CudaMisuseException} naming the call and saying what the
 * pointer is, where the GPU would fault (and poison the context) or, in the loopback, write to freed
 * memory.
 *
 * <p>Recently freed blocks are remembered (a bounded window) only to say "freed" in messages.
 * Thread-safe: a lookup, on every call that names memory, is one search of a concurrent skip list
 * without locking; allocations and frees take a lock.
 */
final class LiveAllocations {
    /** One live block: {@code [base, base + size)} in {@code context} (0 when no context was known). */
    record Allocation(long base, long size, long context, boolean adopted) {
        boolean contains(long ptr, long bytes) {
            return ptr - base >= 0 && ptr - base <= size && bytes <= size - (ptr - base);
        }
    }

    private static final int FREED_WINDOW = 4096;

    private final ConcurrentSkipListMap<Long, Allocation> live = new ConcurrentSkipListMap<>(Long::compareUnsigned);
    private final Map<Long, Long> recentlyFreed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) { return size() > FREED_WINDOW; }
    };

    synchronized void add(long base, long size, long context) {
        live.put(base, new Allocation(base, size, context, false));
        recentlyFreed.remove(base);
    }

    /**
     * Makes memory allocated elsewhere (another library's {@code cuMemAlloc}) usable in calls;
     * returns false, adding nothing, when it lies in a block already known.
     */
    synchronized boolean adopt(long base, long size, long context) {
        Long next = live.ceilingKey(base);
        if (size <= 0 || find(base) != null || next != null && Long.compareUnsigned(next - base, size) < 0) return false;
        live.put(base, new Allocation(base, size, context, true));
        recentlyFreed.remove(base);
        return true;
    }

    /** Forgets an {@link #adopt adopted} block without freeing it (its owner frees it). */
    synchronized void disown(long base) {
        Allocation a = live.get(base);
        if (a != null && a.adopted()) live.remove(base);
    }

    /** Forgets {@code base}; a {@code CUDA_ERROR_INVALID_VALUE} when it is not the start of a live block. */
    synchronized Allocation remove(long base, String call) {
        Allocation a = live.get(base);
        if (a == null) {
            throw refuse(CudaStatus.INVALID_VALUE, call, describe(base) + "; only pointers cuMemAlloc_v2 returned can be freed, once");
        }
        live.remove(base);
        recentlyFreed.put(base, a.size());
        return a;
    }

    /** Forgets every block of a destroyed context (the driver freed them with it). */
    synchronized void removeContext(long context) {
        List<Long> gone = new ArrayList<>();
        for (Allocation a : live.values()) if (a.context() == context) gone.add(a.base());
        for (Long b : gone) recentlyFreed.put(b, live.remove(b).size());
    }

    /** Forgets everything (the binding is closed). */
    synchronized void clear() { live.clear(); }

    /** The live block holding {@code ptr}, or null. */
    Allocation find(long ptr) {
        Map.Entry<Long, Allocation> e = live.floorEntry(ptr);
        if (e == null) return null;
        Allocation a = e.getValue();
        return Long.compareUnsigned(ptr - a.base(), a.size()) < 0 ? a : null;
    }

    /**
     * Checks that {@code [ptr, ptr + bytes)} lies inside one live block; {@code what} names the
     * operand in the message ("destination", "matrix A"). Empty ranges pass, as the driver lets them.
     */
    Allocation requireRange(long ptr, long bytes, String call, String what) {
        if (bytes < 0) throw refuse(CudaStatus.INVALID_VALUE, call, what + " size " + bytes + " is negative");
        if (bytes == 0) return null;
        Allocation a = find(ptr);
        if (a == null || !a.contains(ptr, bytes)) {
            String where = a == null ? describe(ptr)
                    : hex(ptr) + " + " + bytes + " bytes runs " + (ptr - a.base() + bytes - a.size())
                    + " bytes past the end of the " + a.size() + "-byte allocation at " + hex(a.base());
            throw refuse(CudaStatus.INVALID_VALUE, call, what + " [" + hex(ptr) + ", +" + bytes
                    + " bytes) is not device memory this binding allocated: " + where);
        }
        return a;
    }

    /** Blocks allocated through the seam (adopted ones not counted). */
    int count() {
        int n = 0;
        for (Allocation a : live.values()) if (!a.adopted()) n++;
        return n;
    }

    /** Where an address falls, in words, for messages. */
    synchronized String describe(long ptr) {
        if (ptr == 0) return "the pointer is null (0x0)";
        Allocation a = find(ptr);
        if (a != null) return hex(ptr) + " is byte " + (ptr - a.base()) + " of the " + a.size() + "-byte allocation at " + hex(a.base());
        for (Map.Entry<Long, Long> f : recentlyFreed.entrySet()) {
            if (Long.compareUnsigned(ptr - f.getKey(), Math.max(1, f.getValue())) < 0) {
                return hex(ptr) + " lies in the allocation at " + hex(f.getKey()) + ", which was freed (a closed tensor?)";
            }
        }
        return hex(ptr) + " is not in any live allocation (never allocated here, or from another process or library;"
                + " memory of another library enters through Cuda.wrap)";
    }
}
