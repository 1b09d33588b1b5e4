package io.flambeau.ops;

import io.flambeau.backend.StorageScope;

import java.util.function.Predicate;

/**
 * The memory allocated on this thread while a region is open, owned by whoever opened it: it may
 * free what it owns before the region ends, and decides at the end what to hand on. Autograd's
 * backward walk uses regions to know which gradients it made itself — only those may it free;
 * saved forward tensors, the caller's gradient and leaves' gradients were made elsewhere.
 *
 * <p>Regions nest with {@code Scope}s: what a region hands on goes to the enclosing scope (or
 * region), so a user's scope around {@code backward()} still releases what it would have.
 */
public final class AllocationRegion implements AutoCloseable {
    private final StorageScope scope;

    private AllocationRegion(StorageScope scope) {
        this.scope = scope;
    }

    /** Opens a region on the calling thread; it becomes the innermost scope. */
    public static AllocationRegion open() {
        return new AllocationRegion(StorageScope.openRegion());
    }

    /**
     * Runs user code (a hook) from inside regions: what it allocates goes to the user's innermost
     * scope, or is untracked, and is never freed by the regions' owner.
     */
    public static <T> T outsideRegions(java.util.function.Supplier<T> body) {
        return StorageScope.outsideRegions(body);
    }

    /** Whether {@code t}'s memory was allocated in this region and is still owned by it. */
    public boolean owns(RawTensor t) {
        return scope.owns(t.storage);
    }

    /** Frees {@code t}'s memory now if this region owns it; every view of it is then closed. */
    public boolean free(RawTensor t) {
        return scope.release(t.storage);
    }

    /**
     * Begins a stretch of the region (one backward node): what is allocated from now on is the
     * stretch's until {@link #endStretch}, treated apart without a region of its own.
     */
    public void beginStretch() {
        scope.mark();
    }

    /**
     * Frees {@code t}'s memory now if this region owns it and it was allocated before the current
     * stretch; what the stretch allocated is left to {@link #endStretch}.
     */
    public boolean freeBeforeStretch(RawTensor t) {
        return scope.ownsBeforeMark(t.storage) && scope.release(t.storage);
    }

    /**
     * Ends the stretch: frees what it allocated whose storage {@code keep} rejects; the region
     * keeps the rest. {@code keep} sees storage objects (the {@code storage} of raw tensors).
     */
    public void endStretch(Predicate<Object> keep) {
        scope.releaseSinceMark(keep::test);
    }

    /**
     * Ends the region: memory whose storage {@code keep} accepts moves to the enclosing scope,
     * the rest is freed. {@code keep} sees storage objects (the {@code storage} of raw tensors).
     */
    public void closeKeeping(Predicate<Object> keep) {
        scope.closeKeeping(keep::test);
    }

    /** Ends the region, handing everything it still owns to the enclosing scope. */
    @Override
    public void close() {
        if (!scope.isClosed()) scope.handOver();
    }
}
