package io.flambeau.distributed;

import java.util.function.Supplier;

/**
 * What a rank of a distributed test reports: one line per check ({@code CHECK <rank> ok|FAIL ...}),
 * parsed by {@link MpiRun}. A check that throws unexpectedly is a failure with the exception.
 */
final class RankChecks {
    private final int rank;
    private int checks;
    private int failures;

    RankChecks(int rank) { this.rank = rank; }

    void check(String name, boolean ok, Supplier<String> detail) {
        checks++;
        if (!ok) failures++;
        String line = "CHECK " + rank + (ok ? " ok " : " FAIL ") + name + (ok ? "" : ": " + detail.get().replace('\n', '|'));
        System.out.println(line);
    }

    void check(String name, boolean ok) { check(name, ok, () -> "false"); }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}; an exception it throws is a failed check. */
    void run(String name, Body body) {
        long start = System.nanoTime();
        try {
            body.run();
            System.out.println("TIME " + rank + " " + name + " " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (Throwable t) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            check(name, false, w::toString);
        }
    }

    /** Expects {@code body} to throw {@code type} with a message containing every one of {@code parts}. */
    <T extends Throwable> void expectThrows(String name, Class<T> type, Body body, String... parts) {
        try {
            body.run();
            check(name, false, () -> "no " + type.getSimpleName() + " was thrown");
        } catch (Throwable t) {
            if (!type.isInstance(t)) {
                check(name, false, () -> "expected " + type.getSimpleName() + ", got " + t);
                return;
            }
            String message = String.valueOf(t.getMessage());
            for (String p : parts) {
                if (!message.contains(p)) {
                    check(name, false, () -> "message lacks '" + p + "': " + message);
                    return;
                }
            }
            check(name, true);
        }
    }

    void done() {
        System.out.println("DONE " + rank + " " + checks + " " + failures);
        System.out.flush();
    }
}
