package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.Derivative;
import io.flambeau.core.AutogradException;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Shapes;

/**
 * In-place ops ({@code add_}, {@code mul_}, {@code copy_}, ...). They write into the tensor's
 * storage, bump its version (so saved copies of it are detected as stale), and, when tracking
 * gradients, make the result's history one step longer.
 */
public final class InPlace {
    private InPlace() {}

    /** PyTorch's rules: no in-place change of a leaf that requires grad, or of a view of one, while recording. */
    static void checkAllowed(String op, Variable self, Variable... others) {
        if (!GradMode.isEnabled()) return;
        if (self.isLeaf() && self.requiresGrad()) {
            throw new AutogradException(op + ": a leaf Variable that requires grad is being used in an in-place operation;"
                    + " do the update inside a no-grad scope (try (var g = Torch.noGrad()) {...}) or use an out-of-place op");
        }
        boolean grad = self.requiresGrad();
        for (Variable o : others) grad |= o.requiresGrad();
        if (grad && self.base() != null && self.base().requiresGrad()) {
            throw new AutogradException(op + ": in-place modification of a view of a tensor that requires grad is not"
                    + " supported; clone() the view first or use an out-of-place op");
        }
    }

    /** {@code self op= other} (broadcasting other to self's shape, result cast back to self's dtype). */
    public static Variable binary(BinaryOp kind, Variable self, Variable other) {
        String op = kind.torchName() + "_";
        checkAllowed(op, self, other);
        boolean track = Graph.needsGrad(self, other) && kind.isDifferentiable();
        Gradients rule = track ? new Gradients(kind, kind.backwardNode(), self.requiresGrad(), other.requiresGrad(), null, null) : null;
        // self's old value is about to be overwritten: keep a copy when a gradient reads it
        SavedTensor x = track && rule.reads(Derivative.Self.class) ? new SavedTensor(Elementwise.clone(self.data)) : null;
        SavedTensor y = track && rule.reads(Derivative.Other.class) ? new SavedTensor(other.data) : null;
        if (Elementwise.binaryInPlace(op, kind, self.data, other.data)) {
            self.data.storage.bumpVersion();
        } else {
            write(op, self, Elementwise.binary(op, kind, self.data, other.data));
        }
        if (track) {
            SavedTensor r = rule.reads(Derivative.Result.class) ? new SavedTensor(self.data) : null;
            Graph.recordInPlace(rule.node(), self, rule.backward(x, y, r, self.data.shape, other.data.shape), other);
        }
        return self;
    }

    /** {@code self op= s} for a Java number. */
    public static Variable withNumber(BinaryOp kind, Variable self, double s) {
        String op = kind.torchName() + "_";
        checkAllowed(op, self);
        boolean sFloating = true;
        Gradients rule = new Gradients(kind, kind.scalarBackwardNode(false), true, false, null, s);
        SavedTensor x = rule.reads(Derivative.Self.class) ? new SavedTensor(Elementwise.clone(self.data)) : null;
        if (Elementwise.binaryScalarInPlace(op, kind, self.data, s, sFloating)) {
            self.data.storage.bumpVersion();
        } else {
            write(op, self, Elementwise.binaryScalar(op, kind, self.data, s, sFloating, false));
        }
        SavedTensor r = rule.reads(Derivative.Result.class) ? new SavedTensor(self.data) : null;
        long[] shape = self.data.shape;
        Graph.Rule both = rule.backward(x, null, r, shape, shape);
        Graph.recordInPlace(rule.node(), self, g -> new RawTensor[] {both.apply(g)[0]});
        return self;
    }

    /** {@code self.copy_(src)}: broadcasting copy with dtype conversion. */
    public static Variable copy(Variable self, Variable src) {
        checkAllowed("copy_", self, src);
        Elementwise.copyInto("copy_", self.data, src.data);
        self.data.storage.bumpVersion();
        long[] ss = src.data.shape;
        io.flambeau.core.DType srcType = src.data.dtype();
        boolean gSelf = self.requiresGrad(), gSrc = src.requiresGrad();
        Graph.recordInPlace("CopyBackwards", self, g -> new RawTensor[] {
                gSelf ? GradientMath.mul(g, 0.0) : null, gSrc ? GradientMath.castTo(GradientMath.sumTo(g, ss), srcType) : null}, src);
        return self;
    }

    /** {@code fill_(value)} and {@code zero_()}. */
    public static Variable fill(Variable self, double value) {
        checkAllowed("fill_", self);
        io.flambeau.ops.Int64Conversion.check("fill_", value, self.data.dtype());
        Elementwise.fill(self.data, value);
        self.data.storage.bumpVersion();
        Graph.recordInPlace("FillBackward0", self, g -> new RawTensor[] {GradientMath.mul(g, 0.0)});
        return self;
    }

    private static void write(String op, Variable self, RawTensor result) {
        if (!Shapes.same(result.shape, self.data.shape)) {
            throw new ShapeException(op + ": output with shape " + Shapes.format(self.data.shape)
                    + " doesn't match the broadcast shape " + Shapes.format(result.shape));
        }
        if (result.dtype() != self.data.dtype() && !io.flambeau.core.DType.promote(result.dtype(), self.data.dtype())
                .equals(self.data.dtype())) {
            throw new DTypeException(op + ": result type " + result.dtype().pyName() + " can't be cast to the desired output"
                    + " type " + self.data.dtype().pyName());
        }
        Elementwise.copyInto(op, self.data, result);
        self.data.storage.bumpVersion();
    }
}
