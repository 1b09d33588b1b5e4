package io.flambeau.ownership;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.ScopeException;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a scope may own: the step's temporaries, never a model's parameters, a leaf's gradient or
 * an optimizer's state, wherever they were made; and scopes close in order or say why not.
 */
class ScopeOwnershipTest {

    @Test
    void aModelBuiltInsideAScopeOutlivesIt() {
        Linear model;
        try (Scope s = Scope.open()) {
            model = new Linear(3, 2);
        }
        Tensor y = model.forward(Torch.ones(4, 3));
        assertEquals(4, y.shape().get(0));
    }

    @Test
    void aModelMovedInsideAScopeOutlivesIt() {
        Linear model = new Linear(3, 2);
        try (Scope s = Scope.open()) {
            model.to(Torch.defaultDevice().isCuda() ? "cpu" : Torch.defaultDevice().toString());
            model.to(Torch.defaultDevice());
        }
        assertFalse(model.weight().tensor().isClosed());
        model.forward(Torch.ones(4, 3)).sum().backward();
        assertFalse(model.weight().grad().isClosed());
    }

    @Test
    void aGradientAssignedInsideAScopeOutlivesIt() {
        Tensor w = Torch.zeros(5).requiresGrad_();
        try (Scope s = Scope.open()) {
            w.setGrad(Torch.ones(5));
        }
        assertFalse(w.grad().isClosed());
        assertEquals(5.0, w.grad().sum().item());
    }

    @Test
    void trainingWithAScopePerStepKeepsParametersGradientsAndState() {
        Linear model;
        Adam opt;
        try (Scope setup = Scope.open()) { // everything long-lived made inside a scope on purpose
            model = new Linear(2, 1);
            opt = new Adam(model.parameters(), 0.01);
        }
        Tensor x = Torch.randn(16, 2), target = Torch.randn(16, 1);
        double first = 0, last = 0;
        for (int step = 0; step < 20; step++) {
            try (Scope s = Scope.open()) {
                opt.zeroGrad();
                Tensor loss = F.mseLoss(model.forward(x), target);
                loss.backward();
                opt.step();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
        }
        assertTrue(last < first, "loss fell: " + first + " -> " + last);
    }

    @Test
    void closingAnOuterScopeFirstIsATypedErrorNamingBoth() {
        Scope outer = Scope.open();
        Tensor kept = Torch.ones(10);
        Scope inner = Scope.open();
        Tensor innerTensor = Torch.ones(10);
        ScopeException e = assertThrows(ScopeException.class, outer::close);
        assertTrue(e.getMessage().matches("(?s).*Scope #\\d+.*Scope #\\d+.*close the inner scope first.*"), e.getMessage());
        assertFalse(innerTensor.isClosed(), "nothing was released");
        assertFalse(kept.isClosed());
        inner.close();
        outer.close();
        assertTrue(innerTensor.isClosed());
        assertTrue(kept.isClosed());
    }

    @Test
    void closingAScopeFromAnotherThreadIsATypedError() throws InterruptedException {
        try (Scope s = Scope.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    s.close();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.start();
            t.join();
            assertInstanceOf(ScopeException.class, error.get());
            assertTrue(error.get().getMessage().contains("belongs to the thread that opened it"));
        }
    }
}
