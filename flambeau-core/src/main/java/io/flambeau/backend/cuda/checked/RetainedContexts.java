package io.flambeau.backend.cuda.checked;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The primary contexts retained through the checked seam (with their reference counts, which the
 * driver keeps too) and the context each thread made current through it. Used to refuse a context
 * value never handed out, to know which device's memory a pointer is, and to forget a context's
 * memory and handles when its last reference goes and the driver destroys them. Learnt only from the
 * calls passing through: it never asks the driver.
 */
final class RetainedContexts {
    private record Retained(long context, int count) {}

    private final Map<Integer, Retained> byOrdinal = new HashMap<>();
    private final ThreadLocal<long[]> current = ThreadLocal.withInitial(() -> new long[1]);

    synchronized void retained(int ordinal, long context) {
        Retained r = byOrdinal.get(ordinal);
        byOrdinal.put(ordinal, new Retained(context, r == null ? 1 : r.count() + 1));
    }

    /** Records a release; returns the context when that was its last reference (it is now destroyed), else 0. */
    synchronized long released(int ordinal) {
        Retained r = byOrdinal.get(ordinal);
        if (r == null) return 0;
        if (r.count() > 1) {
            byOrdinal.put(ordinal, new Retained(r.context(), r.count() - 1));
            return 0;
        }
        byOrdinal.remove(ordinal);
        return r.context();
    }

    synchronized boolean isRetained(int ordinal) { return byOrdinal.containsKey(ordinal); }

    synchronized boolean isLive(long context) {
        for (Retained r : byOrdinal.values()) if (r.context() == context) return true;
        return false;
    }

    /** The device ordinal of a live context, or -1. */
    synchronized int ordinalOf(long context) {
        for (Map.Entry<Integer, Retained> e : byOrdinal.entrySet()) if (e.getValue().context() == context) return e.getKey();
        return -1;
    }

    /** One entry per outstanding reference, for closing: each ordinal as often as it was retained. */
    synchronized List<Integer> drain() {
        List<Integer> refs = new ArrayList<>();
        for (Map.Entry<Integer, Retained> e : byOrdinal.entrySet()) {
            for (int i = 0; i < e.getValue().count(); i++) refs.add(e.getKey());
        }
        byOrdinal.clear();
        return refs;
    }

    /** The context this thread made current through the seam, or 0 (none, or made current elsewhere). */
    long current() { return current.get()[0]; }

    void setCurrent(long context) { current.get()[0] = context; }

    /** "cuda:1" for a live context, for messages. */
    String describe(long context) {
        int ordinal = ordinalOf(context);
        return ordinal >= 0 ? "cuda:" + ordinal : "context 0x" + Long.toHexString(context);
    }
}
