package io.flambeau.autograd;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.Derivative;
import io.flambeau.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The op definitions as autograd reads them: what each gradient formula reads is what is saved,
 * folding a Java-number operand away saves nothing it no longer needs, and every form of an op
 * (out of place, with a number, in place) records PyTorch's node.
 */
class OpDefinitionsTest {
    @Test
    void theSavedTensorsFollowFromTheFormulas() {
        Set<UnaryOp> readsResult = EnumSet.noneOf(UnaryOp.class), readsSelf = EnumSet.noneOf(UnaryOp.class);
        for (UnaryOp op : UnaryOp.values()) {
            if (op.derivative().readsResult()) readsResult.add(op);
            if (op.derivative().readsSelf()) readsSelf.add(op);
        }
        // PyTorch's derivatives.yaml: exp, sqrt, tanh, sigmoid, relu, reciprocal and expm1 read their result
        assertEquals(EnumSet.of(UnaryOp.EXP, UnaryOp.SQRT, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.RECIPROCAL,
                UnaryOp.EXPM1), readsResult);
        assertEquals(EnumSet.of(UnaryOp.ABS, UnaryOp.LOG, UnaryOp.SQUARE, UnaryOp.SIN, UnaryOp.COS, UnaryOp.LEAKY_RELU,
                UnaryOp.CLAMP, UnaryOp.LOG1P, UnaryOp.ERF, UnaryOp.GELU, UnaryOp.GELU_TANH), readsSelf);
    }

    @Test
    void binaryOpsHaveBothFormulasOrNone() {
        for (BinaryOp op : BinaryOp.values()) {
            boolean differentiable = !op.isComparison() && op != BinaryOp.AND && op != BinaryOp.OR
                    && op != BinaryOp.THRESHOLD_BACKWARD;
            assertEquals(differentiable, op.isDifferentiable(), op.toString());
            if (differentiable) {
                assertNotNull(op.selfDerivative(), op.toString());
                assertNotNull(op.otherDerivative(), op.toString());
            } else {
                assertNull(op.otherDerivative(), op.toString());
            }
        }
        assertTrue(BinaryOp.MUL.selfDerivative().reads(Derivative.Other.class));
        assertFalse(BinaryOp.MUL.selfDerivative().reads(Derivative.Self.class));
    }

    @Test
    void aFoldedFormulaSavesOnlyWhatItStillReads() {
        // x ** 0 has a zero gradient: x is not saved, so changing x in place before backward is allowed
        Tensor x = Torch.tensor(new double[] {1.5, -2}).requiresGrad_();
        Tensor y = x.mul(1.0);
        Tensor z = y.pow(0.0);
        y.add_(1.0);
        z.sum().backward();
        assertArrayEquals(new double[] {0, 0}, x.grad().toDoubleArray());
        // x ** 2 reads x: the same in-place change is refused at backward, as in PyTorch
        Tensor y2 = x.mul(1.0);
        Tensor z2 = y2.pow(2.0);
        y2.add_(1.0);
        assertThrows(io.flambeau.core.AutogradException.class, () -> z2.sum().backward());
    }

    @Test
    void everyFormRecordsPyTorchsNode() {
        Tensor a = Torch.tensor(new double[] {1, 2}).requiresGrad_(), b = Torch.tensor(new double[] {3, 4});
        assertEquals("MulBackward0", a.mul(b).gradFn());
        assertEquals("MulBackward1", a.mul(2.0).gradFn());
        assertEquals("RsubBackward1", a.rsub(1.0).gradFn());
        assertEquals("Log1PBackward0", a.log1p().gradFn());
        assertEquals("GeluBackward0", a.gelu("tanh").gradFn());
        Tensor c = a.mul(1.0);
        c.div_(b);
        assertEquals("DivBackward0", c.gradFn());
        // rdiv's gradient is div's formula for its second operand: d(s / x) = -s / x^2
        Tensor x = Torch.tensor(new double[] {0.5, -4}).requiresGrad_();
        x.rdiv(3.0).sum().backward();
        assertArrayEquals(new double[] {-12, -3.0 / 16}, x.grad().toDoubleArray(), 1e-15);
    }
}
