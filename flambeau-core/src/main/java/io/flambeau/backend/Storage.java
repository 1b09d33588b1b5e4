package io.flambeau.backend;

import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A flat block of elements of one dtype on one device: the memory behind one or more tensors.
 *
 * <p>Views share a storage; its version counter is bumped by every in-place write, which is how
 * autograd notices that a tensor saved for backward was modified. Closing releases the memory;
 * any later use throws {@link ClosedTensorException}. A storage created while a {@link StorageScope}
 * is open on the thread is released when that scope closes, unless it is kept.
 */
public abstract class Storage implements AutoCloseable {
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final DType dtype;
    private final long size;
    private final long id = NEXT_ID.getAndIncrement();
    private volatile int version;
    private volatile boolean closed;
    /** The scope that will release this storage, or null: kept by {@link StorageScope} alone. */
    StorageScope owner;
    /** This storage's slot in {@link #owner}'s list. */
    int ownerSlot;

    protected Storage(DType dtype, long size) {
        this(dtype, size, true);
    }

    /**
     * {@code scoped}: whether the innermost open scope of this thread takes ownership (it releases
     * the storage when it closes). Only transient views over memory that belongs to someone else —
     * a host array being filled for the user — pass false.
     */
    protected Storage(DType dtype, long size, boolean scoped) {
        this.dtype = dtype;
        this.size = size;
        if (scoped) StorageScope.track(this);
    }

    public final DType dtype() { return dtype; }

    /** Number of elements. */
    public final long size() { return size; }

    public abstract Device device();

    /**
     * An address-like identity: the device pointer for CUDA memory, a unique id for host arrays.
     * Two tensors share memory exactly when their storages are the same object.
     */
    public long dataPtr() { return id; }

    /**
     * Whether {@link #dataPtr} is a real address of the elements that native code may read and
     * write while the storage is open (device memory, off-heap host memory), not an identity.
     */
    public boolean addressable() { return device().isCuda(); }

    public final int version() { return version; }

    /** Records an in-place modification (autograd checks saved tensors against it). */
    public final void bumpVersion() { version++; }

    public final boolean isClosed() { return closed; }

    /** Throws if this storage was released; every kernel entry point calls it. */
    public final void checkOpen(String op) {
        if (closed) {
            throw new ClosedTensorException(op + ": the tensor's memory was released (closed explicitly or by the end"
                    + " of its Scope); keep the tensor with Scope.keep(...) or clone it before the scope ends");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees the memory; called once. */
    protected abstract void release();
}
