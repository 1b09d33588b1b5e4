package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handles this binding created and has not destroyed, by kind. A handle value that is not here
 * (destroyed, never created, from another library) is refused with {@code CUDA_ERROR_INVALID_HANDLE}
 * before it reaches the driver, which would otherwise dereference it. Also the list of what
 * {@link FfmCudaApi#close()} must destroy, newest first. Thread-safe.
 */
final class HandleRegistry {
    private final Map<NativeHandle.Kind, Map<Long, NativeHandle>> live = new EnumMap<>(NativeHandle.Kind.class);
    private final List<NativeHandle> order = new ArrayList<>();

    HandleRegistry() {
        for (NativeHandle.Kind k : NativeHandle.Kind.values()) live.put(k, new HashMap<>());
    }

    synchronized void add(NativeHandle h) {
        live.get(h.kind).put(h.value, h);
        order.add(h);
    }

    /** The live handle, or a typed error naming {@code call}. */
    synchronized NativeHandle require(NativeHandle.Kind kind, long value, String call) {
        NativeHandle h = live.get(kind).get(value);
        if (h == null) {
            throw StatusCheck.refuse(CudaStatus.INVALID_HANDLE, call, kind.word + " 0x" + Long.toHexString(value)
                    + (value == 0 ? " is null" : " is not a live " + kind.word + " of this binding (destroyed already, or never created here)"));
        }
        return h;
    }

    /** Stream 0 (the legacy default stream) or a live stream. */
    void requireStream(long stream, String call) {
        if (stream != 0) require(NativeHandle.Kind.STREAM, stream, call);
    }

    /** Forgets a live handle and returns it, so the caller can {@link NativeHandle#close() close} it. */
    synchronized NativeHandle remove(NativeHandle.Kind kind, long value, String call) {
        NativeHandle h = require(kind, value, call);
        live.get(kind).remove(value);
        order.remove(h);
        return h;
    }

    /** Forgets a module's functions (they die with it). */
    synchronized void removeChildren(long module) {
        live.get(NativeHandle.Kind.FUNCTION).values().removeIf(f -> f.parent == module);
        order.removeIf(h -> h.kind == NativeHandle.Kind.FUNCTION && h.parent == module);
    }

    /** Abandons every handle of a context the driver destroyed. */
    synchronized void abandonContext(long context) {
        for (Map<Long, NativeHandle> m : live.values()) {
            m.values().removeIf(h -> {
                if (h.context != context) return false;
                h.abandon();
                return true;
            });
        }
        order.removeIf(h -> h.context == context);
    }

    /** Removes everything, newest first, for the caller to close. */
    synchronized List<NativeHandle> drain() {
        List<NativeHandle> all = new ArrayList<>(order);
        java.util.Collections.reverse(all);
        order.clear();
        for (Map<Long, NativeHandle> m : live.values()) m.clear();
        return all;
    }

    synchronized int count(NativeHandle.Kind kind) { return live.get(kind).size(); }
}
