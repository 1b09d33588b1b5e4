package io.flambeau.backend.cuda;

import io.flambeau.backend.Storage;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.lang.ref.Cleaner;

/**
 * A block of device memory holding {@code size} elements of one dtype. {@link #dataPtr()} is the
 * device pointer. Closing returns the block to the {@link CachingAllocator} at once; a
 * {@link Cleaner} does the same when a storage becomes unreachable without being closed, but only
 * as a safety net: garbage collection knows nothing about device memory pressure, so {@code Scope}
 * and {@code close()} are the deterministic way to free memory.
 */
final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final long ptr;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(CudaBackend backend, DType dtype, long size, CachingAllocator.Block block) {
        this(backend, dtype, size, block.ptr(), new Release(backend.allocator(), block));
    }

    /**
     * Memory from outside the allocator (wrapped device pointers): {@code release} frees it, or does
     * nothing for borrowed memory. It must not refer to the storage, so that the storage can become
     * unreachable.
     */
    CudaStorage(CudaBackend backend, DType dtype, long size, long ptr, Runnable release) {
        super(dtype, size);
        this.backend = backend;
        this.ptr = ptr;
        this.cleanable = CLEANER.register(this, release);
    }

    /** Frees the block; holds no reference to the storage, so the storage can become unreachable. */
    private record Release(CachingAllocator allocator, CachingAllocator.Block block) implements Runnable {
        @Override
        public void run() { allocator.free(block); }
    }

    @Override
    public Device device() { return backend.device(); }

    @Override
    public long dataPtr() { return ptr; }

    CudaBackend backend() { return backend; }

    /** Byte address of element {@code index}. */
    long address(long index) { return ptr + index * dtype().byteSize(); }

    @Override
    protected void release() {
        cleanable.clean(); // runs Release once, now
    }
}
