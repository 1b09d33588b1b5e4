package io.flambeau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link CpuParallel#parallelFor}: every index runs exactly once, and failures reach the caller. */
class CpuParallelTest {

    @Test
    void coversEveryIndexOnce() {
        for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
            for (int grain : new int[] {1, 4, 2000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                CpuParallel.parallelFor(n, grain, (start, end) -> {
                    for (int i = start; i < end; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "n=" + n + " grain=" + grain + " index " + i);
                }
            }
        }
    }

    @Test
    void nestedCallsComplete() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        CpuParallel.parallelFor(8, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                CpuParallel.parallelFor(8, 1, (s2, e2) -> {
                    for (int j = s2; j < e2; j++) {
                        hits.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void exceptionFromAnyChunkPropagates() {
        assertThrows(IllegalStateException.class, () -> CpuParallel.parallelFor(100, 1, (s, e) -> {
            if (e == 100) {
                throw new IllegalStateException("last chunk");
            }
        }));
    }
}
