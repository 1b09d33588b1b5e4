package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's global memory. Each allocation is a separate Java array at a distinct, never reused
 * device address, so that use-after-free and out-of-bounds accesses are detected instead of
 * landing in a neighbour:
 * <ul>
 *   <li>addresses start at 4 GiB, so a pointer truncated to 32 bits is always invalid;</li>
 *   <li>allocations are 256-byte aligned (like {@code cuMemAlloc}) with a gap between them;
 *       accesses are checked against the requested size, not the rounded one;</li>
 *   <li>fresh allocations are filled with {@code 0xFF} bytes (NaN as float, -1 as integer) unless
 *       configured otherwise, because {@code cuMemAlloc} does not zero memory.</li>
 * </ul>
 * Accounting rounds each allocation up to 256 bytes against the configured total.
 */
final class DeviceMemory {
    static final long BASE = 1L << 32;
    static final long ALIGN = 256;
    /** Largest allocation a Java array can back. */
    static final long MAX_ALLOCATION = Integer.MAX_VALUE - 64;

    final long total;
    private final Integer fill;
    private final TreeMap<Long, Allocation> live = new TreeMap<>();
    private final TreeMap<Long, Long> freed = new TreeMap<>();
    private long next;
    private long used;
    private long allocationCount;
    /** Live allocations made by cuMemAlloc (module variables excluded). */
    private int userLive;

    DeviceMemory(long total, Integer fill, long base) {
        this.total = total;
        this.fill = fill;
        this.next = base;
    }

    long used() { return used; }

    int liveAllocations() { return userLive; }

    long allocationCount() { return allocationCount; }

    Allocation allocate(long bytes, String call, String label, boolean user) {
        if (bytes <= 0) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "cannot allocate " + bytes + " bytes");
        long accounted = roundUp(bytes);
        if (used + accounted > total) {
            throw CudaStatus.error(CudaStatus.OUT_OF_MEMORY, call, "requested " + bytes + " bytes but only "
                    + (total - used) + " of " + total + " bytes are free");
        }
        if (bytes > MAX_ALLOCATION) {
            throw CudaStatus.error(CudaStatus.OUT_OF_MEMORY, call, "requested " + bytes
                    + " bytes; the simulator backs each allocation with one Java array (at most 2 GiB)");
        }
        if (user) {
            allocationCount++;
            userLive++;
        }
        Allocation a = new Allocation(next, (int) bytes, label != null ? label : "cuMemAlloc #" + allocationCount, user);
        if (fill != null) Arrays.fill(a.data, (byte) (int) fill);
        live.put(a.base, a);
        used += accounted;
        next = a.base + accounted + ALIGN;
        return a;
    }

    void free(long ptr, String call) {
        Allocation a = live.get(ptr);
        if (a == null) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, describe(ptr) + "; not a pointer from cuMemAlloc");
        if (!a.user) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, a + " belongs to a module; it is freed by cuModuleUnload");
        live.remove(ptr);
        userLive--;
        freed.put(a.base, (long) a.size);
        used -= roundUp(a.size);
    }

    /** Releases everything (context destroyed). */
    void reset() {
        for (Allocation a : live.values()) freed.put(a.base, (long) a.size);
        live.clear();
        used = 0;
        userLive = 0;
    }

    /** Frees a module variable when its module is unloaded. */
    void release(Allocation a) {
        if (live.remove(a.base) != null) {
            freed.put(a.base, (long) a.size);
            used -= roundUp(a.size);
        }
    }

    /** The live allocation containing {@code addr}, or null. */
    Allocation find(long addr) {
        Map.Entry<Long, Allocation> e = live.floorEntry(addr);
        if (e == null) return null;
        Allocation a = e.getValue();
        return addr - a.base < a.size ? a : null;
    }

    /**
     * The allocation holding all of {@code [addr, addr + bytes)} for a host-side operation (copy,
     * memset, GEMM operand); {@code CUDA_ERROR_INVALID_VALUE} naming {@code what} otherwise.
     */
    Allocation range(long addr, long bytes, String call, String what) {
        Allocation a = find(addr);
        if (a == null || bytes < 0 || addr - a.base + bytes > a.size) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, what + " [0x" + Long.toHexString(addr)
                    + ", +" + bytes + ") is not inside one allocation: " + describe(addr));
        }
        return a;
    }

    /** Where an address falls, in words, for error messages. */
    String describe(long addr) {
        String hex = "0x" + Long.toHexString(addr);
        if (addr == 0) return "address 0x0 is a null pointer";
        Allocation a = find(addr);
        if (a != null) return hex + " is byte " + (addr - a.base) + " of " + a;
        Map.Entry<Long, Long> f = freed.floorEntry(addr);
        if (f != null && addr - f.getKey() < Math.max(1, f.getValue())) {
            return hex + " is inside a freed allocation at 0x" + Long.toHexString(f.getKey());
        }
        Map.Entry<Long, Allocation> below = live.floorEntry(addr);
        if (below != null && addr - below.getValue().base < below.getValue().size + 4096L) {
            Allocation b = below.getValue();
            return hex + " is " + (addr - b.base - b.size) + " bytes past the end of " + b;
        }
        Map.Entry<Long, Allocation> above = live.ceilingEntry(addr);
        if (above != null && above.getKey() - addr <= 4096) {
            return hex + " is " + (above.getKey() - addr) + " bytes before " + above.getValue();
        }
        if (addr < BASE) return hex + " is below every device allocation (a 32-bit or host value used as a pointer?)";
        return hex + " is not in any allocation";
    }

    private static long roundUp(long bytes) {
        return (bytes + ALIGN - 1) & -ALIGN;
    }
}
