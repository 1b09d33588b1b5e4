package io.flambeau.backend.cuda;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adagrad;
import io.flambeau.optim.Adam;
import io.flambeau.optim.AdamW;
import io.flambeau.optim.Optimizer;
import io.flambeau.optim.RMSprop;
import io.flambeau.optim.SGD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small training run end to end on the simulated GPU (nn, autograd on device, cross-entropy,
 * every optimizer, each step in a Scope) must follow the very same trajectory as on the CPU:
 * same seed, same initial weights, same losses and parameters to float32 accuracy.
 */
class SimCudaTrainingTest {
    private static final Device GPU = Device.cuda(0);

    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    private record Run(double[] losses, float[] params) {}

    private static Run train(Device device, Function<List<Parameter>, Optimizer> optimizer) {
        Torch.manualSeed(5);
        Sequential model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
        model.to(device);
        Tensor x = Torch.randn(32, 4).to(device);
        Tensor y = Torch.randint(0, 3, 32).to(device);
        Optimizer opt = optimizer.apply(model.parameters());
        double[] losses = new double[15];
        for (int step = 0; step < losses.length; step++) {
            try (Scope s = Scope.open()) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(model.forward(x), y);
                loss.backward();
                opt.step();
                losses[step] = loss.item();
            }
        }
        List<Parameter> ps = model.parameters();
        int n = 0;
        for (Parameter p : ps) n += (int) p.tensor().numel();
        float[] all = new float[n];
        int at = 0;
        for (Parameter p : ps) {
            float[] v = p.tensor().toFloatArray();
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        return new Run(losses, all);
    }

    @Test
    void everyOptimizerTrainsTheSameOnTheGpuAsOnTheCpu() {
        List<Function<List<Parameter>, Optimizer>> optimizers = List.of(
                ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).nesterov(true)),
                ps -> new Adagrad(ps, Adagrad.options().lr(0.1)),
                ps -> new RMSprop(ps, RMSprop.options().lr(0.01).centered(true)),
                ps -> new Adam(ps, Adam.options().lr(0.01)),
                ps -> new AdamW(ps, AdamW.options().lr(0.01).weightDecay(0.1)));
        for (Function<List<Parameter>, Optimizer> make : optimizers) {
            Run cpu = train(Device.CPU, make), gpu = train(GPU, make);
            String name = make.apply(List.of(Parameter.listOf(Torch.zeros(1)).get(0))).name();
            for (int i = 0; i < cpu.losses.length; i++) {
                assertEquals(cpu.losses[i], gpu.losses[i], 1e-5 * Math.max(1, Math.abs(cpu.losses[i])), name + " loss at step " + i);
            }
            assertTrue(gpu.losses[gpu.losses.length - 1] < gpu.losses[0], name + " trained on the GPU");
            for (int i = 0; i < cpu.params.length; i++) {
                assertEquals(cpu.params[i], gpu.params[i], 1e-4 * Math.max(1, Math.abs(cpu.params[i])), name + " parameter " + i);
            }
        }
    }
}
