package io.flambeau.demo;

import io.flambeau.core.FlambeauException;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Prints a course sample the way a reader follows it: the Java line as a {@code //} header, then
 * what it prints, as the course's Python prints it: a tensor exactly as PyTorch's {@code print(t)},
 * a shape as {@code torch.Size([...])}, a list as Python's list, a boolean as {@code True}/{@code False}.
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
        out.println(python(value));
    }

    /** How Python prints {@code value}: a Java boolean as {@code True} or {@code False}, anything else as itself. */
    static String python(Object value) {
        if (value instanceof Boolean b) return b ? "True" : "False";
        return String.valueOf(value);
    }

    /**
     * A statement that may fail: what it prints, or the Flambeau error it raises, named by its
     * type as Python names a caught exception.
     */
    void showOrError(String javaLine, Supplier<?> action) {
        code(javaLine);
        try {
            out.println(python(action.get()));
        } catch (FlambeauException e) {
            out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
