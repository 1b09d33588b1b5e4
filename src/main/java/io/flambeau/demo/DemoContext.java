package io.flambeau.demo;

import io.flambeau.demo.plot.LiveWindow;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running demo may use: its options, the stream to print to, and whether that stream is
 * an interactive terminal (where a {@code \r} progress bar can redraw itself in place; in a log
 * file or a test it would be a mess of carriage returns, so plain lines are printed instead).
 */
public record DemoContext(DemoOptions options, PrintStream out, boolean terminal) {

    /** Where a demo writes the file {@code name}: inside the {@code --out} folder. */
    public Path outputFile(String name) {
        return options.out().resolve(name);
    }

    /** A live window when {@code --show} was given and a display exists; empty otherwise. */
    public Optional<LiveWindow> openWindow(String title) {
        return options.show() ? LiveWindow.openIfPossible(title) : Optional.empty();
    }
}
