package io.flambeau.backend;

/**
 * A backend whose device memory goes through a caching pool (the CUDA backend). The public
 * {@code Cuda} facade reads these figures without naming a concrete backend.
 *
 * <p>"Allocated" counts bytes held by live storages; "reserved" adds the blocks kept in the cache
 * for reuse, i.e. what the process holds from the driver.
 */
public interface MemoryPool {
    /** Bytes in blocks handed out to live storages (rounded to the pool's size classes). */
    long memoryAllocated();

    /** Bytes obtained from the driver: allocated plus cached. */
    long memoryReserved();

    /** The highest {@link #memoryAllocated()} seen since start or the last {@link #resetPeakMemoryStats()}. */
    long maxMemoryAllocated();

    void resetPeakMemoryStats();

    /** Returns every cached (unused) block to the driver. */
    void emptyCache();
}
