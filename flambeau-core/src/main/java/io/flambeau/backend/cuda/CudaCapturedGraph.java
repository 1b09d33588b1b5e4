package io.flambeau.backend.cuda;

import io.flambeau.backend.GraphCapture;
import io.flambeau.core.CudaGraphException;

import java.util.List;

/**
 * An instantiated CUDA graph ({@code CUgraph} and {@code CUgraphExec}) with the private memory pool
 * and the device tables its nodes point into, all held until {@link #close}.
 */
final class CudaCapturedGraph implements GraphCapture.CapturedGraph {
    private final CudaContext ctx;
    private final long graph;
    private final long exec;
    private final CachingAllocator allocator;
    private final CachingAllocator.Pool pool;
    private final List<Runnable> releases;
    private volatile boolean closed;

    CudaCapturedGraph(CudaContext ctx, long graph, long exec, CachingAllocator allocator, CachingAllocator.Pool pool,
                      List<Runnable> releases) {
        this.ctx = ctx;
        this.graph = graph;
        this.exec = exec;
        this.allocator = allocator;
        this.pool = pool;
        this.releases = List.copyOf(releases);
    }

    @Override
    public void replay() {
        if (closed) throw new CudaGraphException("CudaGraph.replay: the graph was closed; capture the step again");
        if (ctx.isClosed()) throw new CudaGraphException("CudaGraph.replay: the CUDA backend of " + ctx.device + " was closed");
        ctx.makeCurrent();
        ctx.api.graphLaunch(exec, ctx.stream);
    }

    @Override
    public boolean isClosed() { return closed; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (ctx.isClosed()) return; // the context's end freed everything
        ctx.synchronize(); // replays still queued use the pool
        ctx.api.graphExecDestroy(exec);
        ctx.api.graphDestroy(graph);
        allocator.retire(pool);
        releases.forEach(Runnable::run);
    }

    @Override
    public String toString() { return "CudaGraph[" + ctx.device + (closed ? ", closed" : "") + "]"; }
}
