package io.flambeau.autograd;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.AutogradException;
import io.flambeau.core.DTypeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The autograd contract: propagation, accumulation, graph lifetime, no-grad, in-place safety. */
class AutogradTest {

    private static Tensor leaf(float... v) {
        return Torch.tensor(v).requiresGrad_();
    }

    @Test
    void requiresGradPropagatesAndNamesTheNode() {
        Tensor a = leaf(1, 2, 3);
        Tensor b = Torch.tensor(new float[] {4, 5, 6});
        Tensor c = a.mul(b);
        assertTrue(c.requiresGrad());
        assertEquals("MulBackward0", c.gradFn());
        assertFalse(b.mul(b).requiresGrad());
        assertEquals("tensor([ 4., 10., 18.], grad_fn=<MulBackward0>)", c.toString());
        assertEquals("tensor([1., 2., 3.], requires_grad=True)", a.toString());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsAndUses() {
        Tensor a = leaf(1, 2, 3);
        a.mul(a).sum().backward();               // d/da a² = 2a
        assertArrayEquals(new float[] {2, 4, 6}, a.grad().toFloatArray());
        a.mul(3.0).sum().backward();             // += 3
        assertArrayEquals(new float[] {5, 7, 9}, a.grad().toFloatArray());
        a.grad().zero_();
        assertArrayEquals(new float[] {0, 0, 0}, a.grad().toFloatArray());
    }

    @Test
    void backwardTwiceNeedsRetainGraph() {
        Tensor a = leaf(1, 2);
        Tensor loss = a.exp().sum();
        loss.backward(true);
        loss.backward();
        double e1 = Math.exp(1);
        assertEquals(2 * e1, a.grad().toDoubleArray()[0], 1e-5);
        AutogradException e = assertThrows(AutogradException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Tensor a = leaf(1, 2);
        Tensor y = a.mul(2.0);
        assertThrows(AutogradException.class, y::backward);
        y.backward(Torch.tensor(new float[] {1, 10}));
        assertArrayEquals(new float[] {2, 20}, a.grad().toFloatArray());
        assertThrows(AutogradException.class, () -> Torch.tensor(new float[] {1}).sum().backward());
    }

    @Test
    void backwardFreesOnlyItsOwnIntermediateGradients() {
        Tensor a = leaf(1, 2, 3);
        Tensor upstream = Torch.tensor(new float[] {1, 10, 100});
        Tensor y = a.mul(2.0).add(a).exp().log();   // pass-through and new gradients along the way
        y.backward(upstream);
        assertArrayEquals(new float[] {3, 30, 300}, a.grad().toFloatArray(), 1e-4f);
        // the caller's gradient and the leaf's gradient stay usable after the walk freed the rest
        assertEquals("tensor([  1.,  10., 100.])", upstream.toString());
        a.mul(a).sum().backward();
        assertArrayEquals(new float[] {5, 34, 306}, a.grad().toFloatArray(), 1e-4f);
    }

    @Test
    void noGradScopeRecordsNothingAndAllowsLeafUpdates() {
        Tensor a = leaf(1, 2);
        a.mul(a).sum().backward();
        try (var g = Torch.noGrad()) {
            assertFalse(a.mul(2.0).requiresGrad());
            a.sub_(a.grad().mul(0.1));           // the course's §4.4 update
        }
        assertTrue(Torch.isGradEnabled());
        assertArrayEquals(new float[] {0.8f, 1.6f}, a.detach().toFloatArray(), 1e-6f);
        assertTrue(a.isLeaf());
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
        Tensor a = leaf(1, 2);
        AutogradException e = assertThrows(AutogradException.class, () -> a.add_(1.0));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
    }

    @Test
    void modifyingASavedTensorMakesBackwardFailNamingTheOp() {
        Tensor a = leaf(1, 2);
        Tensor b = a.mul(1.0);                   // non-leaf
        Tensor c = b.mul(b);                     // saves b
        b.add_(1.0);
        AutogradException e = assertThrows(AutogradException.class, () -> c.sum().backward());
        assertTrue(e.getMessage().contains("MulBackward0") && e.getMessage().contains("inplace"), e.getMessage());
    }

    @Test
    void inPlaceOnANonLeafExtendsItsHistory() {
        Tensor a = leaf(1, 2, 3);
        Tensor y = a.mul(2.0);
        y.add_(a);                               // y = 2a + a
        y.mul_(a);                               // y = 3a²
        y.sum().backward();
        assertArrayEquals(new float[] {6, 12, 18}, a.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void detachCutsTheGraphButSharesMemory() {
        Tensor a = leaf(1, 2);
        Tensor d = a.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.sharesStorageWith(a));
        assertNull(a.grad());
    }

    @Test
    void onlyFloatingTensorsRequireGrad() {
        assertThrows(DTypeException.class, () -> Torch.tensor(new long[] {1, 2}).requiresGrad_());
    }

    @Test
    void gradientsFlowThroughViewsAndIndexing() {
        Tensor a = Torch.arange(0.0, 6.0).reshape(2, 3).requiresGrad_();
        Tensor picked = a.get(Torch.arange(0L, 2L), Torch.tensor(new long[] {2, 2}));
        Tensor both = Torch.cat(List.of(picked, a.get("0, :2"), a.t().get(1)), 0);
        both.sum().backward();
        // [0,2] and [1,2] once; [0,0] and [0,1] once; column 1 of a once more
        assertArrayEquals(new float[] {1, 2, 1, 0, 1, 1}, a.grad().toFloatArray());
    }

    @Test
    void maxTiesSplitEvenlyForFullReductionsAndGoToTheFirstIndexAlongADim() {
        Tensor a = Torch.tensor(new float[] {1, 3, 3}).requiresGrad_();
        a.max().backward();
        assertArrayEquals(new float[] {0, 0.5f, 0.5f}, a.grad().toFloatArray());
        Tensor b = Torch.tensor(new float[][] {{1, 3, 3}}).requiresGrad_();
        b.max(1).values().sum().backward();
        assertArrayEquals(new float[] {0, 1, 0}, b.grad().toFloatArray());
    }
}
