package io.flambeau.autograd;

import io.flambeau.ops.RawTensor;

/**
 * Records ops into the backward graph. A differentiable function computes its output with the
 * ops layer, then hands the output and its gradient rule here: when grad mode is on and some
 * input requires a gradient, the output gets a node; otherwise it is a plain leaf.
 */
public final class Graph {
    private Graph() {}

    /** A gradient rule: input gradients (null where not needed) from the output gradient. */
    @FunctionalInterface
    public interface Rule {
        RawTensor[] apply(RawTensor grad);
    }

    /** True when an op over these inputs must record a node. */
    public static boolean needsGrad(Variable... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Variable v : inputs) if (v != null && v.requiresGrad()) return true;
        return false;
    }

    public static Variable record(String name, RawTensor out, Rule rule, Variable... inputs) {
        if (!needsGrad(inputs)) return new Variable(out);
        return new Variable(out, true, node(name, rule, inputs), null);
    }

    /** Like {@link #record} for ops whose output shares the input's storage. */
    public static Variable recordView(String name, RawTensor out, Rule rule, Variable input) {
        Variable base = input.base() != null ? input.base() : input;
        if (!needsGrad(input)) return new Variable(out, false, null, input.requiresGrad() ? null : base);
        return new Variable(out, true, node(name, rule, input), base);
    }

    /**
     * Rewires an in-place op into the graph: {@code self}'s producer becomes a node whose first
     * input is self's previous history.
     */
    public static void recordInPlace(String name, Variable self, Rule rule, Variable... others) {
        Variable[] inputs = new Variable[others.length + 1];
        inputs[0] = self;
        System.arraycopy(others, 0, inputs, 1, others.length);
        if (!needsGrad(inputs)) return;
        self.gradFn = node(name, rule, inputs);
        self.markRequiresGrad();
    }

    private static Node node(String name, Rule rule, Variable... inputs) {
        Node[] next = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = inputs[i] == null ? null : inputs[i].edge();
        return new RuleNode(name, next, rule);
    }

    /** A node whose backward is a rule closure; releasing it drops the closure and what it captured. */
    private static final class RuleNode extends Node {
        private Rule rule;

        RuleNode(String name, Node[] next, Rule rule) {
            super(name, next);
            this.rule = rule;
        }

        @Override
        protected RawTensor[] backward(RawTensor grad) {
            return rule.apply(grad);
        }

        @Override
        protected void releaseSaved() {
            rule = null;
        }
    }
}
