package io.flambeau.testutil;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SkipReasonReporterTest {
    @Test
    void oneLinePerReason() {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        byReason.put("no NVIDIA GPU", List.of("A.x", "A.y", "B.z", "C.w", "D.v", "E.u"));
        byReason.put("gcc not found", List.of("LoopbackTest"));
        assertEquals(List.of("[SKIPPED] no NVIDIA GPU: 6 tests (A.x, A.y, B.z, C.w, and 2 more)",
                "[SKIPPED] gcc not found: 1 test (LoopbackTest)"), SkipReasonReporter.lines(byReason));
    }
}
