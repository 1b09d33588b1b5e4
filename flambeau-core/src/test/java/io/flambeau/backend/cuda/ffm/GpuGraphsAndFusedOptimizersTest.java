package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.Cuda;
import io.flambeau.CudaGraph;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.graphs.SpiralStep;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adam;
import io.flambeau.optim.Optimizer;
import io.flambeau.optim.RMSprop;
import io.flambeau.optim.SGD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a real GPU (surefire execution gpu-tests, FFM and the system's libcuda): the fused optimizer
 * updates equal the CPU's per-tensor updates bit for bit (every operation is IEEE round-to-nearest
 * on both), and a captured spiral Adam step replays like eager steps. Skipped, with the reason,
 * where no driver or GPU is found.
 */
@Tag("gpu")
@ExtendWith(GoldenPrerequisites.Gpu.class)
class GpuGraphsAndFusedOptimizersTest {
    private static CheckedCudaApi api;
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        try {
            api = FfmCudaApiFactory.openNew();
        } catch (CudaUnavailableException e) {
            Assumptions.abort("no usable GPU: " + e.getMessage());
        }
        backend = CudaBackendUnderTest.install(api);
    }

    @AfterAll
    static void remove() {
        if (backend != null) CudaBackendUnderTest.remove(backend);
        if (api != null) api.close();
    }

    private static List<Parameter> params(Device d) {
        Random r = new Random(7);
        List<Parameter> ps = new ArrayList<>();
        for (int n : new int[] {300, 3, 1000}) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            ps.add(new Parameter(Torch.tensor(v, DType.FLOAT64, Device.CPU).to(DType.FLOAT32).to(d)));
        }
        return ps;
    }

    @Test
    void fusedUpdatesEqualTheCpuUpdatesBitForBit() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new SGD(ps, Map.of("lr", 0.05, "momentum", 0.9, "nesterov", true, "weight_decay", 0.01)),
                ps -> new RMSprop(ps, Map.of("lr", 0.01, "centered", true, "momentum", 0.5)),
                ps -> new Adam(ps, Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.1)));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            List<Parameter> cpu = params(Device.CPU), gpu = params(Device.cuda(0));
            Optimizer oc = make.apply(cpu), og = make.apply(gpu);
            Random rc = new Random(3), rg = new Random(3);
            for (int step = 0; step < 5; step++) {
                grads(cpu, rc);
                grads(gpu, rg);
                oc.step();
                og.step();
            }
            for (int i = 0; i < cpu.size(); i++) {
                assertArrayEquals(cpu.get(i).tensor().toFloatArray(), gpu.get(i).tensor().toFloatArray(), oc.name() + " parameter " + i);
            }
        }
    }

    private static void grads(List<Parameter> ps, Random r) {
        for (Parameter p : ps) {
            double[] g = new double[(int) p.tensor().numel()];
            for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
            p.tensor().setGrad(Torch.tensor(g, DType.FLOAT64, Device.CPU).to(DType.FLOAT32).to(p.device()));
        }
    }

    @Test
    void aCapturedSpiralStepReplaysLikeEagerSteps() {
        Device gpu = Device.cuda(0);
        SpiralStep eager = new SpiralStep(gpu, 100, 3), replayed = new SpiralStep(gpu, 100, 3);
        double[] want = new double[20], got = new double[20];
        for (int i = 0; i < want.length; i++) want[i] = eager.step().item();
        got[0] = replayed.step().item();
        Tensor[] loss = new Tensor[1];
        try (CudaGraph g = Cuda.capture(gpu, () -> loss[0] = replayed.step())) {
            for (int i = 1; i < got.length; i++) {
                g.replay();
                got[i] = loss[0].item();
            }
        }
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * Math.abs(want[i]), "loss of step " + (i + 1));
        double[] pe = eager.parameters(), pr = replayed.parameters();
        for (int i = 0; i < pe.length; i++) assertEquals(pe[i], pr[i], 1e-5, "parameter " + i);
    }
}
