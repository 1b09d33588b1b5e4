package io.flambeau.optim;

import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.Parameter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU's fused Adam/AdamW update (what {@code Optimizer.step()} runs on the CPU) against the
 * per-tensor update of the same optimizer ({@link Optimizer#update}, the ordinary ops), called
 * here directly: bit-identical parameters and state after every step, for every option that
 * changes the arithmetic.
 */
class CpuFusedAdamTest {
    private record Case(String name, Function<List<Parameter>, Optimizer> make) {}

    private static List<Case> cases() {
        return List.of(
                new Case("Adam", ps -> new Adam(ps, 0.01)),
                new Case("Adam amsgrad wd maximize", ps -> new Adam(ps, Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.1, "maximize", true))),
                new Case("Adam betas eps", ps -> new Adam(ps, Map.of("lr", 0.003, "betas", new double[] {0.7, 0.95}, "eps", 1e-3))),
                new Case("AdamW", ps -> new AdamW(ps, Map.of("lr", 0.01, "betas", new double[] {0.8, 0.99}))),
                new Case("AdamW amsgrad maximize", ps -> new AdamW(ps, Map.of("lr", 0.02, "amsgrad", true, "weight_decay", 0.05, "maximize", true))));
    }

    private static final long[][] SHAPES = {{5, 3}, {3}, {7}, {1}, {40, 9}};

    private static List<Parameter> params(DType t, long[][] shapes) {
        Random r = new Random(7);
        List<Parameter> ps = new ArrayList<>();
        for (long[] shape : shapes) {
            long n = 1;
            for (long s : shape) n *= s;
            double[] v = new double[(int) n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            ps.add(new Parameter(Torch.tensor(v, DType.FLOAT64, Device.CPU).to(t).reshape(shape)));
        }
        return ps;
    }

    private static void grads(List<Parameter> ps, Random r) {
        for (Parameter p : ps) {
            double[] g = new double[(int) p.tensor().numel()];
            for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian() * (i % 5 == 0 ? 1e-3 : 1);
            p.tensor().setGrad(Torch.tensor(g, DType.FLOAT64, Device.CPU).to(p.tensor().dtype())
                    .reshape(p.tensor().shape().toArray()));
        }
    }

    @TestFactory
    Stream<DynamicTest> fusedStepsEqualThePerTensorUpdatesBitForBit() {
        assertTrue(io.flambeau.FusedOptimizerStep.available(Device.CPU), "the CPU fuses optimizer steps");
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.name + " " + t, () -> compare(c, t)));
            }
        }
        return tests.stream();
    }

    private static void compare(Case c, DType t) {
        List<Parameter> fused = params(t, SHAPES), plain = params(t, SHAPES);
        Optimizer of = c.make.apply(fused), op = c.make.apply(plain);
        ParamGroup group = op.paramGroups().get(0);
        List<ParamState> states = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) states.add(new ParamState());
        Random rf = new Random(11), rp = new Random(11);
        for (int step = 1; step <= 5; step++) {
            grads(fused, rf);
            grads(plain, rp);
            of.step();
            try (var ignored = Torch.noGrad()) {
                for (int i = 0; i < plain.size(); i++) {
                    states.get(i).incrementStep();
                    op.update(plain.get(i), plain.get(i).grad(), group, states.get(i));
                }
            }
            for (int i = 0; i < plain.size(); i++) {
                String where = c.name + " " + t + ", parameter " + i + " after step " + step;
                assertArrayEquals(plain.get(i).tensor().toDoubleArray(), fused.get(i).tensor().toDoubleArray(), where);
                ParamState sf = of.state(fused.get(i)), sp = states.get(i);
                assertEquals(sp.buffers().keySet(), sf.buffers().keySet(), where + ": state keys");
                assertEquals(sp.step(), sf.step());
                for (String k : sp.buffers().keySet()) {
                    assertArrayEquals(sp.get(k).toDoubleArray(), sf.get(k).toDoubleArray(), where + ": " + k);
                }
            }
        }
    }
}
