package io.flambeau.backend.cuda.ffm;

import io.flambeau.Cuda;
import io.flambeau.CudaGraph;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CUDA graphs through the FFM binding and the loopback driver (built against cuda.h): the graph
 * calls cross the real C ABI, the loopback records the captured launches (their parameters copied
 * as the driver copies them) and cuBLAS GEMMs, and a replay runs them on the simulator's
 * interpreter. A captured training step (Linear, Adam with its fused update) replays like eager steps.
 */
class LoopbackGraphTest {
    private static LoopbackDevice device;

    @BeforeAll
    static void install() {
        device = LoopbackDevice.open(FfmCudaApiFactory::openNew);
    }

    @AfterAll
    static void remove() {
        LoopbackDevice.close(device);
    }

    private record Run(Linear model, Adam opt, Tensor x, Tensor y) {
        static Run make() {
            Device gpu = Device.cuda(0);
            Torch.manualSeed(5);
            Linear model = new Linear(4, 3);
            model.to(gpu);
            Tensor x = Torch.tensor(new float[] {1, -2, 3, 0.5f, -1, 2, 0, 1}, DType.FLOAT32, Device.CPU).reshape(2, 4).to(gpu);
            Tensor y = Torch.tensor(new float[] {1, 0, -1, 0.5f, 2, 0}, DType.FLOAT32, Device.CPU).reshape(2, 3).to(gpu);
            return new Run(model, new Adam(model.parameters(), 0.05), x, y);
        }

        Tensor step() {
            opt.zeroGrad();
            Tensor loss = model.forward(x).sub(y).square().mean();
            loss.backward();
            opt.step();
            return loss;
        }

        float[] weights() {
            List<Parameter> ps = model.parameters();
            float[] w = ps.get(0).tensor().toFloatArray(), b = ps.get(1).tensor().toFloatArray();
            float[] all = java.util.Arrays.copyOf(w, w.length + b.length);
            System.arraycopy(b, 0, all, w.length, b.length);
            return all;
        }
    }

    @Test
    void aCapturedTrainingStepReplaysLikeEagerSteps() {
        Run eager = Run.make(), graph = Run.make();
        double[] want = new double[5], got = new double[5];
        for (int i = 0; i < 5; i++) want[i] = eager.step().item();
        got[0] = graph.step().item();
        long launchesBefore = Loopback.live("graph launches");
        Tensor[] loss = new Tensor[1];
        try (CudaGraph g = Cuda.capture(Device.cuda(0), () -> loss[0] = graph.step())) {
            for (int i = 1; i < 5; i++) {
                g.replay();
                got[i] = loss[0].item();
            }
        }
        assertEquals(4, Loopback.live("graph launches") - launchesBefore);
        assertArrayEquals(want, got, "losses: replayed vs eager");
        assertArrayEquals(eager.weights(), graph.weights(), "parameters: replayed vs eager");
        assertEquals(0, Loopback.live("graphs"), "graph and executable graph destroyed");
    }

    @Test
    void theDriverRefusesASynchronisationDuringACaptureAndEndsTheCaptureAnyway() {
        long stream = Cuda.stream(Device.cuda(0));
        device.api().streamBeginCapture(stream, 2);
        CudaException sync = assertThrows(CudaException.class, () -> device.api().streamSynchronize(stream));
        assertEquals(CudaStatus.STREAM_CAPTURE_UNSUPPORTED, sync.code());
        CudaException end = assertThrows(CudaException.class, () -> device.api().streamEndCapture(stream));
        assertEquals(CudaStatus.STREAM_CAPTURE_INVALIDATED, end.code());
        device.api().streamSynchronize(stream); // the capture is over: the stream works
        assertEquals(0, Loopback.live("graphs"));
    }
}
