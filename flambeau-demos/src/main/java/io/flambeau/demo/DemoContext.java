package io.flambeau.demo;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a running demo may use: its options, the stream to print to, whether that stream is an
 * interactive terminal (where a {@code \r} progress bar can redraw itself in place; in a log file
 * or a test it would be a mess of carriage returns, so plain lines are printed instead), and its
 * live windows.
 */
public record DemoContext(DemoOptions options, PrintStream out, boolean terminal, Windows windows) {

    /** A context whose demo shows no window. */
    public DemoContext(DemoOptions options, PrintStream out, boolean terminal) {
        this(options, out, terminal, new Windows(false));
    }

    /** Where a demo writes the file {@code name}: inside the {@code --out} folder. */
    public Path outputFile(String name) {
        return options.out().resolve(name);
    }
}
