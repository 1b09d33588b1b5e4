package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.Locale;

/**
 * Device memory ran out even after the caching allocator returned every cached block to the driver,
 * let the garbage collector return the blocks of unreachable tensors, and retried. Carries the figures needed to act: what was asked for, what Flambeau holds in live
 * tensors (allocated) and from the driver (reserved), and what the device has.
 */
public class CudaOutOfMemoryException extends CudaException {
    private final long requestedBytes;
    private final long allocatedBytes;
    private final long reservedBytes;

    private final long garbageBytes;

    public CudaOutOfMemoryException(String device, long requestedBytes, long allocatedBytes, long reservedBytes,
                                    long deviceFree, long deviceTotal, CudaException cause) {
        this(device, requestedBytes, allocatedBytes, reservedBytes, deviceFree, deviceTotal, -1, cause);
    }

    /** @param garbageBytes what a garbage collection returned before the last retry, or -1 when none ran */
    public CudaOutOfMemoryException(String device, long requestedBytes, long allocatedBytes, long reservedBytes,
                                    long deviceFree, long deviceTotal, long garbageBytes, CudaException cause) {
        super("cuMemAlloc_v2", CudaStatus.OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory",
                describe(device, requestedBytes, allocatedBytes, reservedBytes, deviceFree, deviceTotal, garbageBytes), null);
        this.requestedBytes = requestedBytes;
        this.allocatedBytes = allocatedBytes;
        this.reservedBytes = reservedBytes;
        this.garbageBytes = garbageBytes;
        if (cause != null) initCause(cause);
    }

    /** Bytes of unreachable tensors that a garbage collection returned before the last retry (-1: none ran). */
    public long garbageBytes() { return garbageBytes; }

    /** Bytes the failed allocation asked for (after rounding to its size class). */
    public long requestedBytes() { return requestedBytes; }

    /** Bytes held by live tensors when it failed. */
    public long allocatedBytes() { return allocatedBytes; }

    /** Bytes Flambeau held from the driver when it failed (allocated + cached; the cache was emptied). */
    public long reservedBytes() { return reservedBytes; }

    private static String describe(String device, long req, long alloc, long reserved, long free, long total,
                                   long garbage) {
        String retried = garbage < 0 ? "the cache of unused blocks was emptied and the allocation retried"
                : "the cache of unused blocks was emptied, then a garbage collection returned " + bytes(garbage)
                        + " of unreachable tensors, and the allocation was retried";
        return String.format(Locale.ROOT,
                "%s: tried to allocate %s; %s allocated by live tensors, %s reserved by Flambeau in total; device"
                        + " has %s free of %s (" + retried + ")."
                        + " Free memory sooner: run each step inside a Scope (try (var s = Scope.open()) {...}), close()"
                        + " tensors you no longer need, reduce the batch size, or move data to the cpu",
                device, bytes(req), bytes(alloc), bytes(reserved), free < 0 ? "?" : bytes(free), total < 0 ? "?" : bytes(total));
    }

    static String bytes(long b) {
        return io.flambeau.core.OutOfMemoryException.bytes(b);
    }
}
