package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options, validation, parameter groups, state and gradient handling of the optimizers. */
class OptimizerTest {

    private static List<Parameter> params() { return Parameter.listOf(Torch.tensor(new float[] {1, 2}).requiresGrad_()); }

    private static void assertInvalid(String option, org.junit.jupiter.api.function.Executable construct) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, construct);
        assertEquals(option, e.option(), e.getMessage());
    }

    @Test
    void invalidHyperParametersNameTheOption() {
        assertInvalid("lr", () -> new SGD(params(), -0.1));
        assertInvalid("lr", () -> new SGD(params(), Double.NaN));
        assertInvalid("momentum", () -> new SGD(params(), SGD.options().lr(0.1).momentum(-1)));
        assertInvalid("weight_decay", () -> new SGD(params(), SGD.options().lr(0.1).weightDecay(-1)));
        assertInvalid("nesterov", () -> new SGD(params(), SGD.options().lr(0.1).nesterov(true)));
        assertInvalid("nesterov", () -> new SGD(params(), SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
        assertInvalid("betas", () -> new Adam(params(), Adam.options().betas(1.0, 0.999)));
        assertInvalid("betas", () -> new Adam(params(), Adam.options().betas(0.9, -0.1)));
        assertInvalid("eps", () -> new Adam(params(), Adam.options().eps(-1e-8)));
        assertInvalid("lr", () -> new AdamW(params(), -1));
        assertInvalid("lr_decay", () -> new Adagrad(params(), Adagrad.options().lrDecay(-0.1)));
        assertInvalid("initial_accumulator_value", () -> new Adagrad(params(), Adagrad.options().initialAccumulatorValue(-1)));
        assertInvalid("alpha", () -> new RMSprop(params(), RMSprop.options().alpha(-0.5)));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new Adam(params(), Adam.options().betas(1.5, 0.9)));
        assertTrue(e.getMessage().contains("Invalid beta parameter at index 0: 1.5"), e.getMessage());
    }

    @Test
    void setUpErrorsAreClear() {
        OptimizerException noLr = assertThrows(OptimizerException.class, () -> new SGD(params(), SGD.options().momentum(0.9)));
        assertTrue(noLr.getMessage().contains("'lr' is required"), noLr.getMessage());
        assertThrows(OptimizerException.class, () -> new SGD(List.of(), 0.1));
        assertThrows(OptimizerException.class, () -> new Adam(params(), Map.of("learning_rate", 0.1)));
        assertThrows(OptimizerException.class, () -> new Adam(params(), Map.of("amsgrad", 1.0)));
        Parameter p = params().getFirst();
        assertThrows(OptimizerException.class, () -> new SGD(List.of(p, p), 0.1));
        SGD sgd = new SGD(List.of(p), 0.1);
        assertThrows(OptimizerException.class, () -> sgd.addParamGroup(List.of(p)));
    }

    @Test
    void defaultsFollowPyTorch() {
        Map<String, Object> adam = new Adam(params()).paramGroups().getFirst().options();
        assertEquals(1e-3, adam.get("lr"));
        assertArrayEquals(new double[] {0.9, 0.999}, (double[]) adam.get("betas"));
        assertEquals(1e-8, adam.get("eps"));
        assertEquals(0.0, adam.get("weight_decay"));
        assertEquals(false, adam.get("amsgrad"));
        assertEquals(1e-2, new AdamW(params()).paramGroups().getFirst().getDouble("weight_decay"));
        ParamGroup rms = new RMSprop(params()).paramGroups().getFirst();
        assertEquals(0.01, rms.lr());
        assertEquals(0.99, rms.getDouble("alpha"));
        assertEquals(1e-8, rms.getDouble("eps"));
        assertFalse(rms.getBoolean("centered"));
        ParamGroup ada = new Adagrad(params()).paramGroups().getFirst();
        assertEquals(0.01, ada.lr());
        assertEquals(1e-10, ada.getDouble("eps"));
    }

    @Test
    void groupsStartFromTheOptimizersDefaultsAndOverrideWhatTheySet() {
        Linear body = new Linear(2, 2), head = new Linear(2, 1);
        Adam opt = new Adam(body.parameters(), Adam.options().lr(0.01).betas(0.8, 0.9));
        ParamGroup g = opt.addParamGroup(head.parameters(), Adam.options().lr(0.1));
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.1, g.lr());
        assertArrayEquals(new double[] {0.8, 0.9}, g.getDoubles("betas"), "inherited from the constructor's options");
        assertEquals(0.01, opt.paramGroups().getFirst().lr());
        ParamGroup byMap = new SGD(params(), 0.5).addParamGroup(params(), Map.of("momentum", 0.9));
        assertEquals(0.5, byMap.lr());
        assertEquals(0.9, byMap.getDouble("momentum"));
    }

    @Test
    void groupOptionsCanBeChangedAndAreChecked() {
        SGD opt = new SGD(params(), 0.1);
        ParamGroup g = opt.paramGroups().getFirst();
        g.set("lr", 0.01);
        assertEquals(0.01, g.lr());
        assertThrows(InvalidOptionException.class, () -> g.set("lr", -1.0));
        assertEquals(0.01, g.lr(), "unchanged after a refused value");
        assertThrows(OptimizerException.class, () -> g.set("betas", 0.9));
    }

    @Test
    void eachGroupUsesItsOwnLearningRate() {
        Tensor a = Torch.tensor(new float[] {1}).requiresGrad_(), b = Torch.tensor(new float[] {1}).requiresGrad_();
        SGD opt = new SGD(Parameter.listOf(a), 0.1);
        opt.addParamGroup(Parameter.listOf(b), SGD.options().lr(0.5));
        a.add(b).sum().backward();
        opt.step();
        assertEquals(0.9f, a.toFloatArray()[0], 1e-7f);
        assertEquals(0.5f, b.toFloatArray()[0], 1e-7f);
    }

    @Test
    void zeroGradClearsOrZeroesInPlaceAndStepSkipsParametersWithoutGradients() {
        Tensor a = Torch.tensor(new float[] {1, 2}).requiresGrad_(), b = Torch.tensor(new float[] {3}).requiresGrad_();
        List<Parameter> ps = Parameter.listOf(a, b);
        SGD opt = new SGD(ps, SGD.options().lr(0.1).momentum(0.9));
        a.sum().backward();
        opt.step();
        assertArrayEquals(new float[] {0.9f, 1.9f}, a.toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {3}, b.toFloatArray(), "no gradient, no update");
        assertNull(opt.state(ps.get(1)));
        assertEquals(1, opt.state(ps.get(0)).step());
        assertTrue(opt.state(ps.get(0)).has("momentum_buffer"));
        Tensor g = a.grad();
        opt.zeroGrad(false); // set_to_none=False: zeroed in place
        assertArrayEquals(new float[] {0, 0}, a.grad().toFloatArray());
        assertTrue(a.grad().sharesStorageWith(g));
        opt.zeroGrad(); // PyTorch 2's default: set to none
        assertNull(a.grad());
        a.sum().backward();
        assertArrayEquals(new float[] {1, 1}, a.grad().toFloatArray(), "a fresh gradient, not added to the old one");
    }

    @Test
    void momentumBufferStartsAtTheGradient() {
        Tensor a = Torch.tensor(new float[] {0}).requiresGrad_();
        List<Parameter> ps = Parameter.listOf(a);
        SGD opt = new SGD(ps, SGD.options().lr(1).momentum(0.5).dampening(0.5));
        for (int i = 0; i < 2; i++) {
            opt.zeroGrad();
            a.mul(2.0).sum().backward(); // gradient 2 every step
            opt.step();
        }
        // step 1: buf = 2 (no dampening on the first step); step 2: buf = 0.5·2 + 0.5·2 = 2
        assertArrayEquals(new float[] {2}, opt.state(ps.getFirst()).get("momentum_buffer").toFloatArray());
        assertArrayEquals(new float[] {-4}, a.toFloatArray());
        assertFalse(opt.state(ps.getFirst()).get("momentum_buffer").sharesStorageWith(a.grad()), "the buffer is a copy");
    }

    @Test
    void stepWithClosureReturnsTheLoss() {
        Tensor a = Torch.tensor(new float[] {3}).requiresGrad_();
        Adam opt = new Adam(Parameter.listOf(a), 0.1);
        Tensor loss;
        try (var ignored = Torch.noGrad()) {
            // the closure still records: step turns gradients on for it
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = a.square().sum();
                l.backward();
                return l;
            });
        }
        assertEquals(9, loss.item(), 1e-6);
        assertEquals(2.9f, a.toFloatArray()[0], 1e-6f);
    }

    @Test
    void updatesLeaveParametersAsLeavesOutsideTheGraph() {
        Linear l = new Linear(3, 2);
        Parameter w = l.weight();
        Tensor before = w.tensor();
        Optimizer opt = new RMSprop(l.parameters(), RMSprop.options().momentum(0.5).centered(true));
        l.forward(Torch.ones(4, 3)).sum().backward();
        opt.step();
        assertSame(before, w.tensor(), "updated in place");
        assertTrue(w.tensor().isLeaf() && w.requiresGrad());
        assertNull(w.tensor().gradFn());
        assertEquals(List.of("square_avg", "grad_avg", "momentum_buffer"), List.copyOf(opt.state(w).buffers().keySet()));
        assertTrue(opt.toString().startsWith("RMSprop (\nParameter Group 0\n    lr: 0.01"), opt.toString());
    }
}
