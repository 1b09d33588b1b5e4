package io.flambeau.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports a training loop's progress: iteration, loss and speed. On a terminal one line is
 * redrawn in place with {@code \r} as a progress bar; elsewhere (a log file, a test) a plain line
 * is printed for the first iteration, every {@code lineEvery}-th and the last, so the output
 * stays readable without control characters.
 */
final class Progress {
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final int total;
    private final int lineEvery;
    private final long start = System.nanoTime();
    private int lastIteration;
    private boolean lastPrinted;
    private double lastLoss = Double.NaN;

    Progress(PrintStream out, boolean terminal, String label, int total, int lineEvery) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.lineEvery = Math.max(1, lineEvery);
    }

    /** Records that iteration {@code iteration} (counted from 1) ended with {@code loss}. */
    void update(int iteration, double loss) {
        lastIteration = iteration;
        lastLoss = loss;
        if (terminal) {
            out.print("\r" + bar(iteration) + " " + stats(iteration, loss));
            out.flush();
        } else {
            lastPrinted = iteration == 1 || iteration % lineEvery == 0;
            if (lastPrinted) out.println(stats(iteration, loss));
        }
    }

    /** Ends the report: the bar's line is closed, the last iteration printed if it was skipped. */
    void finish() {
        if (terminal) {
            out.println();
        } else if (lastIteration > 0 && !lastPrinted) {
            out.println(stats(lastIteration, lastLoss));
        }
    }

    /** Iterations per second since this report was created. */
    double iterationsPerSecond() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return seconds > 0 ? lastIteration / seconds : 0;
    }

    private String bar(int iteration) {
        int filled = total <= 0 ? 0 : Math.min(BAR_WIDTH, iteration * BAR_WIDTH / total);
        return label + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    private String stats(int iteration, double loss) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seconds > 0 ? iteration / seconds : 0;
        String head = terminal ? "" : label + " ";
        return String.format(Locale.ROOT, "%siteration %" + digits() + "d/%d  loss %.6e  %8.1f it/s",
                head, iteration, total, loss, rate);
    }

    private int digits() {
        return Integer.toString(Math.max(total, 1)).length();
    }
}
