package io.flambeau.graphs;

import io.flambeau.Cuda;
import io.flambeau.CudaGraph;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CallTally;
import io.flambeau.core.CudaGraphException;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CUDA graphs on the simulated device, counted call by call: a captured spiral Adam step replays
 * to the same losses and parameters as eager steps (bit for bit) and as the CPU (to rounding), one
 * replay is exactly one graph launch; bad use is a typed error naming the op and leaves the device
 * as it was; the graph's memory stays its own until it is closed.
 */
class SimCudaGraphTest {
    private static final Device GPU = Device.cuda(0);
    private static final int STEPS = 6;
    private static CallTally counting;

    @BeforeAll
    static void countingDevice() {
        counting = CallTally.create();
        counting.installAsCuda0();
    }

    @AfterAll
    static void sharedDevice() { CallTally.restoreSharedDevice(); }

    @Test
    void aCapturedSpiralStepReplaysLikeEagerStepsAndLikeTheCpu() {
        double[] cpuLosses = new double[STEPS], eagerLosses = new double[STEPS], graphLosses = new double[STEPS];
        SpiralStep cpu = new SpiralStep(Device.CPU, 100, 3), eager = new SpiralStep(GPU, 100, 3);
        for (int i = 0; i < STEPS; i++) {
            cpuLosses[i] = cpu.step().item();
            eagerLosses[i] = eager.step().item();
        }
        SpiralStep replayed = new SpiralStep(GPU, 100, 3);
        graphLosses[0] = replayed.step().item(); // warm-up: Adam's state and parameter table
        Tensor[] loss = new Tensor[1];
        Map<String, Long> before = counting.snapshot();
        try (CudaGraph g = Cuda.capture(GPU, () -> loss[0] = replayed.step())) {
            Map<String, Long> capture = counting.since(before);
            assertEquals(0L, capture.getOrDefault("streamSynchronize", 0L) + capture.getOrDefault("memcpyDtoH", 0L),
                    "the capture itself waits for nothing: " + capture);
            for (int i = 1; i < STEPS; i++) {
                Map<String, Long> start = counting.snapshot();
                g.replay();
                assertEquals(Map.of("graphLaunch", 1L), counting.since(start), "one replay is one graph launch, nothing else");
                graphLosses[i] = loss[0].item();
            }
        }
        assertArrayEquals(eagerLosses, graphLosses, "losses: replayed vs eager");
        assertArrayEquals(eager.parameters(), replayed.parameters(), "parameters: replayed vs eager");
        // vs the CPU: its GEMMs sum in another order, so values agree to rounding, except that Adam's
        // normalised update (about lr · sign(g) for small g) turns a rounding-sized difference in a
        // near-zero gradient element into a difference of up to 2·lr per step in that one element
        double[] pc = cpu.parameters(), pg = replayed.parameters();
        for (int i = 0; i < STEPS; i++) {
            assertEquals(cpuLosses[i], graphLosses[i], 1e-3 * Math.abs(cpuLosses[i]), "loss of step " + (i + 1) + " vs CPU");
        }
        int close = 0;
        for (int i = 0; i < pc.length; i++) {
            assertEquals(pc[i], pg[i], 2 * 0.01 * STEPS, "parameter " + i + " vs CPU");
            if (Math.abs(pc[i] - pg[i]) <= 1e-3) close++;
        }
        assertTrue(close >= 0.95 * pc.length, close + " of " + pc.length + " parameters within 1e-3 of the CPU's");
        assertTrue(eagerLosses[STEPS - 1] < eagerLosses[0], "the step trains: " + java.util.Arrays.toString(eagerLosses));
    }

    @Test
    void capturingOnTheCpuIsRefused() {
        CudaGraphException e = assertThrows(CudaGraphException.class, () -> Cuda.capture(Device.CPU, () -> { }));
        assertTrue(e.getMessage().contains("Cuda.capture") && e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void hostReadsSynchronisationsAndUploadsDuringACaptureAreTypedErrorsThatLeaveNothingBehind() {
        Tensor x = Torch.full(new long[] {4}, 1.0, DType.FLOAT32, GPU);
        assertCaptureFails("Tensor.item", () -> x.add(1.0).sum().item());
        assertCaptureFails("Cuda.synchronize", () -> Cuda.synchronize(GPU));
        assertCaptureFails("Torch.tensor", () -> Torch.tensor(new float[] {1, 2}, DType.FLOAT32, GPU));
        assertCaptureFails("Cuda.emptyCache", () -> Cuda.emptyCache(GPU));
        // the device works as before, and captures again
        assertEquals(8.0, x.add(1.0).sum().item(), 0);
        Tensor[] y = new Tensor[1];
        try (CudaGraph g = Cuda.capture(GPU, () -> y[0] = x.mul(3.0))) {
            g.replay();
            assertArrayEquals(new float[] {3, 3, 3, 3}, y[0].toFloatArray());
        }
        assertEquals(0, counting.simulator().liveGraphs(), "no graph left behind");
    }

    private static void assertCaptureFails(String op, Runnable body) {
        long graphs = counting.simulator().liveGraphs();
        CudaGraphException e = assertThrows(CudaGraphException.class, () -> Cuda.capture(GPU, body));
        assertTrue(e.getMessage().contains(op) && e.getMessage().contains("captured"), e.getMessage());
        assertEquals(graphs, counting.simulator().liveGraphs(), op + ": the failed capture left a graph");
    }

    @Test
    void anAllocationFromAnotherThreadDuringACaptureIsRefused() throws InterruptedException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (CudaGraph g = Cuda.capture(GPU, () -> {
            Thread t = new Thread(() -> {
                try {
                    Torch.full(new long[] {8}, 0.0, DType.FLOAT32, GPU);
                } catch (Throwable e) {
                    seen.set(e);
                }
            }, "intruder");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })) {
            g.replay();
        }
        assertTrue(seen.get() instanceof CudaGraphException && seen.get().getMessage().contains("outside the graph's pool"),
                String.valueOf(seen.get()));
    }

    @Test
    void replayingAClosedGraphIsRefused() {
        Tensor x = Torch.full(new long[] {2}, 1.0, DType.FLOAT32, GPU);
        CudaGraph g = Cuda.capture(GPU, () -> x.mul_(2.0));
        g.replay();
        g.close();
        g.close(); // idempotent
        CudaGraphException e = assertThrows(CudaGraphException.class, g::replay);
        assertTrue(e.getMessage().contains("replay") && e.getMessage().contains("closed"), e.getMessage());
        assertArrayEquals(new float[] {2, 2}, x.toFloatArray(), "the capture ran nothing, the one replay doubled x");
    }

    @Test
    void theGraphKeepsItsMemoryUntilItIsClosed() {
        Tensor x = Torch.full(new long[] {1000}, 1.0, DType.FLOAT32, GPU);
        Tensor[] y = new Tensor[1];
        CudaGraph g = Cuda.capture(GPU, () -> y[0] = x.mul(2.0));
        long graphBlock = y[0].dataPtr();
        y[0].close(); // back to the graph's pool, not to the shared cache
        Tensor z = x.mul(3.0);
        assertNotEquals(graphBlock, z.dataPtr(), "an eager tensor never gets a block the graph writes");
        g.replay();
        assertArrayEquals(new float[] {3, 3}, java.util.Arrays.copyOf(z.toFloatArray(), 2), "the replay wrote its own block");
        g.close();
        Tensor w = x.mul(4.0);
        assertEquals(graphBlock, w.dataPtr(), "once the graph is closed, its pool joins the shared cache");
    }

    @Test
    void inputsUpdatedInPlaceAreSeenByTheNextReplay() {
        Tensor x = Torch.full(new long[] {3}, 0.0, DType.FLOAT32, GPU);
        Tensor[] y = new Tensor[1];
        try (CudaGraph g = Cuda.capture(GPU, () -> y[0] = x.add(1.0).mul(x))) {
            for (float v : new float[] {1, 2, 5}) {
                x.copy_(Torch.full(new long[] {3}, v, DType.FLOAT32, GPU));
                g.replay();
                assertArrayEquals(new float[] {(v + 1) * v, (v + 1) * v, (v + 1) * v}, y[0].toFloatArray());
            }
        }
    }
}
