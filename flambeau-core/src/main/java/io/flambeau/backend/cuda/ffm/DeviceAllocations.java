package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device memory this binding allocated and has not freed, so that a pointer is checked before
 * it reaches the driver: a freed tensor, a pointer from another device, or a copy running past the
 * end of an allocation becomes a {@link CudaException} naming the call and saying what the pointer
 * is, where the GPU would fault (and poison the context) or, in the loopback, write to freed memory.
 *
 * <p>Recently freed blocks are remembered (a bounded window) only to say "freed" in messages.
 * Thread-safe; each lookup is one tree search, small next to any driver call.
 */
final class DeviceAllocations {
    /** One live {@code cuMemAlloc_v2} block and the context that owns it. */
    record Allocation(long base, long size, long context) {
        boolean contains(long ptr, long bytes) {
            return ptr - base >= 0 && ptr - base <= size && bytes <= size - (ptr - base);
        }
    }

    private static final int FREED_WINDOW = 4096;

    private final TreeMap<Long, Allocation> live = new TreeMap<>(Long::compareUnsigned);
    private final Map<Long, Long> recentlyFreed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) { return size() > FREED_WINDOW; }
    };

    synchronized void add(long base, long size, long context) {
        live.put(base, new Allocation(base, size, context));
        recentlyFreed.remove(base);
    }

    /** Forgets {@code base}; a {@code CUDA_ERROR_INVALID_VALUE} when it is not the start of a live block. */
    synchronized Allocation remove(long base, String call) {
        Allocation a = live.get(base);
        if (a == null) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, describe(base) + "; only pointers cuMemAlloc_v2 returned can be freed, once");
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

    /** The live block holding {@code ptr}, or null. */
    synchronized Allocation find(long ptr) {
        Map.Entry<Long, Allocation> e = live.floorEntry(ptr);
        if (e == null) return null;
        Allocation a = e.getValue();
        return Long.compareUnsigned(ptr - a.base(), a.size()) < 0 ? a : null;
    }

    /**
     * Checks that {@code [ptr, ptr + bytes)} lies inside one live block; {@code what} names the
     * operand in the message ("destination", "A"). Empty ranges pass, as the driver lets them.
     */
    Allocation requireRange(long ptr, long bytes, String call, String what) {
        if (bytes < 0) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, what + " size " + bytes + " is negative");
        if (bytes == 0) return null;
        Allocation a = find(ptr);
        if (a == null || !a.contains(ptr, bytes)) {
            String where = a == null ? describe(ptr)
                    : "0x" + Long.toHexString(ptr) + " + " + bytes + " bytes runs " + (ptr - a.base() + bytes - a.size())
                    + " bytes past the end of the " + a.size() + "-byte allocation at 0x" + Long.toHexString(a.base());
            throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, what + " [0x" + Long.toHexString(ptr) + ", +" + bytes
                    + " bytes) is not device memory this binding allocated: " + where);
        }
        return a;
    }

    synchronized int count() { return live.size(); }

    synchronized long bytes() {
        long sum = 0;
        for (Allocation a : live.values()) sum += a.size();
        return sum;
    }

    /** Where an address falls, in words, for messages. */
    synchronized String describe(long ptr) {
        String hex = "0x" + Long.toHexString(ptr);
        if (ptr == 0) return "the pointer is null (0x0)";
        Allocation a = find(ptr);
        if (a != null) return hex + " is byte " + (ptr - a.base()) + " of the " + a.size() + "-byte allocation at 0x" + Long.toHexString(a.base());
        for (Map.Entry<Long, Long> f : recentlyFreed.entrySet()) {
            if (Long.compareUnsigned(ptr - f.getKey(), Math.max(1, f.getValue())) < 0) {
                return hex + " lies in the allocation at 0x" + Long.toHexString(f.getKey()) + ", which was freed (a closed tensor?)";
            }
        }
        return hex + " is not in any live allocation (never allocated here, or from another process or library)";
    }
}
