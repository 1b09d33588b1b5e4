package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaMisuseException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.checked.LiveHandles.Handle;
import io.flambeau.backend.cuda.checked.LiveHandles.Kind;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.flambeau.backend.cuda.checked.Misuse.hex;
import static io.flambeau.backend.cuda.checked.Misuse.refuse;

/**
 * The {@link CudaApi} every binding is used through: it checks each call's pointers, handles, host
 * buffers and kernel arguments against what it has seen pass, and refuses a misuse with a
 * {@link CudaMisuseException} before the binding, and so the driver, sees it. The FFM and JCuda
 * bindings and the simulated device therefore fail the same way, with the same message, on the same
 * mistake, and the bindings themselves stay plain translations of the C API.
 *
 * <p>What it refuses: device pointers that are null, unknown, freed or freed twice, and copy or
 * memset ranges that run past their allocation ({@link LiveAllocations}); kernel pointer arguments
 * outside live memory or in memory of another device; streams, events, modules, functions, graphs
 * and cuBLAS handles used after destroy, never created, or from another context ({@link LiveHandles});
 * contexts never retained or released too often ({@link RetainedContexts}); host buffers that are
 * null, read-only destinations or smaller than the copy ({@link HostBufferCheck}); launches whose
 * arguments do not match the kernel's declared parameters ({@link KernelSignatures}); GEMM operands
 * whose extent is outside live memory ({@link GemmExtents}); and every call after {@link #close()}.
 *
 * <p>It learns only from the calls that pass through it and asks the driver nothing: no call is
 * added, none synchronises, so the counts {@code CountingCudaApi} takes above it are those of the
 * work itself. It also owns what is left at {@link #close()}: it knows every live handle and context
 * reference, whatever the binding. Thread-safe.
 */
public final class CheckedCudaApi implements CudaApi, AutoCloseable {
    private final CudaApi binding;
    private final LiveAllocations allocations = new LiveAllocations();
    private final LiveHandles handles = new LiveHandles();
    private final RetainedContexts contexts = new RetainedContexts();
    private volatile boolean closed;

    /**
     * The context this thread last bound through any seam, with the seam it went through (none:
     * never, or unbound since). One driver serves every seam over it in the process, so another
     * seam's {@code cuCtxSetCurrent} (its close unbinds the thread, say, after a probe that only
     * opened it) changes what this thread has bound: whoever skips a redundant bind asks
     * {@link #isBoundHere} rather than remembering what it bound itself.
     */
    private static final ThreadLocal<Bound> BOUND_HERE = new ThreadLocal<>();

    private record Bound(CheckedCudaApi seam, long context) {}

    private CheckedCudaApi(CudaApi binding) {
        this.binding = binding;
    }

    /** {@code api} itself when it is already checked, else the checked seam over it. */
    public static CheckedCudaApi of(CudaApi api) {
        if (api == null) throw new NullPointerException("api");
        return api instanceof CheckedCudaApi c ? c : new CheckedCudaApi(api);
    }

    /** The binding under the checks (for messages and tests; calls on it are unchecked). */
    public CudaApi binding() { return binding; }

    /** Device allocations made through this seam and not freed (for leak checks and the doctor). */
    public int liveAllocations() { return allocations.count(); }

    /** Live streams, events, modules and cuBLAS handles, by kind word ("stream", "module", ...). */
    public int liveHandles(String kindWord) {
        for (Kind k : Kind.values()) if (k.word.equals(kindWord)) return handles.count(k);
        throw new IllegalArgumentException("no handle kind '" + kindWord + "'");
    }

    /**
     * Device memory that another library allocated, made usable in calls ({@code Cuda.wrap}); the
     * returned action forgets it again (for borrowed memory: its owner frees it). Memory already
     * known is left as it is, and the action does nothing.
     */
    public Runnable adopt(long base, long bytes) {
        if (!allocations.adopt(base, bytes, contexts.current())) return () -> { };
        return () -> allocations.disown(base);
    }

    private void open(String call) {
        if (closed) throw refuse(CudaStatus.DEINITIALIZED, call, "this CUDA binding was closed; open a new one");
    }

    // ---- driver, devices ------------------------------------------------------------------------

    @Override public void init() { open("cuInit"); binding.init(); }
    @Override public int driverVersion() { open("cuDriverGetVersion"); return binding.driverVersion(); }
    @Override public int deviceCount() { open("cuDeviceGetCount"); return binding.deviceCount(); }
    @Override public String deviceName(int ordinal) { open("cuDeviceGetName"); return binding.deviceName(ordinal); }
    @Override public long deviceTotalMem(int ordinal) { open("cuDeviceTotalMem_v2"); return binding.deviceTotalMem(ordinal); }
    @Override public String errorName(int code) { return binding.errorName(code); }
    @Override public String errorString(int code) { return binding.errorString(code); }

    @Override
    public int deviceAttribute(int attribute, int ordinal) {
        open("cuDeviceGetAttribute");
        return binding.deviceAttribute(attribute, ordinal);
    }

    // ---- contexts -------------------------------------------------------------------------------

    @Override
    public long primaryCtxRetain(int ordinal) {
        open("cuDevicePrimaryCtxRetain");
        long ctx = binding.primaryCtxRetain(ordinal);
        contexts.retained(ordinal, ctx);
        return ctx;
    }

    @Override
    public void primaryCtxRelease(int ordinal) {
        String call = "cuDevicePrimaryCtxRelease_v2";
        open(call);
        if (!contexts.isRetained(ordinal)) {
            throw refuse(CudaStatus.INVALID_CONTEXT, call, "device " + ordinal + "'s primary context holds no reference"
                    + " taken through this binding (released more often than retained?)");
        }
        binding.primaryCtxRelease(ordinal);
        long destroyed = contexts.released(ordinal);
        if (destroyed != 0) {
            // the driver destroyed the context with everything in it
            allocations.removeContext(destroyed);
            handles.removeContext(destroyed);
            if (contexts.current() == destroyed) contexts.setCurrent(0);
            if (isBoundHere(destroyed)) boundHere(0); // a context retained again is bound again
        }
    }

    @Override
    public void ctxSetCurrent(long ctx) {
        String call = "cuCtxSetCurrent";
        open(call);
        if (ctx != 0 && !contexts.isLive(ctx)) {
            throw refuse(CudaStatus.INVALID_CONTEXT, call, "context " + hex(ctx)
                    + " is not a primary context retained through this binding (released already?)");
        }
        binding.ctxSetCurrent(ctx);
        contexts.setCurrent(ctx);
        boundHere(ctx);
    }

    /**
     * Whether the last context bound on the calling thread, through any seam, is {@code ctx} bound
     * through this one: then {@code cuCtxSetCurrent(ctx)} would change nothing.
     */
    public boolean isBoundHere(long ctx) {
        Bound b = BOUND_HERE.get();
        return b != null && b.seam() == this && b.context() == ctx && ctx != 0;
    }

    private void boundHere(long ctx) {
        if (ctx == 0) BOUND_HERE.remove();
        else BOUND_HERE.set(new Bound(this, ctx));
    }

    @Override public void ctxSynchronize() { open("cuCtxSynchronize"); binding.ctxSynchronize(); }

    // ---- memory ---------------------------------------------------------------------------------

    @Override public long[] memGetInfo() { open("cuMemGetInfo_v2"); return binding.memGetInfo(); }

    @Override
    public long memAlloc(long bytes) {
        String call = "cuMemAlloc_v2";
        open(call);
        if (bytes <= 0) throw refuse(CudaStatus.INVALID_VALUE, call, "cannot allocate " + bytes + " bytes; ask for at least 1");
        long ptr = binding.memAlloc(bytes);
        allocations.add(ptr, bytes, contexts.current());
        return ptr;
    }

    @Override
    public void memFree(long dptr) {
        String call = "cuMemFree_v2";
        open(call);
        allocations.remove(dptr, call);
        binding.memFree(dptr);
    }

    @Override
    public void memsetD8Async(long dptr, byte value, long count, long stream) {
        String call = "cuMemsetD8Async";
        open(call);
        allocations.requireRange(dptr, count, call, "destination");
        stream(stream, call);
        binding.memsetD8Async(dptr, value, count, stream);
    }

    @Override
    public void memsetD32Async(long dptr, int value, long count, long stream) {
        String call = "cuMemsetD32Async";
        open(call);
        if ((dptr & 3) != 0) throw refuse(CudaStatus.INVALID_VALUE, call, hex(dptr) + " is not 4-byte aligned");
        if (count < 0 || count > Long.MAX_VALUE / 4) {
            throw refuse(CudaStatus.INVALID_VALUE, call, "word count " + count + " is out of range");
        }
        allocations.requireRange(dptr, count * 4, call, "destination");
        stream(stream, call);
        binding.memsetD32Async(dptr, value, count, stream);
    }

    @Override
    public void memcpyHtoD(long dst, ByteBuffer src, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        open(call);
        allocations.requireRange(dst, bytes, call, "destination");
        HostBufferCheck.source(src, bytes, call);
        binding.memcpyHtoD(dst, src, bytes);
    }

    @Override
    public void memcpyDtoH(ByteBuffer dst, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        open(call);
        allocations.requireRange(src, bytes, call, "source");
        HostBufferCheck.destination(dst, bytes, call);
        binding.memcpyDtoH(dst, src, bytes);
    }

    /**
     * Refuses a device range outside one live allocation, a negative size and a zero host address.
     * The host side cannot be checked further: a raw address carries no extent, so that the
     * {@code bytes} bytes there are memory the caller owns and keeps alive is the caller's duty.
     */
    @Override
    public void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        open(call);
        allocations.requireRange(dst, bytes, call, "destination");
        requireHostAddress(hostAddress, bytes, call, "source");
        binding.memcpyHtoDFromAddress(dst, hostAddress, bytes);
    }

    /** The checks of {@link #memcpyHtoDFromAddress}, the device range being the source. */
    @Override
    public void memcpyDtoHToAddress(long hostAddress, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        open(call);
        allocations.requireRange(src, bytes, call, "source");
        requireHostAddress(hostAddress, bytes, call, "destination");
        binding.memcpyDtoHToAddress(hostAddress, src, bytes);
    }

    private static void requireHostAddress(long hostAddress, long bytes, String call, String what) {
        if (hostAddress == 0 && bytes > 0) {
            throw refuse(CudaStatus.INVALID_VALUE, call, what + " host address is null (0)");
        }
    }

    @Override
    public void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        String call = "cuMemcpyHtoDAsync_v2";
        open(call);
        allocations.requireRange(dst, bytes, call, "destination");
        stream(stream, call);
        HostBufferCheck.source(src, bytes, call);
        binding.memcpyHtoDAsync(dst, src, bytes, stream);
    }

    @Override
    public void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoHAsync_v2";
        open(call);
        allocations.requireRange(src, bytes, call, "source");
        stream(stream, call);
        HostBufferCheck.destination(dst, bytes, call);
        binding.memcpyDtoHAsync(dst, src, bytes, stream);
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoDAsync_v2";
        open(call);
        allocations.requireRange(dst, bytes, call, "destination");
        allocations.requireRange(src, bytes, call, "source");
        stream(stream, call);
        binding.memcpyDtoDAsync(dst, src, bytes, stream);
    }

    // ---- streams and events ---------------------------------------------------------------------

    private void stream(long stream, String call) { handles.requireStream(stream, contexts.current(), contexts, call); }

    private Handle use(Kind kind, long value, String call) {
        return handles.requireIn(kind, value, contexts.current(), contexts, call);
    }

    private long created(Kind kind, long value) {
        handles.add(new Handle(kind, value, contexts.current(), 0, null, null, null));
        return value;
    }

    @Override
    public long streamCreate() { open("cuStreamCreate"); return created(Kind.STREAM, binding.streamCreate()); }

    @Override
    public void streamSynchronize(long stream) {
        String call = "cuStreamSynchronize";
        open(call);
        stream(stream, call);
        binding.streamSynchronize(stream);
    }

    @Override
    public void streamDestroy(long stream) {
        String call = "cuStreamDestroy_v2";
        open(call);
        handles.remove(Kind.STREAM, stream, call);
        binding.streamDestroy(stream);
    }

    @Override
    public long eventCreate() { open("cuEventCreate"); return created(Kind.EVENT, binding.eventCreate()); }

    @Override
    public void eventRecord(long event, long stream) {
        String call = "cuEventRecord";
        open(call);
        use(Kind.EVENT, event, call);
        stream(stream, call);
        binding.eventRecord(event, stream);
    }

    @Override
    public void eventSynchronize(long event) {
        String call = "cuEventSynchronize";
        open(call);
        use(Kind.EVENT, event, call);
        binding.eventSynchronize(event);
    }

    @Override
    public float eventElapsedTime(long start, long end) {
        String call = "cuEventElapsedTime_v2";
        open(call);
        use(Kind.EVENT, start, call);
        use(Kind.EVENT, end, call);
        return binding.eventElapsedTime(start, end);
    }

    @Override
    public void eventDestroy(long event) {
        String call = "cuEventDestroy_v2";
        open(call);
        handles.remove(Kind.EVENT, event, call);
        binding.eventDestroy(event);
    }

    // ---- modules and launches -------------------------------------------------------------------

    @Override
    public long moduleLoadData(String ptx) {
        String call = "cuModuleLoadDataEx";
        open(call);
        if (ptx == null) throw refuse(CudaStatus.INVALID_VALUE, call, "the PTX text is null");
        long module = binding.moduleLoadData(ptx);
        handles.add(new Handle(Kind.MODULE, module, contexts.current(), 0, null, KernelSignatures.of(ptx), null));
        return module;
    }

    @Override
    public long moduleGetFunction(long module, String name) {
        String call = "cuModuleGetFunction";
        open(call);
        if (name == null) throw refuse(CudaStatus.INVALID_VALUE, call, "the kernel name is null");
        Handle owner = handles.require(Kind.MODULE, module, call);
        long f = binding.moduleGetFunction(module, name);
        handles.add(new Handle(Kind.FUNCTION, f, owner.context(), module, name, null, owner.kernels().get(name)));
        return f;
    }

    @Override
    public void moduleUnload(long module) {
        String call = "cuModuleUnload";
        open(call);
        handles.remove(Kind.MODULE, module, call);
        handles.removeChildren(module);
        binding.moduleUnload(module);
    }

    /**
     * Pointer arguments must be null or point into live memory of the current device (one past the
     * end is allowed: an empty view's data pointer); the arguments must match the kernel's declared
     * parameters in number and size.
     */
    @Override
    public void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                             int sharedBytes, long stream, KernelArgs args) {
        String call = "cuLaunchKernel";
        open(call);
        long current = contexts.current();
        Handle f = handles.requireIn(Kind.FUNCTION, function, current, contexts, call);
        handles.requireStream(stream, current, contexts, call);
        if (args == null) throw refuse(CudaStatus.INVALID_VALUE, call, "kernel '" + f.name() + "': the arguments are null");
        checkArgumentSizes(f, args);
        for (int i = 0; i < args.count(); i++) {
            if (args.kind(i) == KernelArgs.Kind.PTR) checkPointerArgument(f, i, args.scalar(i), current);
        }
        binding.launchKernel(function, gx, gy, gz, bx, by, bz, sharedBytes, stream, args);
    }

    private static void checkArgumentSizes(Handle f, KernelArgs args) {
        int[] params = f.params();
        if (params == null) return; // a declaration KernelSignatures does not read: the driver decides
        if (args.count() != params.length) {
            throw refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name() + "' declares " + params.length
                    + " parameters but was given " + args.count() + " arguments " + args + "; pass one per .param, in order");
        }
        for (int i = 0; i < params.length; i++) {
            if (args.size(i) != params[i]) {
                throw refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name() + "' argument " + i + " ("
                        + args.kind(i).name().toLowerCase(java.util.Locale.ROOT) + ") is " + args.size(i)
                        + " bytes but its .param is " + params[i] + " bytes; match the declared type");
            }
        }
    }

    private void checkPointerArgument(Handle f, int index, long ptr, long current) {
        if (ptr == 0) return;
        LiveAllocations.Allocation a = allocations.find(ptr);
        if (a == null) a = allocations.find(ptr - 1); // one past the end of a block
        if (a == null || ptr - a.base() > a.size()) {
            throw refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name() + "' argument " + index
                    + " (ptr): " + allocations.describe(ptr));
        }
        if (a.context() != 0 && current != 0 && a.context() != current) {
            throw refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name() + "' argument " + index
                    + " (ptr " + hex(ptr) + ") is memory of " + contexts.describe(a.context())
                    + " but the launch runs on " + contexts.describe(current) + "; move the tensor with to(device)");
        }
    }

    // ---- CUDA graphs ----------------------------------------------------------------------------

    @Override
    public void streamBeginCapture(long stream, int mode) {
        String call = "cuStreamBeginCapture_v2";
        open(call);
        stream(stream, call);
        binding.streamBeginCapture(stream, mode);
    }

    @Override
    public long streamEndCapture(long stream) {
        String call = "cuStreamEndCapture";
        open(call);
        stream(stream, call);
        return created(Kind.GRAPH, binding.streamEndCapture(stream));
    }

    @Override
    public long graphInstantiate(long graph) {
        String call = "cuGraphInstantiateWithFlags";
        open(call);
        use(Kind.GRAPH, graph, call);
        return created(Kind.GRAPH_EXEC, binding.graphInstantiate(graph));
    }

    @Override
    public void graphLaunch(long graphExec, long stream) {
        String call = "cuGraphLaunch";
        open(call);
        use(Kind.GRAPH_EXEC, graphExec, call);
        stream(stream, call);
        binding.graphLaunch(graphExec, stream);
    }

    @Override
    public void graphExecDestroy(long graphExec) {
        String call = "cuGraphExecDestroy";
        open(call);
        handles.remove(Kind.GRAPH_EXEC, graphExec, call);
        binding.graphExecDestroy(graphExec);
    }

    @Override
    public void graphDestroy(long graph) {
        String call = "cuGraphDestroy";
        open(call);
        handles.remove(Kind.GRAPH, graph, call);
        binding.graphDestroy(graph);
    }

    // ---- cuBLAS ---------------------------------------------------------------------------------

    @Override public boolean hasBlas() { return binding.hasBlas(); }
    @Override public int blasVersion() { open("cublasGetVersion_v2"); return binding.blasVersion(); }

    @Override
    public long blasCreate() { open("cublasCreate_v2"); return created(Kind.BLAS, binding.blasCreate()); }

    @Override
    public void blasDestroy(long handle) {
        String call = "cublasDestroy_v2";
        open(call);
        handles.remove(Kind.BLAS, handle, call);
        binding.blasDestroy(handle);
    }

    @Override
    public void blasSetStream(long handle, long stream) {
        String call = "cublasSetStream_v2";
        open(call);
        use(Kind.BLAS, handle, call);
        stream(stream, call);
        binding.blasSetStream(handle, stream);
    }

    @Override
    public void blasSetMathMode(long handle, int mode) {
        String call = "cublasSetMathMode";
        open(call);
        use(Kind.BLAS, handle, call);
        binding.blasSetMathMode(handle, mode);
    }

    @Override
    public void blasSgemm(long handle, int transa, int transb, int m, int n, int k,
                          float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        gemm("cublasSgemm_v2", handle, transa, transb, m, n, k, a, lda, 0, b, ldb, 0, c, ldc, 0, 1, Float.BYTES);
        binding.blasSgemm(handle, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void blasDgemm(long handle, int transa, int transb, int m, int n, int k,
                          double alpha, long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        gemm("cublasDgemm_v2", handle, transa, transb, m, n, k, a, lda, 0, b, ldb, 0, c, ldc, 0, 1, Double.BYTES);
        binding.blasDgemm(handle, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        float alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        float beta, long c, int ldc, long strideC, int batchCount) {
        gemm("cublasSgemmStridedBatched", handle, transa, transb, m, n, k, a, lda, strideA, b, ldb, strideB,
                c, ldc, strideC, batchCount, Float.BYTES);
        binding.blasSgemmStridedBatched(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount);
    }

    @Override
    public void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        double beta, long c, int ldc, long strideC, int batchCount) {
        gemm("cublasDgemmStridedBatched", handle, transa, transb, m, n, k, a, lda, strideA, b, ldb, strideB,
                c, ldc, strideC, batchCount, Double.BYTES);
        binding.blasDgemmStridedBatched(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                beta, c, ldc, strideC, batchCount);
    }

    /** The handle must be live and each operand inside live device memory ({@link GemmExtents}). */
    private void gemm(String call, long handle, int ta, int tb, int m, int n, int k, long a, int lda, long sA,
                      long b, int ldb, long sB, long c, int ldc, long sC, int batch, int elem) {
        open(call);
        use(Kind.BLAS, handle, call);
        GemmExtents.check(allocations, call, ta, tb, m, n, k, a, lda, sA, b, ldb, sB, c, ldc, sC, batch, elem);
    }

    // ---- lifetime -------------------------------------------------------------------------------

    /**
     * Destroys every handle still live (newest first, each with its own context current) and
     * releases every primary context reference still held; device memory goes with the last one.
     * Then closes the binding when it is {@link AutoCloseable} and refuses further calls. Failures
     * are collected so that one bad handle does not leak the rest; the first is thrown.
     */
    @Override
    public void close() {
        if (closed) return;
        List<RuntimeException> failures = new ArrayList<>();
        for (Handle h : handles.drain()) {
            try {
                if (h.kind() == Kind.FUNCTION) continue; // dies with its module
                if (h.context() != 0 && contexts.isLive(h.context())) {
                    binding.ctxSetCurrent(h.context());
                    boundHere(h.context());
                }
                destroy(h);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (int ordinal : contexts.drain()) {
            try {
                binding.primaryCtxRelease(ordinal);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            binding.ctxSetCurrent(0);
            boundHere(0);
        } catch (RuntimeException e) {
            // nothing was bound (say, the driver never initialised): nothing to unbind
        }
        contexts.setCurrent(0);
        allocations.clear();
        closed = true;
        if (binding instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failures.add(e);
            } catch (Exception e) {
                failures.add(new IllegalStateException("closing " + binding + " failed", e));
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            for (int i = 1; i < failures.size(); i++) first.addSuppressed(failures.get(i));
            throw first;
        }
    }

    private void destroy(Handle h) {
        switch (h.kind()) {
            case STREAM -> binding.streamDestroy(h.value());
            case EVENT -> binding.eventDestroy(h.value());
            case MODULE -> binding.moduleUnload(h.value());
            case BLAS -> binding.blasDestroy(h.value());
            case GRAPH -> binding.graphDestroy(h.value());
            case GRAPH_EXEC -> binding.graphExecDestroy(h.value());
            case FUNCTION -> { }
        }
    }

    @Override
    public String toString() { return binding + " (checked)"; }
}
