package io.flambeau.ops;

import io.flambeau.backend.StorageScope;

import java.util.function.Supplier;

/**
 * Allocations that must outlive the caller's per-step scopes, such as a leaf's gradient buffer
 * (autograd accumulates into it across steps). Autograd cannot see the scope machinery of the
 * backend SPI, so it goes through here.
 */
public final class LongLived {
    private LongLived() {}

    /** Runs {@code body}; whatever it allocates is not tracked by any open scope. */
    public static <T> T allocate(Supplier<T> body) {
        return StorageScope.outside(body);
    }
}
