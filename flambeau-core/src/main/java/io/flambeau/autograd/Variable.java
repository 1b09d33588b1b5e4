package io.flambeau.autograd;

import io.flambeau.core.DTypeException;
import io.flambeau.ops.RawTensor;

/**
 * A raw tensor plus what autograd knows about it: whether it requires a gradient, the node that
 * produced it ({@code gradFn}, null for leaves) and, for leaves, the accumulated gradient.
 * The public {@code Tensor} is a facade over one of these.
 */
public final class Variable {
    public final RawTensor data;
    private boolean requiresGrad;
    Node gradFn;
    /** Written by backward on whatever thread runs it, read by the user's: volatile for visibility. */
    private volatile RawTensor grad;
    /** The gradient's memory was allocated by backward for this leaf alone (so dropping it frees it). */
    private boolean gradMadeByBackward;
    /** Held while a gradient is accumulated into this leaf (see {@link AccumulateGrad}). */
    final Object gradLock = new Object();
    private AccumulateGrad accumulator;
    /** The tensor this one is a view of, when it was made by a view op while tracking gradients. */
    final Variable base;
    /** Run by backward right after this leaf's gradient was accumulated (null until one is added). */
    private java.util.List<Runnable> postAccumulateGradHooks;

    public Variable(RawTensor data) {
        this(data, false, null, null);
    }

    Variable(RawTensor data, boolean requiresGrad, Node gradFn, Variable base) {
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.gradFn = gradFn;
        this.base = base;
    }

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as requiring a gradient (only floating tensors can). */
    public void setRequiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new io.flambeau.core.AutogradException("requires_grad_: you can only change requires_grad flags of leaf"
                    + " variables; use detach() to get a tensor that does not require grad");
        }
        if (value && !data.dtype().isFloating()) {
            throw new DTypeException("requires_grad_: only tensors of floating point dtype can require gradients, got "
                    + data.dtype());
        }
        requiresGrad = value;
    }

    void markRequiresGrad() { requiresGrad = true; }

    public boolean isLeaf() { return gradFn == null; }

    public Node gradFn() { return gradFn; }

    /** The accumulated gradient of a leaf, or null. */
    public RawTensor grad() { return grad; }

    public void setGrad(RawTensor g) {
        synchronized (gradLock) { // never in the middle of an accumulation
            this.grad = g;
            gradMadeByBackward = false;
        }
    }

    /**
     * Drops the gradient ({@code grad = None}). A gradient backward allocated is released at once,
     * as PyTorch's refcount would free it, so the next backward reuses its memory instead of asking
     * the allocator (on a GPU, the driver) for more; one the user assigned stays the user's.
     */
    public void dropGrad() {
        RawTensor old;
        synchronized (gradLock) {
            old = gradMadeByBackward ? grad : null;
            grad = null;
            gradMadeByBackward = false;
        }
        if (old != null) old.storage.close();
    }

    /** Installs a gradient that backward allocated for this leaf (called under {@link #gradLock}). */
    void setGradMadeByBackward(RawTensor g) {
        this.grad = g;
        gradMadeByBackward = true;
    }

    /**
     * Adds a hook that backward runs right after it accumulated this leaf's gradient (once per
     * backward, since the walk sums a leaf's incoming gradients first), in the order added.
     * Returns what removes it.
     */
    public Runnable addPostAccumulateGradHook(Runnable hook) {
        if (postAccumulateGradHooks == null) postAccumulateGradHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        postAccumulateGradHooks.add(hook);
        return () -> postAccumulateGradHooks.remove(hook);
    }

    void runPostAccumulateGradHooks() {
        if (postAccumulateGradHooks != null) for (Runnable h : postAccumulateGradHooks) h.run();
    }

    /** The node that accumulates into this leaf, shared by every graph that uses it. */
    AccumulateGrad accumulator() {
        // one accumulator even when graphs are built on several threads at once
        synchronized (gradLock) {
            if (accumulator == null) accumulator = new AccumulateGrad(this);
            return accumulator;
        }
    }

    /** The edge a graph node uses to reach this input: its producer, its accumulator, or none. */
    Node edge() {
        if (!requiresGrad) return null;
        return gradFn != null ? gradFn : accumulator();
    }

    /** A new variable sharing the data, cut from the graph. */
    public Variable detach() {
        return new Variable(data);
    }

    public Variable base() { return base; }
}
