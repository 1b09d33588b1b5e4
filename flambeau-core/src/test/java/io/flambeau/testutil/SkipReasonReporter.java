package io.flambeau.testutil;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints, on the build's console, every test that did not run and why (a disabled test or an
 * assumption such as "no NVIDIA driver"), so no skip hides in the reports. Each reason is printed
 * once, at the end of the run, with the tests it skipped: ten GPU tests skipped for want of a
 * GPU make one line, not ten.
 */
public final class SkipReasonReporter implements TestExecutionListener {
    /** Tests named in full on a reason's line; the rest are counted. */
    static final int NAMED = 4;

    private final Map<String, List<String>> skipped = new LinkedHashMap<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        for (String line : lines(skipped)) System.out.println(line);
        skipped.clear();
    }

    private synchronized void record(TestIdentifier test, String reason) {
        String className = test.getUniqueId().replaceAll(".*\\[class:([^\\]]+)].*", "$1");
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String name = test.isContainer() ? simple : simple + "." + test.getDisplayName();
        skipped.computeIfAbsent(reason == null ? "no reason given" : reason, r -> new ArrayList<>()).add(name);
    }

    /** One line per reason: {@code [SKIPPED] reason: 3 tests (A.x, A.y, B.z)}. */
    static List<String> lines(Map<String, List<String>> byReason) {
        List<String> lines = new ArrayList<>();
        byReason.forEach((reason, tests) -> {
            StringBuilder sb = new StringBuilder("[SKIPPED] ").append(reason).append(": ");
            sb.append(tests.size()).append(tests.size() == 1 ? " test (" : " tests (");
            sb.append(String.join(", ", tests.subList(0, Math.min(NAMED, tests.size()))));
            if (tests.size() > NAMED) sb.append(", and ").append(tests.size() - NAMED).append(" more");
            lines.add(sb.append(')').toString());
        });
        return lines;
    }
}
