package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DeviceCounters;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CudaApi} that counts the work it passes on to another one: launches by kernel name, GEMM
 * calls, copies by direction, memsets, host synchronisations, driver allocations and frees. Every
 * {@link CudaContext} goes through one, so the simulated device and the FFM and JCuda bindings are
 * counted the same way, at the same boundary. Counting costs an add per call.
 */
final class CountingCudaApi implements CudaApi {
    private final CudaApi api;
    /** Kernel name of each function handle {@link #moduleGetFunction} returned. */
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> launches = new ConcurrentHashMap<>();
    private final LongAdder gemms = new LongAdder(), h2d = new LongAdder(), d2h = new LongAdder(),
            d2d = new LongAdder(), memsets = new LongAdder(), syncs = new LongAdder(),
            allocs = new LongAdder(), frees = new LongAdder();

    /** The launch name a CUDA graph replay ({@code cuGraphLaunch}) is counted under. */
    static final String GRAPH_LAUNCH = "cuGraphLaunch";

    CountingCudaApi(CudaApi api) {
        this.api = api;
    }

    /** {@code api} itself when it already counts, else a counting wrapper around it. */
    static CountingCudaApi of(CudaApi api) {
        return api instanceof CountingCudaApi c ? c : new CountingCudaApi(api);
    }

    /** The counts so far. */
    DeviceCounters snapshot() {
        Map<String, Long> byName = new HashMap<>();
        launches.forEach((k, v) -> byName.put(k, v.sum()));
        return new DeviceCounters(byName, gemms.sum(), h2d.sum(), d2h.sum(), d2d.sum(), memsets.sum(), syncs.sum(),
                allocs.sum(), frees.sum());
    }

    // ---- counted calls ------------------------------------------------------------------------------

    @Override
    public void ctxSynchronize() { syncs.increment(); api.ctxSynchronize(); }

    @Override
    public long memAlloc(long bytes) { allocs.increment(); return api.memAlloc(bytes); }

    @Override
    public void memFree(long dptr) { frees.increment(); api.memFree(dptr); }

    @Override
    public void memsetD8Async(long dptr, byte value, long count, long stream) {
        memsets.increment();
        api.memsetD8Async(dptr, value, count, stream);
    }

    @Override
    public void memsetD32Async(long dptr, int value, long count, long stream) {
        memsets.increment();
        api.memsetD32Async(dptr, value, count, stream);
    }

    @Override
    public void memcpyHtoD(long dst, ByteBuffer src, long bytes) { h2d.increment(); api.memcpyHtoD(dst, src, bytes); }

    @Override
    public void memcpyDtoH(ByteBuffer dst, long src, long bytes) { d2h.increment(); api.memcpyDtoH(dst, src, bytes); }

    /** Counted as a host-to-device copy, like the {@link ByteBuffer} forms. */
    @Override
    public void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes) {
        h2d.increment();
        api.memcpyHtoDFromAddress(dst, hostAddress, bytes);
    }

    /** Counted as a device-to-host copy, like the {@link ByteBuffer} forms. */
    @Override
    public void memcpyDtoHToAddress(long hostAddress, long src, long bytes) {
        d2h.increment();
        api.memcpyDtoHToAddress(hostAddress, src, bytes);
    }

    @Override
    public void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        h2d.increment();
        api.memcpyHtoDAsync(dst, src, bytes, stream);
    }

    @Override
    public void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        d2h.increment();
        api.memcpyDtoHAsync(dst, src, bytes, stream);
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        d2d.increment();
        api.memcpyDtoDAsync(dst, src, bytes, stream);
    }

    @Override
    public void streamSynchronize(long stream) { syncs.increment(); api.streamSynchronize(stream); }

    /** A graph replay is one launch, counted under {@link #GRAPH_LAUNCH}. */
    @Override
    public void graphLaunch(long graphExec, long stream) {
        launches.computeIfAbsent(GRAPH_LAUNCH, k -> new LongAdder()).increment();
        api.graphLaunch(graphExec, stream);
    }

    @Override
    public void eventSynchronize(long event) { syncs.increment(); api.eventSynchronize(event); }

    @Override
    public long moduleGetFunction(long module, String name) {
        long f = api.moduleGetFunction(module, name);
        names.put(f, name);
        return f;
    }

    @Override
    public void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                             int sharedBytes, long stream, KernelArgs args) {
        launches.computeIfAbsent(names.getOrDefault(function, "?"), k -> new LongAdder()).increment();
        api.launchKernel(function, gx, gy, gz, bx, by, bz, sharedBytes, stream, args);
    }

    @Override
    public void blasSgemm(long handle, int transa, int transb, int m, int n, int k,
                          float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        gemms.increment();
        api.blasSgemm(handle, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void blasDgemm(long handle, int transa, int transb, int m, int n, int k,
                          double alpha, long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        gemms.increment();
        api.blasDgemm(handle, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        float alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        float beta, long c, int ldc, long strideC, int batchCount) {
        gemms.increment();
        api.blasSgemmStridedBatched(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount);
    }

    @Override
    public void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        double beta, long c, int ldc, long strideC, int batchCount) {
        gemms.increment();
        api.blasDgemmStridedBatched(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount);
    }

    // ---- passed on uncounted ----------------------------------------------------------------------

    @Override public void init() { api.init(); }
    @Override public int driverVersion() { return api.driverVersion(); }
    @Override public int deviceCount() { return api.deviceCount(); }
    @Override public String deviceName(int ordinal) { return api.deviceName(ordinal); }
    @Override public int deviceAttribute(int attribute, int ordinal) { return api.deviceAttribute(attribute, ordinal); }
    @Override public long deviceTotalMem(int ordinal) { return api.deviceTotalMem(ordinal); }
    @Override public long primaryCtxRetain(int ordinal) { return api.primaryCtxRetain(ordinal); }
    @Override public void primaryCtxRelease(int ordinal) { api.primaryCtxRelease(ordinal); }
    @Override public void ctxSetCurrent(long ctx) { api.ctxSetCurrent(ctx); }
    @Override public long[] memGetInfo() { return api.memGetInfo(); }
    @Override public long streamCreate() { return api.streamCreate(); }
    @Override public void streamDestroy(long stream) { api.streamDestroy(stream); }
    @Override public long eventCreate() { return api.eventCreate(); }
    @Override public void eventRecord(long event, long stream) { api.eventRecord(event, stream); }
    @Override public float eventElapsedTime(long start, long end) { return api.eventElapsedTime(start, end); }
    @Override public void eventDestroy(long event) { api.eventDestroy(event); }
    @Override public long moduleLoadData(String ptx) { return api.moduleLoadData(ptx); }
    @Override public void moduleUnload(long module) { api.moduleUnload(module); }
    @Override public String errorName(int code) { return api.errorName(code); }
    @Override public String errorString(int code) { return api.errorString(code); }
    @Override public void streamBeginCapture(long stream, int mode) { api.streamBeginCapture(stream, mode); }
    @Override public long streamEndCapture(long stream) { return api.streamEndCapture(stream); }
    @Override public long graphInstantiate(long graph) { return api.graphInstantiate(graph); }
    @Override public void graphExecDestroy(long graphExec) { api.graphExecDestroy(graphExec); }
    @Override public void graphDestroy(long graph) { api.graphDestroy(graph); }
    @Override public boolean hasBlas() { return api.hasBlas(); }
    @Override public int blasVersion() { return api.blasVersion(); }
    @Override public long blasCreate() { return api.blasCreate(); }
    @Override public void blasDestroy(long handle) { api.blasDestroy(handle); }
    @Override public void blasSetStream(long handle, long stream) { api.blasSetStream(handle, stream); }
    @Override public void blasSetMathMode(long handle, int mode) { api.blasSetMathMode(handle, mode); }
}
