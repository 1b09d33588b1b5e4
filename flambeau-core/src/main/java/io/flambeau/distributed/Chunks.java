package io.flambeau.distributed;

import io.flambeau.distributed.mpi.MpiRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * MPI counts are C ints, so an all-reduce or a broadcast of more elements than an MPI call takes
 * runs as several calls over consecutive chunks of the same memory, each of at most
 * {@link #ELEMENTS} elements (property {@code flambeau.distributed.chunkElements}, default 2^30).
 * The chunks depend on the element count only, which every rank agreed on in the header
 * exchange, so every rank issues the same calls in the same order and they match.
 */
final class Chunks {
    private Chunks() {}

    /** The most elements one MPI call of a chunked collective moves. */
    static final long ELEMENTS = Math.clamp(Long.getLong("flambeau.distributed.chunkElements", 1L << 30), 1, Integer.MAX_VALUE);

    /** Starts one chunk: elements {@code [at, at + n)}. */
    interface Start {
        MpiRequest start(long at, int n);
    }

    /** Runs one chunk, blocking. */
    interface Run {
        void run(long at, int n);
    }

    /** Starts every chunk of {@code numel} elements (one call of count 0 for none) and returns one request for them all. */
    static MpiRequest start(long numel, Start start) {
        List<MpiRequest> parts = new ArrayList<>();
        long at = 0;
        do {
            int n = (int) Math.min(ELEMENTS, numel - at);
            parts.add(start.start(at, n));
            at += n;
        } while (at < numel);
        return MpiRequest.all(parts);
    }

    /** Runs every chunk of {@code numel} elements in order (one call of count 0 for none). */
    static void run(long numel, Run run) {
        long at = 0;
        do {
            int n = (int) Math.min(ELEMENTS, numel - at);
            run.run(at, n);
            at += n;
        } while (at < numel);
    }
}
