package io.flambeau.huge;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A float32 CPU tensor of 2^31 + 7 elements (8 GiB, off the Java heap) through the public API:
 * fill, a slice copy across index 2^31, a full sum, slices on both sides of the boundary, an
 * in-place scalar add, and {@code x[x > c]} with the selected elements on both sides of 2^31.
 * Tagged {@code huge}: it runs in a JVM of its own (surefire execution {@code huge-tensors}), so
 * its memory goes away after it; skipped, saying why, where the machine has less than 12 GB
 * available. Peak memory stays near 10 GiB: every step is in place or a view, but for the 2 GiB
 * bool mask.
 */
@Tag("huge")
class HugeTensorTest {
    private static final long BOUNDARY = 1L << 31;
    private static final long N = BOUNDARY + 7;
    private static final long NEEDED = 12L << 30;

    @Test
    void aFloat32TensorPast2To31ElementsSumsSlicesAndAdds() {
        long available = memAvailable();
        Assumptions.assumeTrue(available >= NEEDED, "skipped: a tensor of 2^31+7 float32 elements (8 GiB) needs "
                + (NEEDED >> 30) + " GB of MemAvailable; this machine has " + (available >> 20) + " MiB");
        Tensor t = Torch.full(new long[] {N}, 1.0);
        try {
            assertEquals(N, t.numel());
            // seven distinct values at 2^31-3 .. 2^31+3, written through a slice that straddles the boundary
            float[] marks = {1e6f, 2e6f, 3e6f, 4e6f, 5e6f, 6e6f, 7e6f};
            t.get(Index.slice(BOUNDARY - 3, BOUNDARY + 4)).copy_(Torch.tensor(marks));

            // every element is 1 but the seven marks (28e6 in all): rounded once to float32, as
            // PyTorch's sum is; a float accumulator would have stopped at 2^24
            double expected = (double) (N - marks.length) + 28e6;
            assertEquals((float) expected, (float) t.sum().item());

            Tensor across = t.get(Index.slice(BOUNDARY - 5, BOUNDARY + 6));
            assertArrayEquals(new float[] {1, 1, 1e6f, 2e6f, 3e6f, 4e6f, 5e6f, 6e6f, 7e6f, 1, 1}, across.toFloatArray());
            assertEquals(1.0, t.get(N - 1).item(), "the last element");

            assertEquals(t.dataPtr() + 4 * (BOUNDARY - 5), across.dataPtr(), "a host address, for native libraries");

            t.add_(2.0); // in place: no second 8 GiB
            assertArrayEquals(new float[] {3, 3, 1e6f + 2, 2e6f + 2, 3e6f + 2, 4e6f + 2, 5e6f + 2, 6e6f + 2, 7e6f + 2, 3, 3},
                    across.toFloatArray(), "the view sees the in-place add on both sides of 2^31");
            assertEquals(3.0, t.get(0L).item());
            assertEquals(3.0, t.get(N - 1).item());
            assertArrayEquals(new float[] {3, 3, 3}, t.get(Index.slice(BOUNDARY + 4, BOUNDARY + 7)).toFloatArray(),
                    "the tail past the marks");

            // x[x > c]: a bool mask of 2^31+7 elements (2 GiB more), its true elements on both sides
            // of 2^31, read piece by piece into their coordinates
            Tensor mask = t.gt(5.0);
            try {
                assertArrayEquals(new float[] {1e6f + 2, 2e6f + 2, 3e6f + 2, 4e6f + 2, 5e6f + 2, 6e6f + 2, 7e6f + 2},
                        t.get(mask).toFloatArray(), "the marks, in order");
            } finally {
                mask.close();
            }
        } finally {
            t.close();
        }
    }

    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
