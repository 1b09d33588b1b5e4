package io.flambeau.backend.cuda;

import io.flambeau.backend.GraphCapture;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.core.CudaGraphException;

import java.util.ArrayList;
import java.util.List;

/**
 * CUDA graphs of one device, made by stream capture: the device's one stream records what the ops
 * queue ({@code cuStreamBeginCapture_v2} ... {@code cuStreamEndCapture}), and the executable graph
 * replays it with one {@code cuGraphLaunch}.
 *
 * <p>Why stream capture rather than building the graph node by node ({@code cuGraphAddKernelNode}):
 * capture records exactly what eager execution would queue, through the same code path, so a
 * replay cannot diverge from an eager step; and it records the cuBLAS GEMMs, whose kernels cuBLAS
 * chooses internally and which therefore cannot be added as nodes by hand. Inputs are updated in
 * place between replays (the graph reads them at their captured addresses), so no node parameters
 * need patching ({@code cuGraphExecKernelNodeSetParams}).
 *
 * <p>During a capture the backend refuses, as {@link CudaGraphException}s naming the op, whatever
 * would need the host: host reads, synchronisations, uploads, allocations from another thread,
 * {@code emptyCache}. Allocations come from the graph's private pool of the {@link CachingAllocator},
 * which may have to take new blocks from the driver during the capture: the capture runs in
 * {@code CU_STREAM_CAPTURE_MODE_RELAXED}, the mode in which the driver allows {@code cuMemAlloc}
 * (the backend refuses the rest itself, with messages that name the op). A capture that fails is ended and
 * discarded: nothing stays half-captured and the stream works as before.
 */
final class CudaGraphCapture {
    /** What a capture in progress needs to know. */
    static final class Active {
        final Thread thread = Thread.currentThread();
        final CachingAllocator.Pool pool = new CachingAllocator.Pool();
        final List<Runnable> releases = new ArrayList<>();
    }

    private final CudaBackend backend;
    private final CudaContext ctx;
    private volatile Active active;

    CudaGraphCapture(CudaBackend backend, CudaContext ctx) {
        this.backend = backend;
        this.ctx = ctx;
    }

    /** The capture in progress, or null. */
    Active active() { return active; }

    /** Throws when a capture is in progress: {@code what} needs the host. */
    void refuse(String op, String what) {
        if (active != null) {
            throw new CudaGraphException(userOp(op) + ": " + what + " is not possible while a CUDA graph is being captured on "
                    + ctx.device + "; do it before Cuda.capture or after it (on a replayed graph, read results after replay())");
        }
    }

    /**
     * The public op the user called that led here ({@code "Tensor.get"} for an indexing whose bounds
     * check reads the indices back): the outermost frame of the public API classes below
     * {@code Cuda.capture}, else {@code op}.
     */
    private static String userOp(String op) {
        String api = StackWalker.getInstance().walk(frames -> frames
                .filter(CudaGraphCapture::isPublicApi)
                .takeWhile(f -> !(f.getClassName().endsWith(".Cuda") && f.getMethodName().equals("capture")))
                .reduce((inner, outer) -> outer)
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .orElse(null));
        return api == null ? op : api;
    }

    /** Tensor, Torch and Cuda of the public API, and nn's F (matched by name: this layer may not name them). */
    private static boolean isPublicApi(StackWalker.StackFrame f) {
        String c = f.getClassName();
        int dot = c.lastIndexOf('.');
        String pkg = c.substring(0, dot), simple = c.substring(dot + 1);
        return (pkg.equals("io.flambeau") && (simple.equals("Tensor") || simple.equals("Torch") || simple.equals("Cuda")))
                || (pkg.equals("io.flambeau.nn") && simple.equals("F"));
    }

    /** Throws when a capture is in progress on another thread (its stream would record this thread's work). */
    void refuseOtherThread(String op) {
        Active a = active;
        if (a != null && a.thread != Thread.currentThread()) {
            throw new CudaGraphException(op + ": allocation outside the graph's pool: thread '" + Thread.currentThread().getName()
                    + "' used " + ctx.device + " while thread '" + a.thread.getName() + "' captures a CUDA graph on it");
        }
    }

    GraphCapture.CapturedGraph capture(Runnable body) {
        if (active != null) {
            throw new CudaGraphException("Cuda.capture: a CUDA graph is already being captured on " + ctx.device
                    + "; captures do not nest");
        }
        CudaApi api = ctx.api;
        ctx.makeCurrent(); // eager work queued before the capture still runs first: the stream keeps its order
        Active a = new Active();
        backend.allocator().beginPool(a.pool);
        try {
            api.streamBeginCapture(ctx.stream, CudaApi.CU_STREAM_CAPTURE_MODE_RELAXED);
        } catch (RuntimeException e) {
            backend.allocator().retire(a.pool);
            throw e;
        }
        active = a;
        long graph;
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            abandon(a);
            throw e;
        }
        try {
            graph = api.streamEndCapture(ctx.stream);
        } catch (CudaException e) {
            finish(a);
            discard(a);
            throw new CudaGraphException("Cuda.capture: the driver invalidated the capture on " + ctx.device + ": "
                    + e.getMessage(), e);
        }
        finish(a);
        long exec;
        try {
            exec = api.graphInstantiate(graph);
        } catch (CudaException e) {
            api.graphDestroy(graph);
            discard(a);
            throw e;
        }
        return new CudaCapturedGraph(ctx, graph, exec, backend.allocator(), a.pool, a.releases);
    }

    /** Ends a capture whose body failed, keeping nothing of it. */
    private void abandon(Active a) {
        try {
            long graph = ctx.api.streamEndCapture(ctx.stream);
            ctx.api.graphDestroy(graph);
        } catch (CudaException ignored) {
            // an invalidated capture ends all the same; the body's exception is what matters
        } finally {
            finish(a);
            discard(a);
        }
    }

    private void finish(Active a) {
        active = null;
        backend.allocator().endPool();
    }

    private void discard(Active a) {
        backend.allocator().retire(a.pool);
        a.releases.forEach(Runnable::run);
    }
}
