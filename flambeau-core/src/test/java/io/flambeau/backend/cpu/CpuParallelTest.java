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

    /**
     * Back-to-back calls from several threads at once, with several chunks per thread: pool
     * threads lingering after one caller's job pick up another's, and every index of every call
     * still runs exactly once.
     */
    @Test
    void concurrentCallersWithLingeringHelpers() throws Exception {
        int callers = 4, calls = 300;
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < callers; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int c = 0; c < calls; c++) {
                        int n = 1 + c % 97;
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        CpuParallel.parallelFor(n, 1, 8, (start, end) -> {
                            for (int i = start; i < end; i++) hits.incrementAndGet(i);
                        });
                        for (int i = 0; i < n; i++) {
                            if (hits.get(i) != 1) throw new AssertionError("call " + c + " index " + i + " ran " + hits.get(i) + " times");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }

    @Test
    void exceptionFromAnyChunkPropagates() {
        assertThrows(IllegalStateException.class, () -> CpuParallel.parallelFor(100, 1, (s, e) -> {
            if (e == 100) {
                throw new IllegalStateException("last chunk");
            }
        }));
        assertThrows(IllegalStateException.class, () -> CpuParallel.parallelFor(100, 1, 8, (s, e) -> {
            if (e == 100) {
                throw new IllegalStateException("last chunk");
            }
        }));
    }
}
