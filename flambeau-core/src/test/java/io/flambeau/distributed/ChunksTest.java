package io.flambeau.distributed;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How an all-reduce or broadcast of more elements than an MPI call takes is cut (no memory is
 * touched: the chunks of 2^31 + 5 elements are computed, not moved): consecutive, at most 2^30
 * each, covering every element once, and one call of count 0 for an empty tensor.
 */
class ChunksTest {
    private static List<long[]> chunks(long numel) {
        List<long[]> out = new ArrayList<>();
        Chunks.run(numel, (at, n) -> out.add(new long[] {at, n}));
        return out;
    }

    @Test
    void pastAnIntCountInChunksOfAtMost2To30() {
        assertEquals(1L << 30, Chunks.ELEMENTS);
        List<long[]> c = chunks((1L << 31) + 5);
        assertEquals(3, c.size());
        assertEquals(List.of(0L, 1L << 30, 1L << 31), c.stream().map(x -> x[0]).toList());
        assertEquals(List.of(1L << 30, 1L << 30, 5L), c.stream().map(x -> x[1]).toList());
    }

    @Test
    void exactMultiplesAndSmallCounts() {
        assertEquals(2, chunks(1L << 31).size());
        assertEquals(1, chunks(7).size());
        assertEquals(7, chunks(7).getFirst()[1]);
        List<long[]> empty = chunks(0);
        assertEquals(1, empty.size());
        assertEquals(0, empty.getFirst()[1]);
    }
}
