package io.flambeau;

import io.flambeau.backend.GraphCapture;
import io.flambeau.core.CudaGraphException;

/**
 * A step captured once and replayed many times, as one launch: PyTorch's {@code torch.cuda.CUDAGraph}.
 * <pre>{@code
 * step();                                        // warm-up: kernels loaded, optimizer state made
 * try (CudaGraph g = Cuda.capture(device, () -> step())) {
 *     for (int i = 0; i < iterations; i++) {
 *         x.copy_(nextBatch);                    // inputs are updated in place
 *         g.replay();                            // one cuGraphLaunch, no host synchronisation
 *     }
 *     double last = loss.item();                 // tensors made during the capture hold the last replay's values
 * }
 * }</pre>
 *
 * <p>The graph is made by stream capture: the device's stream records what the step's ops queue,
 * exactly as they would run eagerly (cuBLAS GEMMs included, whose kernels cuBLAS picks internally and
 * which could not be added node by node), so a replay cannot diverge from an eager step.
 *
 * <p>Semantics, which follow from replaying recorded device work:
 * <ul>
 *   <li>The capture runs the step's Java code once, but none of its device work: the work runs at
 *       each {@link #replay()}, on the very memory the capture saw. Tensors the step created (the
 *       loss, activations, gradients) live in the graph's private memory pool and hold the values of
 *       the last replay; inputs must be updated in place ({@code copy_}), never replaced.</li>
 *   <li>Nothing in the step may need the host: {@code item()}, {@code toArray}, printing,
 *       {@code Cuda.synchronize}, tensors made from Java data, and device work from another thread
 *       are refused with a {@link CudaGraphException} naming the op. A failed capture leaves nothing
 *       behind: the capture is ended, its memory released, and the device works as before.</li>
 *   <li>Host-side values are frozen at capture: a learning rate changed later is not seen by the
 *       replays. The optimizers' step counts are the exception: their fused updates keep them on the
 *       device, where every replay advances them.</li>
 *   <li>Run the step once before capturing (as PyTorch requires warm-up iterations): the first step
 *       creates the optimizer's state and uploads its parameter table, which a capture cannot.</li>
 * </ul>
 * Closing frees the graph and returns its memory pool to the allocator (tensors still holding pool
 * memory keep it until they are freed). Replaying a closed graph is a {@link CudaGraphException}.
 */
public final class CudaGraph implements AutoCloseable {
    private final GraphCapture.CapturedGraph graph;

    CudaGraph(GraphCapture.CapturedGraph graph) {
        this.graph = graph;
    }

    /** Queues the captured work once; returns without waiting for it. */
    public void replay() {
        if (graph.isClosed()) throw new CudaGraphException("CudaGraph.replay: the graph was closed; capture the step again");
        graph.replay();
    }

    public boolean isClosed() { return graph.isClosed(); }

    @Override
    public void close() { graph.close(); }

    @Override
    public String toString() { return graph.toString(); }
}
