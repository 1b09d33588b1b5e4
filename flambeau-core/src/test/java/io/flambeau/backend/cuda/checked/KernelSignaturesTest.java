package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The seam checks launches against the parameter sizes {@link KernelSignatures} reads from the PTX,
 * and leaves a kernel it cannot read unchecked: so it must read every kernel Flambeau ships, with the
 * sizes the loopback's own PTX reader (the one its executors unpack launches with) finds.
 */
class KernelSignaturesTest {
    @Test
    void everyShippedKernelIsReadWithItsDeclaredSizes() throws IOException {
        int kernels = 0;
        try (Stream<Path> files = Files.list(Path.of("kernels"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ptx")).sorted().toList()) {
                String ptx = Files.readString(f);
                Map<String, int[]> expected = LoopbackAccess.parameterSizes(ptx);
                Map<String, int[]> read = KernelSignatures.of(ptx);
                assertFalse(expected.isEmpty(), f + " declares kernels");
                assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(read).keySet(), f.toString());
                for (var e : expected.entrySet()) assertArrayEquals(e.getValue(), read.get(e.getKey()), f + ": " + e.getKey());
                kernels += expected.size();
            }
        }
        assertFalse(kernels == 0, "kernels/ holds PTX");
    }

    @Test
    void arraysScalarsPointerQualifiersAndNoParameters() {
        String ptx = """
                // a comment with .entry fake(.param .u8 x)
                .visible .entry a(.param .u64 .ptr .global .align 8 p, .param .align 8 .b8 shape[32], .param .f32 s,
                    .param .s16 h)
                { ret; }
                .visible .entry none()
                { ret; }
                .entry bare
                { ret; }
                """;
        Map<String, int[]> read = KernelSignatures.of(ptx);
        assertArrayEquals(new int[] {8, 32, 4, 2}, read.get("a"));
        assertArrayEquals(new int[0], read.get("none"));
        assertArrayEquals(new int[0], read.get("bare"));
        assertEquals(3, read.size(), "the commented-out entry is not read");
    }
}
