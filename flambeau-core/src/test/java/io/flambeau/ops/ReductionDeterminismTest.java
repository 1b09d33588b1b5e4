package io.flambeau.ops;

import io.flambeau.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A reduction gives the same bits on every call, in every JIT tier, for the same input, shape and
 * thread count: 20,000 calls of each cheap reduction (2,000 of each loss, 200 over 600,000
 * elements) are compared bitwise with the first — C2 compiles the summing loops within the first
 * few hundred calls (seen with {@code -XX:+PrintCompilation}) — and the results of this warmed-up
 * JVM with those of a JVM that only interprets ({@code -Xint}) and one that stops at C1
 * ({@code -XX:TieredStopAtLevel=1}), whatever ran before in this JVM.
 */
class ReductionDeterminismTest {
    static final int CALLS = 20_000;
    static final int COMPOSITE_CALLS = 2_000;
    static final int LARGE_CALLS = 200;

    @Test
    void everyCallGivesTheFirstCallsBits() {
        ReductionFingerprint f = new ReductionFingerprint();
        repeat(f.small, CALLS);
        repeat(f.composite, COMPOSITE_CALLS);
        repeat(f.large, LARGE_CALLS);
    }

    static void repeat(Map<String, Supplier<Tensor>> ops, int calls) {
        for (var op : ops.entrySet()) {
            long[] first = ReductionFingerprint.bits(op.getValue().get());
            for (int call = 1; call < calls; call++) {
                long[] now = ReductionFingerprint.bits(op.getValue().get());
                if (!java.util.Arrays.equals(first, now)) {
                    assertArrayEquals(first, now, op.getKey() + ": call " + call + " differs from the first");
                }
            }
        }
    }

    @Test
    void theInterpreterC1AndC2GiveTheSameBits() throws Exception {
        ReductionFingerprint f = new ReductionFingerprint();
        Map<String, String> warm = new LinkedHashMap<>();
        for (var group : List.of(f.small, f.composite, f.large)) {
            for (var op : group.entrySet()) {
                for (int i = 0; i < 500; i++) op.getValue().get();         // into C2 here
                warm.put(op.getKey(), ReductionFingerprint.hash(ReductionFingerprint.bits(op.getValue().get())));
            }
        }
        assertEquals(warm, fingerprintIn("-Xint"), "interpreter (-Xint) vs this JVM after warm-up");
        assertEquals(warm, fingerprintIn("-XX:TieredStopAtLevel=1"), "C1 only vs this JVM after warm-up");
    }

    /** {@link ReductionFingerprint#main}'s lines from a child JVM with {@code tierFlag}, same core count. */
    private static Map<String, String> fingerprintIn(String tierFlag) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", tierFlag,
                "-XX:ActiveProcessorCount=" + Runtime.getRuntime().availableProcessors(),
                "-Dflambeau.device=cpu",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ReductionFingerprint.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("child JVM failed (" + String.join(" ", cmd) + "):\n" + out);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z0-9_]+")) result.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        return result;
    }
}
