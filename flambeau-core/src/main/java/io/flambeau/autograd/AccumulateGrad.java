package io.flambeau.autograd;

import io.flambeau.ops.Accumulation;
import io.flambeau.ops.AllocationRegion;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.LongLived;
import io.flambeau.ops.RawTensor;

/**
 * The sink for a leaf: adds the incoming gradient into the leaf's {@code grad}, in place.
 *
 * <p>Several threads may run backward through graphs that share a leaf (or through one graph kept
 * with {@code retainGraph}). Each accumulation is a read-modify-write of the leaf's gradient — the
 * first one installs it — so it holds the leaf's lock for the whole step, as PyTorch does. The
 * in-place add is enqueued under the lock; on the GPU every thread enqueues on the device's one
 * stream, so the adds also run in the order they were enqueued.
 */
final class AccumulateGrad extends Node {
    private final Variable leaf;

    AccumulateGrad(Variable leaf) {
        super("AccumulateGrad", new Node[0]);
        this.leaf = leaf;
    }

    @Override
    protected RawTensor[] backward(RawTensor g) {
        RawTensor incoming = Elementwise.cast(g, leaf.data.dtype());
        synchronized (leaf.gradLock) {
            accumulate(incoming);
        }
        // user code: what hooks allocate belongs to the caller's scope, never to the backward walk
        AllocationRegion.outsideRegions(() -> {
            leaf.runPostAccumulateGradHooks();
            return null;
        });
        return new RawTensor[0];
    }

    private void accumulate(RawTensor incoming) {
        RawTensor current = leaf.grad();
        if (current == null) {
            // own the buffer: the incoming gradient may be shared with another branch of the graph;
            // it lives across steps, so no per-step scope may release it
            leaf.setGradMadeByBackward(LongLived.allocate(() -> Elementwise.clone(incoming)));
        } else {
            Accumulation.addInto(current, incoming);
            current.storage.bumpVersion();
        }
    }

    @Override
    void release() {
        // leaves outlive graphs: nothing to free, and the accumulator stays usable
    }
}
