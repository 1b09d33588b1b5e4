package io.flambeau.demo;

import io.flambeau.core.FlambeauException;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Prints a course sample the way a reader follows it: the Java line as a {@code //} header, then
 * what it prints. Results go through {@code String.valueOf}, so a tensor shows exactly as
 * PyTorch's {@code print(t)} would, a shape as {@code torch.Size([...])}, a list as Python's list.
 */
final class Transcript {
    private final PrintStream out;

    Transcript(PrintStream out) {
        this.out = out;
    }

    /** A course section heading, with a blank line before it. */
    void section(String number, String title) {
        out.println();
        out.println("=== " + number + " " + title + " ===");
    }

    /** A line of explanation, marked so it cannot be mistaken for output. */
    void note(String text) {
        out.println("# " + text);
    }

    /** A statement that prints nothing (an assignment, an in-place write). */
    void code(String javaLine) {
        out.println("// " + javaLine);
    }

    /** A statement, then what printing {@code value} shows. */
    void show(String javaLine, Object value) {
        code(javaLine);
        out.println(value);
    }

    /**
     * A statement that may fail: what it prints, or the Flambeau error it raises, named by its
     * type as Python names a caught exception.
     */
    void showOrError(String javaLine, Supplier<?> action) {
        code(javaLine);
        try {
            out.println(action.get());
        } catch (FlambeauException e) {
            out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
