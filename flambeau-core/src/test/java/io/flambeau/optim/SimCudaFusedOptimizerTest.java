package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CallTally;
import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused multi-tensor updates on the simulated GPU against the per-tensor updates on the CPU:
 * the same parameters and gradients give bit-identical parameters and state after every step, for
 * every optimizer and option that changes the arithmetic; and the counts that make them fused: one
 * launch per group of up to 32 parameters, no upload after the first step, no synchronisation, and
 * no launch at all for {@code zeroGrad()}.
 */
class SimCudaFusedOptimizerTest {
    private static final Device GPU = Device.cuda(0);
    private static CallTally counting;

    @BeforeAll
    static void countingDevice() {
        counting = CallTally.create();
        counting.installAsCuda0();
    }

    @AfterAll
    static void sharedDevice() { CallTally.restoreSharedDevice(); }

    private record Case(String name, Function<List<Parameter>, Optimizer> make) {}

    private static List<Case> cases() {
        return List.of(
                new Case("SGD", ps -> new SGD(ps, 0.1)),
                new Case("SGD momentum dampening wd", ps -> new SGD(ps, Map.of("lr", 0.05, "momentum", 0.9, "dampening", 0.2, "weight_decay", 0.01))),
                new Case("SGD nesterov maximize", ps -> new SGD(ps, Map.of("lr", 0.05, "momentum", 0.8, "nesterov", true, "maximize", true))),
                new Case("Adagrad", ps -> new Adagrad(ps, Map.of("lr", 0.1, "lr_decay", 0.01, "weight_decay", 0.02, "initial_accumulator_value", 0.1))),
                new Case("RMSprop", ps -> new RMSprop(ps, 0.01)),
                new Case("RMSprop centered momentum wd", ps -> new RMSprop(ps, Map.of("lr", 0.01, "centered", true, "momentum", 0.9, "weight_decay", 0.1))),
                new Case("Adam", ps -> new Adam(ps, 0.01)),
                new Case("Adam amsgrad wd maximize", ps -> new Adam(ps, Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.1, "maximize", true))),
                new Case("AdamW", ps -> new AdamW(ps, Map.of("lr", 0.01, "betas", new double[] {0.8, 0.99}))),
                new Case("AdamW amsgrad", ps -> new AdamW(ps, Map.of("lr", 0.02, "amsgrad", true, "weight_decay", 0.05))));
    }

    private static final long[][] SHAPES = {{5, 3}, {3}, {7}, {1}};

    private static List<Parameter> params(DType t, Device d, long seed, long[][] shapes) {
        Random r = new Random(seed);
        List<Parameter> ps = new ArrayList<>();
        for (long[] shape : shapes) {
            long n = 1;
            for (long s : shape) n *= s;
            double[] v = new double[(int) n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            ps.add(new Parameter(Torch.tensor(v, DType.FLOAT64, Device.CPU).to(t).reshape(shape).to(d)));
        }
        return ps;
    }

    /** Gives every parameter the same pseudo-random gradient on both devices. */
    private static void grads(List<Parameter> ps, Random r) {
        for (Parameter p : ps) {
            double[] g = new double[(int) p.tensor().numel()];
            for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
            p.tensor().setGrad(Torch.tensor(g, DType.FLOAT64, Device.CPU).to(p.tensor().dtype())
                    .reshape(p.tensor().shape().toArray()).to(p.device()));
        }
    }

    @TestFactory
    Stream<DynamicTest> fusedUpdatesEqualThePerTensorUpdatesBitForBit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.name + " " + t, () -> compare(c, t, SHAPES)));
            }
        }
        // more parameters than one launch takes (32): two launches, same values
        long[][] many = new long[35][];
        for (int i = 0; i < many.length; i++) many[i] = new long[] {1 + i % 4};
        tests.add(DynamicTest.dynamicTest("Adam, 35 parameters", () -> compare(cases().get(6), DType.FLOAT32, many)));
        return tests.stream();
    }

    private static void compare(Case c, DType t, long[][] shapes) {
        List<Parameter> cpu = params(t, Device.CPU, 7, shapes), gpu = params(t, GPU, 7, shapes);
        Optimizer oc = c.make.apply(cpu), og = c.make.apply(gpu);
        Random rc = new Random(11), rg = new Random(11);
        for (int step = 1; step <= 4; step++) {
            grads(cpu, rc);
            grads(gpu, rg);
            long mt = launches("mt_");
            oc.step();
            og.step();
            assertEquals((shapes.length + 31) / 32, launches("mt_") - mt, "fused launches in step " + step);
            for (int i = 0; i < cpu.size(); i++) {
                String where = c.name + " " + t + ", parameter " + i + " after step " + step;
                assertArrayEquals(cpu.get(i).tensor().toDoubleArray(), gpu.get(i).tensor().toDoubleArray(), where);
                ParamState sc = oc.state(cpu.get(i)), sg = og.state(gpu.get(i));
                assertEquals(sc.buffers().keySet(), sg.buffers().keySet(), where + ": state keys");
                assertEquals(sc.step(), sg.step());
                for (String k : sc.buffers().keySet()) {
                    assertArrayEquals(sc.get(k).toDoubleArray(), sg.get(k).toDoubleArray(), where + ": " + k);
                    assertEquals(GPU, sg.get(k).device());
                }
            }
        }
    }

    private static long launches(String prefix) {
        return counting.simulator().launchCountsByKernel().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void aStepIsOneLaunchAndUploadsNothingOnceTheTableIsOnTheDevice() {
        List<Parameter> ps = params(DType.FLOAT32, GPU, 3, SHAPES);
        Adam opt = new Adam(ps, 0.01);
        Random r = new Random(5);
        grads(ps, r);
        opt.step(); // first step: state created (fills) and the parameter table uploaded
        grads(ps, r);
        Map<String, Long> before = counting.snapshot();
        opt.step();
        Map<String, Long> step = counting.since(before);
        assertEquals(Map.of("launchKernel", 1L), step, "one Adam step of " + ps.size() + " parameters: " + step);
        before = counting.snapshot();
        opt.zeroGrad();
        assertEquals(Map.of(), counting.since(before), "zeroGrad() sets gradients to none: no device call");
        for (Parameter p : ps) assertNull(p.grad());
    }

    @Test
    void zeroGradFalseFillsTheGradientsInPlace() {
        List<Parameter> ps = params(DType.FLOAT32, GPU, 4, SHAPES);
        grads(ps, new Random(1));
        Tensor g = ps.get(0).grad();
        new SGD(ps, 0.1).zeroGrad(false);
        assertTrue(ps.get(0).grad().sharesStorageWith(g));
        assertEquals(0.0, ps.get(0).grad().abs().sum().item(), 0);
    }
}
