package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.Derivative;
import io.flambeau.ops.RawTensor;

/**
 * The gradient rule of one recorded binary op, from its definition's two formulas: folded with a
 * Java-number operand (null where the operand is a tensor), kept only for the operands that want a
 * gradient, and so deciding which tensors must be saved ({@link #reads}). Out-of-place, in-place
 * and with-a-number forms all build their rule here.
 */
final class Gradients {
    private final String node;
    private final Derivative self;
    private final Derivative other;

    Gradients(BinaryOp op, String node, boolean selfWantsGrad, boolean otherWantsGrad, Double selfNumber, Double otherNumber) {
        this.node = node;
        this.self = selfWantsGrad ? Formulas.fold(op.selfDerivative(), selfNumber, otherNumber, 0, 0) : null;
        this.other = otherWantsGrad ? Formulas.fold(op.otherDerivative(), selfNumber, otherNumber, 0, 0) : null;
    }

    String node() { return node; }

    /** Whether a gradient to be computed reads the operand {@code leaf} ({@code Derivative.Self.class}, ...). */
    boolean reads(Class<? extends Derivative> leaf) {
        return self != null && self.reads(leaf) || other != null && other.reads(leaf);
    }

    /**
     * The rule over the saved tensors (null where not read): both gradients, each summed back to its operand's
     * shape (null where not wanted).
     */
    Graph.Rule backward(SavedTensor x, SavedTensor y, SavedTensor r, long[] selfShape, long[] otherShape) {
        Formulas.Operands operands = new Formulas.Operands() {
            public RawTensor self() { return x.get(node); }
            public RawTensor other() { return y.get(node); }
            public RawTensor result() { return r.get(node); }
        };
        return g -> new RawTensor[] {
                self == null ? null : GradientMath.sumTo(Formulas.evaluate(self, g, operands, 0, 0), selfShape),
                other == null ? null : GradientMath.sumTo(Formulas.evaluate(other, g, operands, 0, 0), otherShape)};
    }
}
