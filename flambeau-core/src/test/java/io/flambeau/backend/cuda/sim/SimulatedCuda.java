package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A simulated CUDA device behind {@link CudaApi}: device memory is host memory, kernels run in a PTX
 * interpreter on the very PTX text a GPU would JIT, and GEMM follows cuBLAS's contract.
 *
 * <p>Fidelity notes for backend authors:
 * <ul>
 *   <li>Work runs synchronously when enqueued, so every stream is trivially in order and
 *       synchronisation calls only validate their handles. Launch faults therefore surface from
 *       {@code launchKernel} itself (on a GPU they surface at the next synchronising call).</li>
 *   <li>Errors are not sticky: after a faulting launch the context remains usable.</li>
 *   <li>The current context is per thread, as in the driver; calls without one fail with
 *       {@code CUDA_ERROR_INVALID_CONTEXT}, and calls before {@link #init()} with
 *       {@code CUDA_ERROR_NOT_INITIALIZED}.</li>
 *   <li>Each device's pointers live in their own address range, so a pointer used on the wrong
 *       device is an invalid address.</li>
 * </ul>
 * All methods are synchronized: one instance may be shared by threads.
 */
public final class SimulatedCuda implements CudaApi {
    /** Each device's allocations start at a distinct base, 1 TiB apart. */
    private static final long DEVICE_STRIDE = 1L << 40;

    private final SimulatedCudaConfig cfg;
    private final Device[] devices;
    private final KernelLauncher launcher;
    private final SimulatedBlas blas;
    private final ThreadLocal<Long> currentCtx = ThreadLocal.withInitial(() -> 0L);
    private final Map<Long, Device> contexts = new HashMap<>();
    private final Map<Long, Integer> streams = new HashMap<>();
    private final Map<Long, long[]> events = new HashMap<>();
    private final Map<Long, ModuleInstance> modules = new HashMap<>();
    private final Map<Long, Function> functions = new HashMap<>();
    private final StreamCaptures captures = new StreamCaptures();
    private final Map<Long, Long> blasStreams = new HashMap<>();
    private boolean initialized;
    private long nextHandle = 0x5100;

    private static final class Device {
        final int ordinal;
        final DeviceMemory memory;
        long ctx;
        int refs;

        Device(int ordinal, DeviceMemory memory) {
            this.ordinal = ordinal;
            this.memory = memory;
        }
    }

    private record Function(long module, PtxKernel kernel) {}

    public SimulatedCuda() { this(SimulatedCudaConfig.defaults()); }

    public SimulatedCuda(SimulatedCudaConfig cfg) {
        this.cfg = cfg;
        this.devices = new Device[cfg.deviceCount()];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = new Device(i, new DeviceMemory(cfg.totalMemory(), cfg.fillByte(),
                    DeviceMemory.BASE + i * DEVICE_STRIDE));
        }
        this.launcher = new KernelLauncher(cfg);
        this.blas = new SimulatedBlas(cfg, ordinal -> devices[ordinal].memory);
    }

    public SimulatedCudaConfig config() { return cfg; }

    // ---- counters for tests ---------------------------------------------------------------------

    /** Kernel launches that started executing. */
    public synchronized long launchCount() { return launcher.launches; }

    /** Launches of the kernel named {@code name}. */
    public synchronized long launchCount(String name) { return launcher.launchesByKernel.getOrDefault(name, 0L); }

    /** Live {@code cuMemAlloc} allocations on all devices. */
    public synchronized int liveAllocations() {
        int n = 0;
        for (Device d : devices) n += d.memory.liveAllocations();
        return n;
    }

    /** {@code cuMemAlloc} calls that succeeded, on all devices. */
    public synchronized long allocationCount() {
        long n = 0;
        for (Device d : devices) n += d.memory.allocationCount();
        return n;
    }

    /** Device bytes in use on {@code ordinal} (allocations rounded to 256 bytes). */
    public synchronized long bytesInUse(int ordinal) { return device(ordinal, "bytesInUse").memory.used(); }

    /** Thread-instructions executed by all launches so far. */
    public synchronized long instructionsExecuted() { return launcher.instructions; }

    /** Kernel executions so far by kernel name (graph replays included). */
    public synchronized Map<String, Long> launchCountsByKernel() { return new java.util.LinkedHashMap<>(launcher.launchesByKernel); }

    /** {@code cuGraphLaunch} calls so far. */
    public synchronized long graphLaunchCount() { return captures.graphLaunches; }

    /** Live graphs and executable graphs (leak checks). */
    public synchronized int liveGraphs() { return captures.liveGraphs() + captures.liveExecs(); }

    /** PTX texts parsed so far (cache misses of {@link #moduleLoadData}). */
    public synchronized long ptxParses() { return launcher.parses; }

    // ---- helpers --------------------------------------------------------------------------------

    private void requireInit(String call) {
        if (!initialized) throw CudaStatus.error(CudaStatus.NOT_INITIALIZED, call, "call cuInit first");
    }

    private Device device(int ordinal, String call) {
        if (ordinal < 0 || ordinal >= devices.length) {
            throw CudaStatus.error(CudaStatus.INVALID_DEVICE, call, "device " + ordinal + " of " + devices.length);
        }
        return devices[ordinal];
    }

    /** The current thread's context's device. */
    private Device current(String call) {
        requireInit(call);
        long ctx = currentCtx.get();
        Device d = ctx == 0 ? null : contexts.get(ctx);
        if (d == null) {
            throw CudaStatus.error(CudaStatus.INVALID_CONTEXT, call, ctx == 0 ? "no context is current on thread '"
                    + Thread.currentThread().getName() + "' (cuCtxSetCurrent)" : "the current context was destroyed");
        }
        return d;
    }

    private void checkStream(long stream, Device d, String call) {
        if (stream == 0) return;
        Integer owner = streams.get(stream);
        if (owner == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown or destroyed stream 0x" + Long.toHexString(stream));
        if (owner != d.ordinal) {
            throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "stream belongs to device " + owner + ", current is " + d.ordinal);
        }
    }

    private long handle() { return nextHandle += 0x10; }

    private static int checkedSize(long bytes, String call) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "byte count " + bytes);
        return (int) bytes;
    }

    // ---- driver, devices, contexts --------------------------------------------------------------

    @Override
    public synchronized void init() {
        if (devices.length == 0) throw CudaStatus.error(CudaStatus.NO_DEVICE, "cuInit", "the simulator is configured with no devices");
        initialized = true;
    }

    @Override
    public synchronized int driverVersion() { return cfg.driverVersion(); }

    @Override
    public synchronized int deviceCount() {
        requireInit("cuDeviceGetCount");
        return devices.length;
    }

    @Override
    public synchronized String deviceName(int ordinal) {
        requireInit("cuDeviceGetName");
        device(ordinal, "cuDeviceGet");
        return cfg.deviceName();
    }

    @Override
    public synchronized int deviceAttribute(int attribute, int ordinal) {
        requireInit("cuDeviceGetAttribute");
        device(ordinal, "cuDeviceGetAttribute");
        return DeviceAttributes.value(attribute, cfg, ordinal);
    }

    @Override
    public synchronized long deviceTotalMem(int ordinal) {
        requireInit("cuDeviceTotalMem_v2");
        return device(ordinal, "cuDeviceTotalMem_v2").memory.total;
    }

    @Override
    public synchronized long primaryCtxRetain(int ordinal) {
        requireInit("cuDevicePrimaryCtxRetain");
        Device d = device(ordinal, "cuDevicePrimaryCtxRetain");
        if (d.refs++ == 0) {
            d.ctx = handle();
            contexts.put(d.ctx, d);
        }
        return d.ctx;
    }

    @Override
    public synchronized void primaryCtxRelease(int ordinal) {
        requireInit("cuDevicePrimaryCtxRelease_v2");
        Device d = device(ordinal, "cuDevicePrimaryCtxRelease_v2");
        if (d.refs == 0) throw CudaStatus.error(CudaStatus.INVALID_CONTEXT, "cuDevicePrimaryCtxRelease_v2", "the primary context is not retained");
        if (--d.refs == 0) {
            contexts.remove(d.ctx);
            d.memory.reset();
            streams.values().removeIf(o -> o == d.ordinal);
            events.values().removeIf(e -> e[0] == d.ordinal);
            modules.entrySet().removeIf(e -> e.getValue().deviceOrdinal == d.ordinal);
            functions.values().removeIf(f -> !modules.containsKey(f.module()));
            blas.forgetDevice(d.ordinal);
            d.ctx = 0;
        }
    }

    @Override
    public synchronized void ctxSetCurrent(long ctx) {
        requireInit("cuCtxSetCurrent");
        if (ctx != 0 && !contexts.containsKey(ctx)) {
            throw CudaStatus.error(CudaStatus.INVALID_CONTEXT, "cuCtxSetCurrent", "unknown or destroyed context 0x" + Long.toHexString(ctx));
        }
        currentCtx.set(ctx);
    }

    @Override
    public synchronized void ctxSynchronize() {
        current("cuCtxSynchronize");
        captures.refuseLegacy("cuCtxSynchronize");
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public synchronized long[] memGetInfo() {
        DeviceMemory m = current("cuMemGetInfo_v2").memory;
        return new long[] {m.total - m.used(), m.total};
    }

    @Override
    public synchronized long memAlloc(long bytes) {
        return current("cuMemAlloc_v2").memory.allocate(bytes, "cuMemAlloc_v2", null, true).base;
    }

    @Override
    public synchronized void memFree(long dptr) {
        Device d = current("cuMemFree_v2");
        captures.refuseUnsafe("cuMemFree_v2");
        d.memory.free(dptr, "cuMemFree_v2");
    }

    @Override
    public synchronized void memsetD8Async(long dptr, byte value, long count, long stream) {
        String call = "cuMemsetD8Async";
        Device d = current(call);
        checkStream(stream, d, call);
        int n = checkedSize(count, call);
        if (n == 0) return;
        Allocation a = d.memory.range(dptr, n, call, "destination");
        int off = (int) (dptr - a.base);
        Runnable work = () -> java.util.Arrays.fill(a.data, off, off + n, value);
        if (!captures.record(stream, work)) work.run();
    }

    @Override
    public synchronized void memsetD32Async(long dptr, int value, long count, long stream) {
        String call = "cuMemsetD32Async";
        Device d = current(call);
        checkStream(stream, d, call);
        if ((dptr & 3) != 0) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "destination 0x" + Long.toHexString(dptr) + " is not 4-byte aligned");
        int n = checkedSize(count, call);
        if (n == 0) return;
        Allocation a = d.memory.range(dptr, 4L * n, call, "destination");
        int off = (int) (dptr - a.base);
        Runnable work = () -> { for (int i = 0; i < n; i++) Bytes.putInt(a.data, off + 4 * i, value); };
        if (!captures.record(stream, work)) work.run();
    }

    @Override
    public synchronized void memcpyHtoD(long dst, ByteBuffer src, long bytes) {
        copyIn(dst, src, bytes, 0, "cuMemcpyHtoD_v2");
    }

    @Override
    public synchronized void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        copyIn(dst, src, bytes, stream, "cuMemcpyHtoDAsync_v2");
    }

    @Override
    public synchronized void memcpyDtoH(ByteBuffer dst, long src, long bytes) {
        copyOut(dst, src, bytes, 0, "cuMemcpyDtoH_v2");
    }

    @Override
    public synchronized void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        copyOut(dst, src, bytes, stream, "cuMemcpyDtoHAsync_v2");
    }

    /** Reads the host memory at the address in place, as the driver does (a zero address is refused). */
    @Override
    public synchronized void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        copyIn(dst, hostMemory(hostAddress, bytes, call), bytes, 0, call);
    }

    /** Writes the host memory at the address in place, as the driver does (a zero address is refused). */
    @Override
    public synchronized void memcpyDtoHToAddress(long hostAddress, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        copyOut(hostMemory(hostAddress, bytes, call), src, bytes, 0, call);
    }

    /** The {@code bytes} bytes at {@code address} as a buffer over that memory (the caller owns it). */
    private static ByteBuffer hostMemory(long address, long bytes, String call) {
        int n = checkedSize(bytes, call);
        if (address == 0 && n > 0) throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "host address is null (0)");
        return MemorySegment.ofAddress(address).reinterpret(n).asByteBuffer();
    }

    private void copyIn(long dst, ByteBuffer src, long bytes, long stream, String call) {
        Device d = current(call);
        checkStream(stream, d, call);
        refuseHostCopy(stream, call);
        int n = checkedSize(bytes, call);
        if (src == null || src.remaining() < n) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "source buffer has " + (src == null ? "null" : src.remaining() + " bytes remaining") + ", " + n + " needed");
        }
        if (n == 0) return;
        Allocation a = d.memory.range(dst, n, call, "destination");
        src.duplicate().get(a.data, (int) (dst - a.base), n);
    }

    /** Host memory cannot take part in a capture; a synchronous copy (legacy stream) waits for the device. */
    private void refuseHostCopy(long stream, String call) {
        if (stream == 0) captures.refuseLegacy(call);
        else captures.refuseOn(stream, call);
    }

    private void copyOut(ByteBuffer dst, long src, long bytes, long stream, String call) {
        Device d = current(call);
        checkStream(stream, d, call);
        refuseHostCopy(stream, call);
        int n = checkedSize(bytes, call);
        if (dst == null || dst.isReadOnly() || dst.remaining() < n) {
            throw CudaStatus.error(CudaStatus.INVALID_VALUE, call, "destination buffer is "
                    + (dst == null ? "null" : dst.isReadOnly() ? "read-only" : dst.remaining() + " bytes remaining, " + n + " needed"));
        }
        if (n == 0) return;
        Allocation a = d.memory.range(src, n, call, "source");
        dst.duplicate().put(a.data, (int) (src - a.base), n);
    }

    @Override
    public synchronized void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoDAsync_v2";
        Device d = current(call);
        checkStream(stream, d, call);
        int n = checkedSize(bytes, call);
        if (n == 0) return;
        Allocation s = d.memory.range(src, n, call, "source");
        Allocation t = d.memory.range(dst, n, call, "destination");
        Runnable work = () -> System.arraycopy(s.data, (int) (src - s.base), t.data, (int) (dst - t.base), n);
        if (!captures.record(stream, work)) work.run();
    }

    // ---- streams and events ---------------------------------------------------------------------

    @Override
    public synchronized long streamCreate() {
        Device d = current("cuStreamCreate");
        long h = handle();
        streams.put(h, d.ordinal);
        return h;
    }

    @Override
    public synchronized void streamSynchronize(long stream) {
        String call = "cuStreamSynchronize";
        checkStream(stream, current(call), call);
        if (stream == 0) captures.refuseLegacy(call);
        else captures.refuseOn(stream, call);
    }

    @Override
    public synchronized void streamDestroy(long stream) {
        String call = "cuStreamDestroy_v2";
        Device d = current(call);
        if (stream == 0) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "the default stream cannot be destroyed");
        checkStream(stream, d, call);
        captures.refuseOn(stream, call);
        streams.remove(stream);
    }

    @Override
    public synchronized long eventCreate() {
        Device d = current("cuEventCreate");
        long h = handle();
        events.put(h, new long[] {d.ordinal, -1});
        return h;
    }

    private long[] event(long event, String call) {
        Device d = current(call);
        long[] e = events.get(event);
        if (e == null || e[0] != d.ordinal) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown or destroyed event 0x" + Long.toHexString(event));
        return e;
    }

    @Override
    public synchronized void eventRecord(long event, long stream) {
        String call = "cuEventRecord";
        long[] e = event(event, call);
        checkStream(stream, current(call), call);
        e[1] = System.nanoTime();
    }

    @Override
    public synchronized void eventSynchronize(long event) { event(event, "cuEventSynchronize"); }

    @Override
    public synchronized float eventElapsedTime(long start, long end) {
        String call = "cuEventElapsedTime";
        long[] s = event(start, call), e = event(end, call);
        if (s[1] < 0 || e[1] < 0) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "an event has not been recorded");
        return (e[1] - s[1]) / 1e6f;
    }

    @Override
    public synchronized void eventDestroy(long event) {
        event(event, "cuEventDestroy_v2");
        events.remove(event);
    }

    // ---- modules and launches -------------------------------------------------------------------

    @Override
    public synchronized long moduleLoadData(String ptx) {
        Device d = current("cuModuleLoadDataEx");
        ModuleInstance mi = launcher.load(ptx, d.ordinal, d.memory);
        long h = handle();
        modules.put(h, mi);
        return h;
    }

    private ModuleInstance module(long module, String call) {
        Device d = current(call);
        ModuleInstance mi = modules.get(module);
        if (mi == null || mi.deviceOrdinal != d.ordinal) {
            throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown or unloaded module 0x" + Long.toHexString(module));
        }
        return mi;
    }

    @Override
    public synchronized long moduleGetFunction(long module, String name) {
        String call = "cuModuleGetFunction";
        ModuleInstance mi = module(module, call);
        PtxKernel k = mi.module.kernels.get(name);
        if (k == null) {
            throw CudaStatus.error(CudaStatus.NOT_FOUND, call, "no kernel named '" + name + "'; the module has "
                    + mi.module.kernels.keySet());
        }
        for (Map.Entry<Long, Function> e : functions.entrySet()) {
            if (e.getValue().module() == module && e.getValue().kernel() == k) return e.getKey();
        }
        long h = handle();
        functions.put(h, new Function(module, k));
        return h;
    }

    @Override
    public synchronized void moduleUnload(long module) {
        String call = "cuModuleUnload";
        ModuleInstance mi = module(module, call);
        for (Allocation a : mi.variables) devices[mi.deviceOrdinal].memory.release(a);
        mi.unloaded = true;
        modules.remove(module);
        functions.values().removeIf(f -> f.module() == module);
    }

    @Override
    public synchronized void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                                          int sharedBytes, long stream, KernelArgs args) {
        String call = ExecutionContext.CALL;
        Device d = current(call);
        Function f = functions.get(function);
        if (f == null) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "unknown function 0x" + Long.toHexString(function) + " (module unloaded?)");
        ModuleInstance mi = modules.get(f.module());
        if (mi.deviceOrdinal != d.ordinal) throw CudaStatus.error(CudaStatus.INVALID_HANDLE, call, "the function belongs to device " + mi.deviceOrdinal);
        checkStream(stream, d, call);
        Runnable work = () -> launcher.launch(mi, f.kernel(), d.memory, gx, gy, gz, bx, by, bz, sharedBytes, args);
        if (!captures.record(stream, work)) work.run();
    }

    // ---- CUDA graphs (see StreamCaptures) -------------------------------------------------------

    @Override
    public synchronized void streamBeginCapture(long stream, int mode) {
        String call = "cuStreamBeginCapture_v2";
        checkStream(stream, current(call), call);
        captures.begin(stream, mode, call);
    }

    @Override
    public synchronized long streamEndCapture(long stream) {
        String call = "cuStreamEndCapture";
        checkStream(stream, current(call), call);
        return captures.end(stream, handle(), call);
    }

    @Override
    public synchronized long graphInstantiate(long graph) {
        String call = "cuGraphInstantiateWithFlags";
        current(call);
        return captures.instantiate(graph, handle(), call);
    }

    @Override
    public synchronized void graphLaunch(long graphExec, long stream) {
        String call = "cuGraphLaunch";
        checkStream(stream, current(call), call);
        captures.launch(graphExec, stream, call);
    }

    @Override
    public synchronized void graphExecDestroy(long graphExec) { captures.destroyExec(graphExec, "cuGraphExecDestroy"); }

    @Override
    public synchronized void graphDestroy(long graph) { captures.destroyGraph(graph, "cuGraphDestroy"); }

    /** Runs a cuBLAS call now, or records it when the handle's stream is capturing. */
    private void blasWork(long handle, Runnable work) {
        Long stream = blasStreams.get(handle);
        if (stream == null || !captures.record(stream, work)) work.run();
    }

    @Override
    public String errorName(int code) { return CudaStatus.name(code); }

    @Override
    public String errorString(int code) { return CudaStatus.string(code); }

    // ---- cuBLAS (see SimulatedBlas) -------------------------------------------------------------

    @Override
    public boolean hasBlas() { return cfg.blas(); }

    @Override
    public synchronized int blasVersion() { return blas.version(); }

    @Override
    public synchronized long blasCreate() { return blas.create(current("cublasCreate_v2").ordinal, handle()); }

    @Override
    public synchronized void blasDestroy(long handle) { blas.destroy(handle); }

    @Override
    public synchronized void blasSetStream(long handle, long stream) {
        blas.setStream(handle, stream, stream == 0 ? null : streams.get(stream));
        blasStreams.put(handle, stream);
    }

    @Override
    public synchronized void blasSetMathMode(long handle, int mode) { blas.setMathMode(handle, mode); }

    @Override
    public synchronized void blasSgemm(long handle, int transa, int transb, int m, int n, int k, float alpha, long a,
                                       int lda, long b, int ldb, float beta, long c, int ldc) {
        blasWork(handle, () -> blas.gemm("cublasSgemm_v2", handle, transa, transb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, 4));
    }

    @Override
    public synchronized void blasDgemm(long handle, int transa, int transb, int m, int n, int k, double alpha, long a,
                                       int lda, long b, int ldb, double beta, long c, int ldc) {
        blasWork(handle, () -> blas.gemm("cublasDgemm_v2", handle, transa, transb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, 8));
    }

    @Override
    public synchronized void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k, float alpha,
                                                     long a, int lda, long strideA, long b, int ldb, long strideB,
                                                     float beta, long c, int ldc, long strideC, int batchCount) {
        blasWork(handle, () -> blas.gemm("cublasSgemmStridedBatched", handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount, 4));
    }

    @Override
    public synchronized void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k, double alpha,
                                                     long a, int lda, long strideA, long b, int ldb, long strideB,
                                                     double beta, long c, int ldc, long strideC, int batchCount) {
        blasWork(handle, () -> blas.gemm("cublasDgemmStridedBatched", handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount, 8));
    }
}
