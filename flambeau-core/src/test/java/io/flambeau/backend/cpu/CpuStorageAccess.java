package io.flambeau.backend.cpu;

import io.flambeau.backend.Storage;

/** Test access to the array behind a CPU storage (to check that no two live storages share one). */
public final class CpuStorageAccess {
    private CpuStorageAccess() {}

    /** The backing array of a CPU storage, or null for other storages. */
    public static Object array(Storage s) {
        return s instanceof CpuStorage c ? c.array() : null;
    }
}
