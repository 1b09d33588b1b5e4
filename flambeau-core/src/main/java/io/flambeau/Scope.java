package io.flambeau;

import io.flambeau.backend.StorageScope;

import java.util.function.Supplier;

/**
 * Deterministic release of tensor memory: every tensor created on this thread while a scope is open
 * is released when the scope closes, except the ones handed out with {@link #keep}. This is how a
 * training loop keeps device memory flat for hours:
 * <pre>{@code
 * for (int step = 0; step < steps; step++) {
 *     try (Scope s = Scope.open()) {
 *         Tensor loss = F.mseLoss(model.forward(x), y);
 *         optimizer.zeroGrad();
 *         loss.backward();
 *         optimizer.step();
 *         lastLoss = loss.item();          // read what you need before the scope ends
 *     }
 * }
 * }</pre>
 * Rules: scopes nest (a kept tensor moves to the enclosing scope); using a released tensor throws
 * {@link io.flambeau.core.ClosedTensorException}; a tensor shares memory with its views, so keeping
 * one keeps them all. Long-lived state (parameters, optimizer buffers, accumulated gradients) must
 * not belong to a per-step scope: create it before the loop, or inside {@link #outside}. Gradients
 * that autograd accumulates into leaves and buffers an optimizer stores are made long-lived
 * automatically. Without scopes, {@link Tensor#close()} frees one tensor now, and a cleaner frees
 * unreachable device memory eventually, but only as a safety net: the garbage collector does not
 * see device memory pressure.
 */
public final class Scope implements AutoCloseable {
    private final StorageScope inner;

    private Scope(StorageScope inner) {
        this.inner = inner;
    }

    /** Opens a scope on the calling thread. */
    public static Scope open() {
        return new Scope(StorageScope.open());
    }

    /** Hands {@code t} out of this scope (to the enclosing one, or untracked when none); returns it. */
    public Tensor keep(Tensor t) {
        inner.keep(t.variable().data.storage);
        return t;
    }

    /** Hands every tensor out of this scope. */
    public void keep(Tensor... tensors) {
        for (Tensor t : tensors) keep(t);
    }

    /** Runs {@code body} with no scope tracking: what it creates outlives every open scope. */
    public static <T> T outside(Supplier<T> body) {
        return StorageScope.outside(body);
    }

    /** Runs {@code body} with no scope tracking. */
    public static void outside(Runnable body) {
        StorageScope.outside(() -> {
            body.run();
            return null;
        });
    }

    /** Makes tensors long-lived: no scope of this thread will release them. */
    public static void untrack(Tensor... tensors) {
        for (Tensor t : tensors) StorageScope.untrack(t.variable().data.storage);
    }

    /** Number of memory blocks this scope will release when it closes. */
    public int size() { return inner.size(); }

    /** Releases every tensor created in this scope that was not kept. */
    @Override
    public void close() {
        inner.close();
    }
}
