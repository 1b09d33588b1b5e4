package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standard loop end to end: Linear(1, 1) learns y = 2x + 1 with SGD. */
class LinearRegressionTest {

    @Test
    void sgdFitsALine() {
        Torch.manualSeed(1);
        Tensor x = Torch.linspace(-1, 1, 32).reshape(32, 1);
        Tensor y = x.mul(2.0).add(1.0);
        Linear model = new Linear(1, 1);
        SGD opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
        double first = Double.NaN, last = Double.NaN;
        for (int i = 0; i < 200; i++) {
            opt.zeroGrad();
            Tensor loss = F.mseLoss(model.forward(x), y);
            loss.backward();
            opt.step();
            last = loss.item();
            if (i == 0) first = last;
        }
        assertTrue(last < 1e-6 && last < first, "loss went from " + first + " to " + last);
        assertEquals(2.0, model.weight().tensor().item(), 1e-3);
        assertEquals(1.0, model.bias().tensor().item(), 1e-3);
    }
}
