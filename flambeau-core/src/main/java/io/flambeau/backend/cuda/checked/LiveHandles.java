package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.flambeau.backend.cuda.checked.Misuse.hex;
import static io.flambeau.backend.cuda.checked.Misuse.refuse;

/**
 * The handles created through the checked seam and not destroyed, in creation order. A handle value
 * that is not here (destroyed, never created, from another library) is refused with
 * {@code CUDA_ERROR_INVALID_HANDLE} before it reaches the binding, whose driver would otherwise
 * dereference it; so is a live one of another context than the caller's current one. Also the list
 * of what {@link CheckedCudaApi#close()} destroys, newest first. Thread-safe: lookups, on every
 * call, read a concurrent map per kind without locking; creations and destructions also keep the
 * creation order, under a lock.
 */
final class LiveHandles {
    /** What a handle is, and the word messages use for it. */
    enum Kind {
        STREAM("stream"), EVENT("event"), MODULE("module"), FUNCTION("kernel function"), BLAS("cuBLAS handle"),
        GRAPH("CUDA graph"), GRAPH_EXEC("executable CUDA graph");

        final String word;

        Kind(String word) { this.word = word; }
    }

    /**
     * One live handle: the context it was made in (0 when none was known), for functions their module
     * and kernel name, for modules the parameter sizes of each kernel the PTX declares, for functions
     * those of their kernel (null when unknown).
     */
    record Handle(Kind kind, long value, long context, long parent, String name,
                  Map<String, int[]> kernels, int[] params) {
        @Override
        public String toString() { return kind.word + (name != null ? " '" + name + "'" : "") + " " + hex(value); }
    }

    private record Key(Kind kind, long value) {}

    /** Creation order, for {@link #drain}; guarded by {@code this}. */
    private final Map<Key, Handle> order = new LinkedHashMap<>();
    /** The same handles by kind, for lookups. */
    private final List<Map<Long, Handle>> byKind = new ArrayList<>();

    LiveHandles() {
        for (int i = 0; i < Kind.values().length; i++) byKind.add(new ConcurrentHashMap<>());
    }

    synchronized void add(Handle h) {
        Key k = new Key(h.kind(), h.value());
        order.remove(k); // a handle value the driver hands out again moves to the end of the order
        order.put(k, h);
        byKind.get(h.kind().ordinal()).put(h.value(), h);
    }

    /** The live handle, or a typed error naming {@code call}. */
    Handle require(Kind kind, long value, String call) {
        Handle h = byKind.get(kind.ordinal()).get(value);
        if (h == null) {
            throw refuse(CudaStatus.INVALID_HANDLE, call, kind.word + " " + hex(value)
                    + (value == 0 ? " is null" : " is not a live " + kind.word
                    + " of this binding (destroyed already, or never created here)"));
        }
        return h;
    }

    /** {@link #require}, and the handle must belong to {@code current} (when both contexts are known). */
    Handle requireIn(Kind kind, long value, long current, RetainedContexts contexts, String call) {
        Handle h = require(kind, value, call);
        if (h.context() != 0 && current != 0 && h.context() != current) {
            throw refuse(CudaStatus.INVALID_HANDLE, call, h + " belongs to " + contexts.describe(h.context()) + " but "
                    + contexts.describe(current) + " is current on this thread; make its context current first");
        }
        return h;
    }

    /** Stream 0 (the legacy default stream) or a live stream of the current context. */
    void requireStream(long stream, long current, RetainedContexts contexts, String call) {
        if (stream != 0) requireIn(Kind.STREAM, stream, current, contexts, call);
    }

    /** Forgets a live handle and returns it. */
    synchronized Handle remove(Kind kind, long value, String call) {
        Handle h = require(kind, value, call);
        order.remove(new Key(kind, value));
        byKind.get(kind.ordinal()).remove(value);
        return h;
    }

    /** Forgets a module's functions (they die with it). */
    synchronized void removeChildren(long module) {
        order.values().removeIf(h -> h.kind() == Kind.FUNCTION && h.parent() == module);
        byKind.get(Kind.FUNCTION.ordinal()).values().removeIf(h -> h.parent() == module);
    }

    /** Forgets every handle of a context the driver destroyed. */
    synchronized void removeContext(long context) {
        order.values().removeIf(h -> h.context() == context);
        for (Map<Long, Handle> m : byKind) m.values().removeIf(h -> h.context() == context);
    }

    /** Removes everything, newest first, for the caller to destroy. */
    synchronized List<Handle> drain() {
        List<Handle> all = new ArrayList<>(order.values());
        Collections.reverse(all);
        order.clear();
        for (Map<Long, Handle> m : byKind) m.clear();
        return all;
    }

    int count(Kind kind) { return byKind.get(kind.ordinal()).size(); }
}
