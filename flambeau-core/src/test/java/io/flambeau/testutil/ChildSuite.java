package io.flambeau.testutil;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs test classes in a JVM of a test's own making, for what the build's test JVM cannot show:
 * {@code java -cp CLASSPATH io.flambeau.testutil.ChildSuite CLASS...} runs the named JUnit classes
 * and prints a summary line {@code tests N, succeeded S, failed F, skipped K} (then the failures);
 * exit status 0 when none failed and at least one ran, 1 otherwise.
 */
public final class ChildSuite {
    private ChildSuite() {}

    public static void main(String[] classNames) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classNames).map(n -> selectClass(n)).toList())
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        System.out.println("tests " + s.getTestsFoundCount() + ", succeeded " + s.getTestsSucceededCount() + ", failed "
                + s.getTotalFailureCount() + ", skipped " + (s.getTestsSkippedCount() + s.getTestsAbortedCount()));
        if (s.getTotalFailureCount() > 0) s.printFailuresTo(new PrintWriter(System.out, true), 20);
        System.out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
