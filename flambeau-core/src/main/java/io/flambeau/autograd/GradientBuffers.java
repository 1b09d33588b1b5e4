package io.flambeau.autograd;

import io.flambeau.ops.AllocationRegion;
import io.flambeau.ops.RawTensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradients one backward walk made, which only it may free. Ownership is recorded, not
 * assumed: everything gradient rules allocate while the walk runs belongs to the walk's
 * {@link AllocationRegion}; saved forward tensors, the caller's gradient and leaves' gradients
 * (made long-lived by {@link AccumulateGrad}) were allocated elsewhere, so nothing here can free
 * them, whatever a rule returns.
 *
 * <p>Gradients in flight — waiting for their node — are counted per storage (views of one
 * gradient share it). When a node has run, what it allocated and nobody holds (temporaries, and
 * gradients for inputs that wanted none) is freed at once, and so is any walk-made gradient whose
 * last holder let go. On the GPU that returns blocks to the cache while backward still runs; on
 * the CPU, arrays to the pool. What is left when the walk ends goes to the enclosing scope.
 */
final class GradientBuffers implements AutoCloseable {
    private final AllocationRegion walk = AllocationRegion.open();
    /** Holders per storage among the gradients waiting for their node. */
    private final Map<Object, Integer> holders = new IdentityHashMap<>();

    /** A gradient now waits for a node. */
    void hold(RawTensor g) {
        holders.merge(g.storage, 1, Integer::sum);
    }

    /** A waiting gradient was consumed (by its node, or as an addend of a sum). */
    void letGo(RawTensor g) {
        Integer left = holders.merge(g.storage, -1, Integer::sum);
        if (left != null && left > 0) return;
        holders.remove(g.storage);
        walk.freeBeforeStretch(g); // a no-op unless an earlier node made it; made by the running node: freed at endNode
    }

    /**
     * Before a node runs: its allocations are recorded apart, as a stretch of the walk's region
     * (no region per node: most nodes allocate only the gradients they pass on).
     */
    void beginNode() {
        walk.beginStretch();
    }

    /** After a node ran and its outputs were placed: frees what it made that nobody holds. */
    void endNode() {
        walk.endStretch(holders::containsKey);
    }

    @Override
    public void close() {
        walk.close(); // hands everything on; after a rule failed, its node's stretch too, freeing nothing
    }
}
