package io.flambeau.testutil;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints, on the build's console, every test that did not run and why (a disabled test or an
 * assumption such as "no NVIDIA driver"), so no skip hides in the reports.
 */
public final class SkipReasonReporter implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void report(TestIdentifier test, String reason) {
        System.out.println("[SKIPPED] " + test.getDisplayName() + " (" + test.getUniqueId().replaceAll(".*\\[class:([^\\]]+)].*", "$1")
                + "): " + reason);
    }
}
