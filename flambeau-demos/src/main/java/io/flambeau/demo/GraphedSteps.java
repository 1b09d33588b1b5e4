package io.flambeau.demo;

import io.flambeau.Cuda;
import io.flambeau.CudaGraph;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.CudaGraphException;
import io.flambeau.core.Device;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A demo's training step under {@code --cuda-graph}: the first call runs it eagerly (warm-up: the
 * optimizer's state and parameter table), the second captures it as a CUDA graph and replays it,
 * every later one only replays it. Each call returns the step's loss tensor, computed before the
 * step's update as in the eager loop; the graph's loss tensor holds the last replay's value.
 *
 * <p>On the CPU there is nothing to capture: one line says the option is ignored and the steps run
 * eagerly. When the step cannot be captured (it needs the host: see {@link CudaGraph}), one line
 * gives the reason and the demo goes on eagerly.
 */
final class GraphedSteps implements AutoCloseable {
    private final Supplier<Tensor> step;
    private final Device device;
    private final PrintStream out;
    private boolean eager;
    private int calls;
    private CudaGraph graph;
    private Tensor loss;

    GraphedSteps(Supplier<Tensor> step, PrintStream out) {
        this.step = step;
        this.out = out;
        this.device = Torch.defaultDevice();
        if (!device.isCuda()) {
            out.println("--cuda-graph: ignored on " + device + " (CUDA graphs replay work queued on a CUDA device)");
            eager = true;
        }
    }

    /** Runs (or replays) one step; returns its loss. */
    Tensor next() {
        calls++;
        if (eager || calls == 1) return step.get();
        if (graph == null) {
            Tensor[] captured = new Tensor[1];
            try {
                graph = Cuda.capture(device, () -> captured[0] = step.get());
            } catch (CudaGraphException e) {
                out.println("--cuda-graph: the step cannot be captured, training eagerly: " + e.getMessage());
                eager = true;
                return step.get();
            }
            loss = captured[0];
            out.println("--cuda-graph: step captured; each iteration from here is one graph replay");
        }
        graph.replay();
        return loss;
    }

    /** Whether the steps are replayed from a graph. */
    boolean replaying() { return graph != null; }

    @Override
    public void close() {
        if (graph != null) graph.close();
    }
}
