package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter discovery, naming, gradients, modes and printing of {@link Module}. */
class ModuleTest {

    /** The course's standard form (§5.4). */
    static final class Net extends Module {
        final Linear fc1 = new Linear(2, 3);
        final ReLU act = new ReLU();
        final Linear fc2 = new Linear(3, 1);

        @Override
        public Tensor forward(Tensor x) { return fc2.forward(act.forward(fc1.forward(x))); }
    }

    /** Own parameter declared after a child: PyTorch lists a module's own parameters first. */
    static final class Scaled extends Module {
        final Linear inner = new Linear(2, 2);
        final Parameter scale = new Parameter(Torch.ones(1));
        final List<Module> blocks = List.of(new Linear(2, 2), new Tanh());
        transient Linear notAMember = new Linear(5, 5);
        Parameter absent = null;

        Scaled() {
            registerParameter("offset", new Parameter(Torch.zeros(2)));
            registerModule("head", new Linear(2, 1, false));
        }

        @Override
        public Tensor forward(Tensor x) { return x; }
    }

    @Test
    void fieldsAreFoundInDeclarationOrderWithPyTorchNames() {
        Net net = new Net();
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(net.namedParameters().keySet()));
        List<Parameter> params = net.parameters();
        assertEquals(4, params.size());
        assertSame(net.fc1.weight(), params.get(0));
        assertSame(net.fc2.bias(), params.get(3));
        assertEquals(List.of("fc1", "act", "fc2"), List.copyOf(net.namedChildren().keySet()));
        assertEquals(List.of("", "fc1", "act", "fc2"), List.copyOf(net.namedModules().keySet()));
        for (Parameter p : params) assertTrue(p.requiresGrad());
    }

    @Test
    void ownParametersComeFirstThenChildrenListsAndRegisteredMembers() {
        Scaled m = new Scaled();
        assertEquals(List.of("scale", "offset", "inner.weight", "inner.bias", "blocks.0.weight", "blocks.0.bias", "head.weight"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("inner", "blocks", "head"), List.copyOf(m.namedChildren().keySet()));
    }

    @Test
    void sharedParametersAreListedOnceButStateDictNamesEveryPath() {
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.stateDict().keySet()));
    }

    @Test
    void badRegistrationsAreRefused() {
        Net net = new Net();
        assertThrows(ModuleException.class, () -> net.registerParameter("a.b", new Parameter(Torch.zeros(1))));
        assertThrows(ModuleException.class, () -> net.registerParameter("", new Parameter(Torch.zeros(1))));
        net.registerParameter("extra", new Parameter(Torch.zeros(1)));
        assertThrows(ModuleException.class, () -> net.registerModule("extra", new ReLU()));
        assertThrows(ModuleException.class, () -> net.registerModule("self", net));
        // a registered name that collides with a different field member
        net.registerModule("fc1", new Linear(1, 1));
        ModuleException e = assertThrows(ModuleException.class, net::parameters);
        assertTrue(e.getMessage().contains("fc1"), e.getMessage());
    }

    @Test
    void cyclesAreReported() {
        Sequential a = new Sequential(new ReLU());
        Sequential b = new Sequential(a);
        a.add(b);
        assertThrows(ModuleException.class, a::stateDict);
    }

    @Test
    void zeroGradClearsOrZeroesInPlace() {
        Net net = new Net();
        net.forward(Torch.ones(4, 2)).sum().backward();
        Tensor g = net.fc1.weight().grad();
        assertTrue(g.abs().sum().item() > 0);
        net.zeroGrad(false);
        Tensor after = net.fc1.weight().grad();
        assertTrue(after != null && after.abs().sum().item() == 0, "zeroed, not cleared");
        assertTrue(after.sharesStorageWith(g), "zeroed in place");
        net.zeroGrad(); // PyTorch 2's default: set to none
        assertNull(net.fc1.weight().grad());
        for (Parameter p : net.parameters()) assertNull(p.grad());
    }

    @Test
    void gradientsAccumulateIntoZeroedBuffers() {
        Linear l = new Linear(1, 1);
        l.forward(Torch.ones(1, 1)).sum().backward();
        l.zeroGrad();
        l.forward(Torch.ones(1, 1)).sum().backward();
        assertEquals(1.0, l.bias().grad().item(), 0);
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Scaled m = new Scaled();
        assertTrue(m.isTraining());
        m.eval();
        for (Module sub : m.modules()) assertFalse(sub.isTraining(), sub.toString());
        assertFalse(m.inner.isTraining());
        m.train();
        for (Module sub : m.modules()) assertTrue(sub.isTraining());
        assertSame(m, m.train(false));
        assertFalse(m.namedChildren().get("head").isTraining());
    }

    @Test
    void toKeepsParameterIdentity() {
        Net net = new Net();
        List<Parameter> before = net.parameters();
        Tensor weight = net.fc1.weight().tensor();
        assertSame(net, net.to(Device.CPU));
        assertEquals(before, net.parameters());
        assertSame(weight, net.fc1.weight().tensor(), "already there: nothing moves");
        assertEquals(Torch.defaultDevice(), net.fc1.weight().device());
    }

    @Test
    void parameterWrapsLeavesAndDetachesResults() {
        Tensor a = Torch.tensor(new float[] {1, 2});
        Parameter p = new Parameter(a);
        assertSame(a, p.tensor());
        assertTrue(a.requiresGrad());
        Tensor b = a.mul(2.0);
        Parameter q = new Parameter(b);
        assertTrue(q.tensor().isLeaf());
        assertTrue(q.tensor().sharesStorageWith(b));
        assertTrue(p.toString().startsWith("Parameter containing:\ntensor([1., 2.]"), p.toString());
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("Net(\n"
                + "  (fc1): Linear(in_features=2, out_features=3, bias=True)\n"
                + "  (act): ReLU()\n"
                + "  (fc2): Linear(in_features=3, out_features=1, bias=True)\n"
                + ")", new Net().toString());
        Module nested = new Sequential(new Sequential(new Linear(1, 2, false), new LeakyReLU(0.2)), new Sigmoid());
        assertEquals("Sequential(\n"
                + "  (0): Sequential(\n"
                + "    (0): Linear(in_features=1, out_features=2, bias=False)\n"
                + "    (1): LeakyReLU(negative_slope=0.2)\n"
                + "  )\n"
                + "  (1): Sigmoid()\n"
                + ")", nested.toString());
        assertEquals("Scaled(\n"
                + "  (inner): Linear(in_features=2, out_features=2, bias=True)\n"
                + "  (blocks): ModuleList(\n"
                + "    (0): Linear(in_features=2, out_features=2, bias=True)\n"
                + "    (1): Tanh()\n"
                + "  )\n"
                + "  (head): Linear(in_features=2, out_features=1, bias=False)\n"
                + ")", new Scaled().toString());
        Module anonymous = new Module() {
            @Override
            public Tensor forward(Tensor x) { return x; }
        };
        assertEquals("Module()", anonymous.toString());
    }

    @Test
    void listsOfParametersOrMixedListsAreRefused() {
        Module m = new Module() {
            final List<Object> items = List.of(new Parameter(Torch.zeros(1)));

            @Override
            public Tensor forward(Tensor x) { return x; }
        };
        assertThrows(ModuleException.class, m::parameters);
        Module mixed = new Module() {
            final List<Object> items = List.of(new ReLU(), "text");

            @Override
            public Tensor forward(Tensor x) { return x; }
        };
        assertThrows(ModuleException.class, mixed::parameters);
    }
}
