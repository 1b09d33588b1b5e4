package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.FusedLosses;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.IndexException;
import io.flambeau.nn.F;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.flambeau.backend.cuda.OnSimulatedCuda.GPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused margin hinge on the GPU has the composed form's values and gradients (as on the CPU). */
class FusedLossTest {
    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    private record Result(double loss, double[] grad) {}

    private static Result hinge(Device d, DType t, double delta, Tensor scores0, long[] cats, double upstream) {
        Tensor s = scores0.to(t).to(d).clone().detach().requiresGrad_();
        Tensor loss = F.marginHinge(s, Torch.tensor(cats).to(d), delta);
        loss.mul(upstream).backward();
        return new Result(loss.item(), s.grad().toDoubleArray());
    }

    @Test
    void valuesAndGradientsMatchTheCpuInBothPrecisions() {
        Torch.manualSeed(3);
        Tensor scores = Torch.randn(7, 4);
        scores.set(new Object[] {2, 1}, 0.25); // ties with the correct score: the argument is exactly -delta + delta
        scores.set(new Object[] {2, 3}, 0.25);
        long[] cats = {0, 3, 1, 2, 3, 1, 0};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double delta : new double[] {0, 1, 0.3}) {
                Result cpu = hinge(Device.CPU, t, delta, scores, cats, 1.5), gpu = hinge(GPU, t, delta, scores, cats, 1.5);
                assertEquals(cpu.loss, gpu.loss, 1e-6 * Math.max(1, Math.abs(cpu.loss)), t + " δ=" + delta);
                assertArrayEquals(cpu.grad, gpu.grad, 1e-6, t + " δ=" + delta + " gradient");
            }
        }
    }

    private static Result crossEntropy(Device d, DType t, Tensor scores0, long[] cats, double upstream) {
        Tensor s = scores0.to(t).to(d).clone().detach().requiresGrad_();
        // the fused form on a GPU (F.crossEntropy composes it there: its ignore index needs the host
        // check); the composed form on the CPU
        Tensor loss = d.isCuda() ? FusedLosses.crossEntropy(s, Torch.tensor(cats).to(d)) : F.crossEntropy(s, Torch.tensor(cats));
        loss.mul(upstream).backward();
        return new Result(loss.item(), s.grad().toDoubleArray());
    }

    @Test
    void crossEntropyMatchesTheCpu() {
        Torch.manualSeed(4);
        Tensor scores = Torch.randn(9, 5).mul(3);
        long[] cats = {0, 4, 1, 2, 4, 3, 0, 2, 2};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Result cpu = crossEntropy(Device.CPU, t, scores, cats, 0.7), gpu = crossEntropy(GPU, t, scores, cats, 0.7);
            double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            assertEquals(cpu.loss, gpu.loss, tol * Math.max(1, Math.abs(cpu.loss)), t.toString());
            assertArrayEquals(cpu.grad, gpu.grad, tol, t + " gradient");
        }
        Tensor big = Torch.randn(3, 2000); // beyond the fused kernels' class count: the composed form
        assertEquals(F.crossEntropy(big, Torch.tensor(new long[] {5, 1999, 0})).item(),
                FusedLosses.crossEntropy(big.to(GPU), Torch.tensor(new long[] {5, 1999, 0}).to(GPU)).item(), 1e-5);
        for (long bad : new long[] {5, -1}) {
            Tensor targets = Torch.tensor(new long[] {0, bad, 1, 2, 0, 3, 0, 2, 2});
            IndexException cpu = assertThrows(IndexException.class, () -> F.crossEntropy(scores, targets));
            IndexException e = assertThrows(IndexException.class,
                    () -> FusedLosses.crossEntropy(scores.to(GPU), targets.to(GPU)).item());
            assertTrue(e.getMessage().contains("cross_entropy: Target " + bad + " is out of bounds (targets[1])"),
                    e.getMessage() + " vs " + cpu.getMessage());
        }
    }

    @Test
    void crossEntropyWithIgnoredTargetsMatchesTheCpuWithoutWaitingForTheHost() {
        Torch.manualSeed(5);
        Tensor scores = Torch.randn(6, 4).mul(2);
        long[] cats = {0, -100, 3, 1, -100, 2};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor sc = scores.to(t).clone().detach().requiresGrad_();
            Tensor sg = scores.to(t).to(GPU).clone().detach().requiresGrad_();
            Tensor cpu = F.crossEntropy(sc, Torch.tensor(cats));
            Tensor targets = Torch.tensor(cats).to(GPU);
            F.crossEntropy(sg, targets).backward(); // warm-up: kernels compiled
            sg.clearGrad();
            Cuda.synchronize(GPU);
            DeviceCounters before = Cuda.counters(GPU);
            Tensor gpu = F.crossEntropy(sg, targets);
            gpu.mul(0.7).backward();
            DeviceCounters step = Cuda.counters(GPU).minus(before);
            assertEquals(0, step.synchronizations() + step.hostToDevice() + step.deviceToHost(), step.toString());
            cpu.mul(0.7).backward();
            double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            assertEquals(cpu.item(), gpu.item(), tol * Math.max(1, Math.abs(cpu.item())), t.toString());
            assertArrayEquals(sc.grad().toDoubleArray(), sg.grad().toDoubleArray(), tol, t + " gradient");
        }
        Tensor allIgnored = Torch.tensor(new long[] {-100, -100}).to(GPU);
        assertTrue(Double.isNaN(F.crossEntropy(Torch.randn(2, 3).to(GPU), allIgnored).item()), "PyTorch: nan");
    }

    @Test
    void crossEntropyIsTwoKernelsForwardAndOneBackward() {
        Tensor s = Torch.randn(64, 10).to(GPU).requiresGrad_();
        Tensor c = Torch.randint(0, 10, 64).to(GPU);
        FusedLosses.crossEntropy(s, c).backward();
        Cuda.synchronize(GPU);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor loss = FusedLosses.crossEntropy(s, c);
        DeviceCounters forward = Cuda.counters(GPU).minus(before);
        assertEquals(2, forward.launches(), forward.toString());
        assertEquals(1, forward.launches("cross_entropy_f32"), forward.toString());
        DeviceCounters mid = Cuda.counters(GPU);
        loss.backward();
        DeviceCounters backward = Cuda.counters(GPU).minus(mid);
        assertEquals(1, backward.launches("cross_entropy_backward_f32"), backward.toString());
        for (DeviceCounters d : new DeviceCounters[] {forward, backward}) {
            assertEquals(0, d.synchronizations() + d.hostToDevice() + d.deviceToHost(), d.toString());
        }
    }

    @Test
    void forwardIsTwoKernelsAndBackwardOneWithoutSynchronising() {
        Tensor s = Torch.randn(300, 3).to(GPU).requiresGrad_();
        Tensor c = Torch.randint(0, 3, 300).to(GPU);
        F.marginHinge(s, c, 1.0).backward(); // warm-up: kernels compiled
        s.grad().zero_();
        Cuda.synchronize(GPU);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor loss = F.marginHinge(s, c, 1.0);
        DeviceCounters forward = Cuda.counters(GPU).minus(before);
        assertEquals(1, forward.launches("margin_hinge_f32"), forward.toString());
        assertEquals(2, forward.launches(), forward.toString());
        DeviceCounters mid = Cuda.counters(GPU);
        loss.backward();
        DeviceCounters backward = Cuda.counters(GPU).minus(mid);
        assertEquals(1, backward.launches("margin_hinge_backward_f32"), backward.toString());
        for (DeviceCounters d : new DeviceCounters[] {forward, backward}) {
            assertEquals(0, d.synchronizations() + d.hostToDevice() + d.deviceToHost(), d.toString());
        }
    }

    @Test
    void aBadCategoryIsTheIndexErrorOfTheComposedForm() {
        Tensor s = Torch.randn(4, 3);
        long[] bad = {0, 3, 1, 2};
        IndexException cpu = assertThrows(IndexException.class, () -> F.marginHinge(s, Torch.tensor(bad), 1.0));
        Tensor loss = F.marginHinge(s.to(GPU), Torch.tensor(bad).to(GPU), 1.0);
        IndexException gpu = assertThrows(IndexException.class, loss::item);
        assertTrue(gpu.getMessage().startsWith(cpu.getMessage()), gpu.getMessage() + " vs " + cpu.getMessage());
        assertEquals(F.marginHinge(s, Torch.tensor(new long[] {0, 2, 1, 2}), 1.0).item(),
                F.marginHinge(s.to(GPU), Torch.tensor(new long[] {0, 2, 1, 2}).to(GPU), 1.0).item(), 1e-6);
    }
}
