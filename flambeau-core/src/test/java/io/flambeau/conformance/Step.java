package io.flambeau.conformance;

import java.util.List;

/**
 * One line of a generated program: its Java text, what it does to a {@link Workspace}, the
 * variables it reads, and the variables whose values are compared right after it (the one it
 * defines, or the one it wrote into).
 *
 * @param java     the statement, as it appears in the printed reproduction
 * @param action   the same statement, executed against a workspace
 * @param inputs   variables it reads (their magnitude sets the tolerance of a rounded result)
 * @param observed variables compared after the step
 * @param exact    whether the observed values must agree bit for bit (else to a relative 1e-5)
 */
record Step(String java, Action action, List<String> inputs, List<String> observed, boolean exact) {
    @FunctionalInterface
    interface Action {
        void run(Workspace w);
    }
}
