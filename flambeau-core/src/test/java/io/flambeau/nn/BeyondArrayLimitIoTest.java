package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real CPU tensor of 2^31+5 elements, more than any Java array holds (bool, so 2 GiB of off-heap
 * memory), printed, saved and loaded with the default settings. It needs about 3 GiB of memory and
 * 2 GiB of disk, so it runs only when asked: {@code -Dflambeau.test.large=true} (pass it through
 * {@code -Dflambeau.jvm.flags=...}, which becomes the test JVM's flags).
 */
@Tag("huge") // when enabled, it runs in the huge-tensors JVM, not beside the ordinary tests
@EnabledIfSystemProperty(named = "flambeau.test.large", matches = "true",
        disabledReason = "opt-in (about 3 GiB of memory, 2 GiB of disk, 35 s): run with -Dflambeau.jvm.flags=-Dflambeau.test.large=true")
class BeyondArrayLimitIoTest {
    private static final long N = (1L << 31) + 5;

    @TempDir
    Path dir;

    @Test
    void printsSavesAndLoadsATensorLargerThanAnyArray() throws Exception {
        Tensor x = Torch.full(new long[] {N}, 0, DType.BOOL, Device.CPU);
        x.set(0L, true);
        x.set(N - 2, true);
        x.set((1L << 31) - 1, true); // the last index an int can hold, hidden by the summary
        // recorded from PyTorch 1.13: the same tensor (torch.zeros(2**31+5, dtype=torch.bool), the same three set)
        assertEquals("tensor([ True, False, False,  ..., False,  True, False])", x.toString());
        assertEquals("tensor([[ True, False, False,  ..., False, False, False],\n"
                + "        [False, False, False,  ..., False, False, False],\n"
                + "        [False, False, False,  ..., False, False, False],\n"
                + "        ...,\n"
                + "        [False, False, False,  ..., False, False, False],\n"
                + "        [False, False, False,  ..., False, False, False],\n"
                + "        [False, False, False,  ..., False,  True, False]])", x.reshape(7, -1).toString());

        Path file = dir.resolve("big.flb");
        StateDictFile.write(file, Map.of("mask", x));
        assertEquals(8 + 4 + 4 + 2 + 4 + 1 + 1 + 8 + N + 4, Files.size(file), "header, one byte per element, checksum");
        x.close();

        Tensor back = StateDictFile.read(file).get("mask");
        assertEquals(N, back.numel());
        assertEquals("tensor([ True, False, False,  ..., False,  True, False])", back.toString());
        assertEquals(1, back.get((1L << 31) - 1).longItem());
        assertEquals(0, back.get((1L << 31) - 2).longItem());
        assertEquals(0, back.get(1L << 31).longItem());
        assertEquals(1, back.get(N - 2).longItem());
        assertEquals(0, back.get(N - 1).longItem());
        back.close();
    }
}
