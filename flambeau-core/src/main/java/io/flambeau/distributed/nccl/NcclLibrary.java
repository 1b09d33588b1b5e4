package io.flambeau.distributed.nccl;

import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/**
 * Finds and opens NCCL once per process: {@code -Dflambeau.nccl.library=PATH} (or
 * {@code FLAMBEAU_NCCL_LIBRARY}), else {@code libnccl.so.2} on the system's search path.
 */
final class NcclLibrary {
    private static NcclLibrary loaded;
    private static DistributedException failure;

    final String origin;
    private final SymbolLookup lookup;

    private NcclLibrary(String origin, SymbolLookup lookup) {
        this.origin = origin;
        this.lookup = lookup;
    }

    static synchronized NcclLibrary get() {
        if (loaded != null) return loaded;
        if (failure != null) throw failure;
        String configured = System.getProperty("flambeau.nccl.library", System.getenv("FLAMBEAU_NCCL_LIBRARY"));
        String name = configured != null && !configured.isBlank() ? configured : "libnccl.so.2";
        try {
            loaded = new NcclLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            return loaded;
        } catch (IllegalArgumentException e) {
            failure = new DistributedException("NCCL could not be loaded (" + name + ": " + e.getMessage() + "). Install"
                    + " NCCL 2 (libnccl2 from NVIDIA's CUDA repository, or pip's nvidia-nccl-cu12) or point"
                    + " -Dflambeau.nccl.library at libnccl.so.2", e);
            throw failure;
        }
    }

    MemorySegment symbol(String name) {
        return lookup.find(name).orElseThrow(() -> new DistributedException("NCCL library " + origin + " has no symbol "
                + name + ": Flambeau needs NCCL 2.x"));
    }
}
