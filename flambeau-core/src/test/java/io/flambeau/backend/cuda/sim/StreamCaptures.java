package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated device's CUDA graphs, by the driver's rules for stream capture:
 * <ul>
 *   <li>While a stream captures, work queued on it (launches, memsets, device-to-device copies,
 *       cuBLAS calls on a handle bound to it) is recorded, not run: nothing happens to memory until
 *       the graph is launched.</li>
 *   <li>Calls that would wait for the device or touch host memory fail and invalidate the capture:
 *       a synchronisation of the capturing stream or a copy between it and the host
 *       ({@code CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED}); work on the legacy stream, which waits
 *       for the blocking capturing stream (synchronous copies, {@code cuCtxSynchronize}:
 *       {@code CUDA_ERROR_STREAM_CAPTURE_IMPLICIT}); {@code cuMemFree} in the global and
 *       thread-local modes (for the latter, by the capturing thread), not in the relaxed one. Ending
 *       an invalidated capture fails with {@code CUDA_ERROR_STREAM_CAPTURE_INVALIDATED}, but ends it.</li>
 *   <li>{@code cuGraphLaunch} runs the recorded work in its order, reading memory as it is then:
 *       inputs updated in place between launches are seen by the next one.</li>
 * </ul>
 * Not thread-safe by itself: {@link SimulatedCuda} calls it under its own lock.
 */
final class StreamCaptures {
    private static final class Capture {
        final Thread thread = Thread.currentThread();
        final int mode;
        final List<Runnable> nodes = new ArrayList<>();
        String invalidatedBy;

        Capture(int mode) { this.mode = mode; }
    }

    private final Map<Long, Capture> capturing = new HashMap<>();
    private final Map<Long, List<Runnable>> graphs = new HashMap<>();
    private final Map<Long, List<Runnable>> execs = new HashMap<>();
    long graphLaunches;

    void begin(long stream, int mode, String call) {
        if (stream == 0) throw CudaStatus.error(CudaStatus.STREAM_CAPTURE_UNSUPPORTED, call, "the legacy stream cannot be captured");
        if (mode != CudaApi.CU_STREAM_CAPTURE_MODE_GLOBAL && mode != CudaApi.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL && mode != 2) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "capture mode " + mode);
        }
        if (capturing.containsKey(stream)) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "the stream is already capturing");
        capturing.put(stream, new Capture(mode));
    }

    /** Records {@code work} when {@code stream} is capturing (true), else leaves it to the caller to run. */
    boolean record(long stream, Runnable work) {
        Capture c = capturing.get(stream);
        if (c == null) return false;
        if (c.invalidatedBy == null) c.nodes.add(work);
        return true;
    }

    boolean isCapturing(long stream) { return capturing.containsKey(stream); }

    /** A call that is refused on {@code stream} while it captures. */
    void refuseOn(long stream, String call) {
        Capture c = capturing.get(stream);
        if (c != null) throw invalidate(c, call);
    }

    /** A call that is refused while a capture it could disturb runs (any global one, or this thread's). */
    void refuseUnsafe(String call) {
        for (Capture c : capturing.values()) {
            if (c.mode == CudaApi.CU_STREAM_CAPTURE_MODE_GLOBAL || (c.mode == CudaApi.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
                    && c.thread == Thread.currentThread())) {
                throw invalidate(c, call);
            }
        }
    }

    /**
     * Work on the legacy stream (synchronous copies, {@code cuCtxSynchronize}) while any stream
     * captures: every stream here is blocking, so the legacy stream would have to wait for the
     * capturing one, whatever the mode.
     */
    void refuseLegacy(String call) {
        for (Capture c : capturing.values()) {
            if (c.invalidatedBy == null) c.invalidatedBy = call;
            throw CudaStatus.error(CudaStatus.STREAM_CAPTURE_IMPLICIT, call, "a stream is capturing a graph");
        }
    }

    private static CudaException invalidate(Capture c, String call) {
        if (c.invalidatedBy == null) c.invalidatedBy = call;
        return CudaStatus.error(CudaStatus.STREAM_CAPTURE_UNSUPPORTED, call, "the stream is capturing a graph");
    }

    long end(long stream, long handle, String call) {
        Capture c = capturing.remove(stream);
        if (c == null) throw CudaStatus.error(CudaStatus.STREAM_CAPTURE_UNMATCHED, call, "no capture on this stream");
        if (c.invalidatedBy != null) {
            throw CudaStatus.error(CudaStatus.STREAM_CAPTURE_INVALIDATED, call, c.invalidatedBy + " invalidated the capture");
        }
        graphs.put(handle, List.copyOf(c.nodes));
        return handle;
    }

    long instantiate(long graph, long handle, String call) {
        List<Runnable> nodes = graphs.get(graph);
        if (nodes == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown graph 0x" + Long.toHexString(graph));
        execs.put(handle, nodes);
        return handle;
    }

    void launch(long exec, long stream, String call) {
        List<Runnable> nodes = execs.get(exec);
        if (nodes == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown graph exec 0x" + Long.toHexString(exec));
        graphLaunches++;
        if (record(stream, () -> nodes.forEach(Runnable::run))) return;
        for (Runnable n : nodes) n.run();
    }

    void destroyExec(long exec, String call) {
        if (execs.remove(exec) == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown graph exec");
    }

    void destroyGraph(long graph, String call) {
        if (graphs.remove(graph) == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown graph");
    }

    /** Recorded operations of a graph (tests). */
    int nodes(long graph) {
        List<Runnable> n = graphs.get(graph);
        return n == null ? -1 : n.size();
    }

    int liveExecs() { return execs.size(); }

    int liveGraphs() { return graphs.size(); }
}
