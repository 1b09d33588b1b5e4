package io.flambeau.conformance;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.core.Device;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Program} on the CPU and on another device side by side, step by step, comparing
 * what each step produced, then every variable's final value (in-place steps write through views
 * into their bases) and every leaf's gradient. Stops at the first difference.
 */
final class Lockstep {
    private Lockstep() {}

    /** A report of the first difference between the runs, or null when they agree throughout. */
    static String firstDifference(Program program, Device device) {
        Workspace cpu = new Workspace(Device.CPU), other = new Workspace(device);
        try (Scope scope = Scope.open()) {
            List<Step> steps = program.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String where = "step " + (i + 1) + " `" + step.java() + "`";
                double magnitude = step.exact() ? 0 : magnitude(cpu, step.inputs());
                String d = compare(where, run(step, cpu), run(step, other), device, step.exact(), magnitude);
                if (d != null) return report(program, d);
            }
            for (String name : cpu.names()) {
                if (!other.has(name)) return report(program, "final state: " + name + " exists only on the CPU");
                boolean exact = !program.inexact().contains(name);
                String d = compare("final value", List.of(Observation.of(name, cpu.get(name))),
                        List.of(Observation.of(name, other.get(name))), device, exact, 0);
                if (d != null) return report(program, d);
                Tensor c = cpu.get(name);
                if (c.isLeaf() && c.requiresGrad()) {
                    d = compare("final gradient", List.of(grad(name, c)), List.of(grad(name, other.get(name))), device, false, 0);
                    if (d != null) return report(program, d);
                }
            }
        }
        return null;
    }

    private static Observation grad(String name, Tensor t) {
        Tensor g = t.grad();
        return g == null ? Observation.noGrad("grad of " + name) : Observation.of("grad of " + name, g);
    }

    private static List<Observation> run(Step step, Workspace w) {
        try {
            step.action().run(w);
            List<Observation> seen = new ArrayList<>();
            for (String name : step.observed()) seen.add(Observation.of(name, w.get(name)));
            return seen;
        } catch (RuntimeException e) {
            return List.of(Observation.of(String.join(", ", step.observed()), e));
        }
    }

    /** The largest finite absolute value among the floating inputs of a step, read before it runs. */
    private static double magnitude(Workspace w, List<String> inputs) {
        double m = 0;
        for (String name : inputs) {
            if (w.has(name) && w.get(name).dtype().isFloating()) m = Observation.magnitude(w.get(name).toDoubleArray(), m);
        }
        return m;
    }

    private static String compare(String where, List<Observation> cpu, List<Observation> other, Device device, boolean exact,
            double magnitude) {
        for (int k = 0; k < cpu.size(); k++) {
            Observation c = cpu.get(k), o = other.get(Math.min(k, other.size() - 1));
            if (c.internal()) return where + ": the CPU crashed: " + c.describe();
            if (o.internal()) return where + ": " + device + " crashed: " + o.describe();
            String d = c.differenceFrom(o, device, exact, magnitude);
            if (d != null) {
                return where + ", " + c.what() + ": " + d + "\n  cpu:    " + c.describe() + "\n  " + device + ": " + o.describe();
            }
            if (c.error() != null) return null; // the same error on both: nothing more to compare
        }
        return null;
    }

    private static String report(Program program, String difference) {
        return "seed " + program.seed() + ": " + difference + "\nreproduce with:\n" + program.toJava();
    }
}
