package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.flambeau.backend.cuda.ffm.CudaDriver_h.*;
import static io.flambeau.backend.cuda.ffm.StatusCheck.check;

/**
 * {@link CudaApi} over the real CUDA driver ({@code libcuda.so.1}) and cuBLAS through Panama FFM.
 *
 * <p>How it treats native resources, following cuVS-java's habits:
 * <ul>
 *   <li>Every call's temporaries (out-parameters, staged host data, the kernel parameter array, JIT
 *       log buffers) live in a confined {@link Arena} opened and closed by that call.</li>
 *   <li>Long-lived objects (streams, events, modules, cuBLAS handles) are {@link NativeHandle}
 *       owners that pair each create with its destroy; {@link #close()} destroys what is left, newest
 *       first, and releases the primary contexts still retained.</li>
 *   <li>Nothing the caller passes reaches native code unchecked: device pointers must lie in memory
 *       this binding allocated ({@link DeviceAllocations}), handles must be live ones it created
 *       ({@link HandleRegistry}), host buffers must be non-null and large enough ({@link HostBuffers}).
 *       A freed tensor, a destroyed stream or a pointer of another device is a typed
 *       {@link io.flambeau.backend.cuda.api.CudaException}, never a crash or a poisoned context.</li>
 *   <li>Every status passes through {@link StatusCheck}.</li>
 * </ul>
 *
 * <p>Async copies from or to a heap {@link ByteBuffer} are staged through native memory, so they
 * complete before returning (the staging memory dies with the call); direct buffers are truly
 * asynchronous. Created by {@link FfmCudaApiFactory}; one instance per JVM, like the driver itself.
 */
public final class FfmCudaApi implements CudaApi, AutoCloseable {
    final DeviceAllocations allocations = new DeviceAllocations();
    final HandleRegistry handles = new HandleRegistry();
    final Contexts contexts = new Contexts();
    private final KernelCalls kernels = new KernelCalls(this);
    private final GraphCalls graphs = new GraphCalls(this);
    private final BlasCalls blas;
    private volatile boolean closed;

    FfmCudaApi(boolean blasFound) {
        this.blas = new BlasCalls(this, blasFound);
    }

    /** Refuses every call once closed: the handles it would use are gone. */
    void ensureOpen(String call) {
        if (closed) throw StatusCheck.refuse(CudaStatus.DEINITIALIZED, call, "this FfmCudaApi was closed");
    }

    // ---- driver, devices ------------------------------------------------------------------------

    @Override
    public void init() {
        ensureOpen("cuInit");
        check(cuInit(0), "cuInit");
    }

    @Override
    public int driverVersion() {
        ensureOpen("cuDriverGetVersion");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_INT);
            check(cuDriverGetVersion(out), "cuDriverGetVersion");
            return out.get(C_INT, 0);
        }
    }

    @Override
    public int deviceCount() {
        ensureOpen("cuDeviceGetCount");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_INT);
            check(cuDeviceGetCount(out), "cuDeviceGetCount");
            return out.get(C_INT, 0);
        }
    }

    /** The {@code CUdevice} of an ordinal ({@code cuDeviceGet}). */
    private int device(int ordinal, Arena arena) {
        MemorySegment out = arena.allocate(C_INT);
        check(cuDeviceGet(out, ordinal), "cuDeviceGet", "device ordinal " + ordinal);
        return out.get(C_INT, 0);
    }

    @Override
    public String deviceName(int ordinal) {
        ensureOpen("cuDeviceGetName");
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment name = arena.allocate(256);
            check(cuDeviceGetName(name, 255, dev), "cuDeviceGetName");
            return name.getString(0);
        }
    }

    @Override
    public int deviceAttribute(int attribute, int ordinal) {
        ensureOpen("cuDeviceGetAttribute");
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment out = arena.allocate(C_INT);
            check(cuDeviceGetAttribute(out, attribute, dev), "cuDeviceGetAttribute", "attribute " + attribute);
            return out.get(C_INT, 0);
        }
    }

    @Override
    public long deviceTotalMem(int ordinal) {
        ensureOpen("cuDeviceTotalMem_v2");
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment out = arena.allocate(C_LONG);
            check(cuDeviceTotalMem_v2(out, dev), "cuDeviceTotalMem_v2");
            return out.get(C_LONG, 0);
        }
    }

    // ---- contexts -------------------------------------------------------------------------------

    @Override
    public long primaryCtxRetain(int ordinal) {
        ensureOpen("cuDevicePrimaryCtxRetain");
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuDevicePrimaryCtxRetain(out, dev), "cuDevicePrimaryCtxRetain");
            long ctx = out.get(C_POINTER, 0).address();
            contexts.retained(ordinal, ctx);
            return ctx;
        }
    }

    @Override
    public void primaryCtxRelease(int ordinal) {
        ensureOpen("cuDevicePrimaryCtxRelease_v2");
        if (!contexts.isRetained(ordinal)) {
            throw StatusCheck.refuse(CudaStatus.INVALID_CONTEXT, "cuDevicePrimaryCtxRelease_v2", "device " + ordinal
                    + "'s primary context holds no reference taken through this binding (released more often than retained?)");
        }
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            check(cuDevicePrimaryCtxRelease_v2(dev), "cuDevicePrimaryCtxRelease_v2");
        }
        long destroyed = contexts.released(ordinal);
        if (destroyed != 0) forgetContext(destroyed);
    }

    /** The driver destroyed a context with everything in it: forget its memory and handles. */
    private void forgetContext(long context) {
        allocations.removeContext(context);
        handles.abandonContext(context);
        if (contexts.current() == context) contexts.setCurrent(0);
    }

    @Override
    public void ctxSetCurrent(long ctx) {
        ensureOpen("cuCtxSetCurrent");
        if (ctx != 0 && !contexts.isLive(ctx)) {
            throw StatusCheck.refuse(CudaStatus.INVALID_CONTEXT, "cuCtxSetCurrent", "context 0x" + Long.toHexString(ctx)
                    + " is not a primary context retained through this binding (released already?)");
        }
        check(cuCtxSetCurrent(MemorySegment.ofAddress(ctx)), "cuCtxSetCurrent");
        contexts.setCurrent(ctx);
    }

    @Override
    public void ctxSynchronize() {
        ensureOpen("cuCtxSynchronize");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public long[] memGetInfo() {
        ensureOpen("cuMemGetInfo_v2");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(C_LONG), total = arena.allocate(C_LONG);
            check(cuMemGetInfo_v2(free, total), "cuMemGetInfo_v2");
            return new long[] {free.get(C_LONG, 0), total.get(C_LONG, 0)};
        }
    }

    @Override
    public long memAlloc(long bytes) {
        ensureOpen("cuMemAlloc_v2");
        if (bytes <= 0) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, "cuMemAlloc_v2", "cannot allocate " + bytes + " bytes");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_LONG_LONG);
            check(cuMemAlloc_v2(out, bytes), "cuMemAlloc_v2", "requested " + bytes + " bytes");
            long ptr = out.get(C_LONG_LONG, 0);
            allocations.add(ptr, bytes, contexts.current());
            return ptr;
        }
    }

    @Override
    public void memFree(long dptr) {
        ensureOpen("cuMemFree_v2");
        allocations.remove(dptr, "cuMemFree_v2");
        check(cuMemFree_v2(dptr), "cuMemFree_v2");
    }

    @Override
    public void memsetD8Async(long dptr, byte value, long count, long stream) {
        ensureOpen("cuMemsetD8Async");
        allocations.requireRange(dptr, count, "cuMemsetD8Async", "destination");
        handles.requireStream(stream, "cuMemsetD8Async");
        check(cuMemsetD8Async(dptr, value, count, MemorySegment.ofAddress(stream)), "cuMemsetD8Async");
    }

    @Override
    public void memsetD32Async(long dptr, int value, long count, long stream) {
        ensureOpen("cuMemsetD32Async");
        if ((dptr & 3) != 0) {
            throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, "cuMemsetD32Async", "0x" + Long.toHexString(dptr) + " is not 4-byte aligned");
        }
        if (count < 0 || count > Long.MAX_VALUE / 4) {
            throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, "cuMemsetD32Async", "word count " + count + " is out of range");
        }
        allocations.requireRange(dptr, count * 4, "cuMemsetD32Async", "destination");
        handles.requireStream(stream, "cuMemsetD32Async");
        check(cuMemsetD32Async(dptr, value, count, MemorySegment.ofAddress(stream)), "cuMemsetD32Async");
    }

    @Override
    public void memcpyHtoD(long dst, ByteBuffer src, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        ensureOpen(call);
        allocations.requireRange(dst, bytes, call, "destination");
        try (Arena arena = Arena.ofConfined()) {
            check(cuMemcpyHtoD_v2(dst, HostBuffers.source(src, bytes, arena, call), bytes), call);
        }
    }

    @Override
    public void memcpyDtoH(ByteBuffer dst, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        ensureOpen(call);
        allocations.requireRange(src, bytes, call, "source");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = HostBuffers.destination(dst, bytes, arena, call);
            check(cuMemcpyDtoH_v2(host, src, bytes), call);
            HostBuffers.complete(dst, host, bytes);
        }
    }

    @Override
    public void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        String call = "cuMemcpyHtoDAsync_v2";
        ensureOpen(call);
        allocations.requireRange(dst, bytes, call, "destination");
        handles.requireStream(stream, call);
        try (Arena arena = Arena.ofConfined()) {
            check(cuMemcpyHtoDAsync_v2(dst, HostBuffers.source(src, bytes, arena, call), bytes, MemorySegment.ofAddress(stream)), call);
            // a heap buffer was staged in this call's arena: the copy must finish before it closes
            if (!HostBuffers.isNative(src)) check(cuStreamSynchronize(MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
        }
    }

    @Override
    public void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoHAsync_v2";
        ensureOpen(call);
        allocations.requireRange(src, bytes, call, "source");
        handles.requireStream(stream, call);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = HostBuffers.destination(dst, bytes, arena, call);
            check(cuMemcpyDtoHAsync_v2(host, src, bytes, MemorySegment.ofAddress(stream)), call);
            if (!HostBuffers.isNative(dst)) {
                check(cuStreamSynchronize(MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
                HostBuffers.complete(dst, host, bytes);
            }
        }
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoDAsync_v2";
        ensureOpen(call);
        allocations.requireRange(dst, bytes, call, "destination");
        allocations.requireRange(src, bytes, call, "source");
        handles.requireStream(stream, call);
        check(cuMemcpyDtoDAsync_v2(dst, src, bytes, MemorySegment.ofAddress(stream)), call);
    }

    // ---- streams and events ---------------------------------------------------------------------

    @Override
    public long streamCreate() {
        ensureOpen("cuStreamCreate");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuStreamCreate(out, 0), "cuStreamCreate");
            long s = out.get(C_POINTER, 0).address();
            handles.add(new NativeHandle(NativeHandle.Kind.STREAM, s, contexts.current(), 0, null, "cuStreamDestroy_v2",
                    () -> cuStreamDestroy_v2(MemorySegment.ofAddress(s))));
            return s;
        }
    }

    @Override
    public void streamSynchronize(long stream) {
        ensureOpen("cuStreamSynchronize");
        handles.requireStream(stream, "cuStreamSynchronize");
        check(cuStreamSynchronize(MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
    }

    @Override
    public void streamDestroy(long stream) {
        ensureOpen("cuStreamDestroy_v2");
        handles.remove(NativeHandle.Kind.STREAM, stream, "cuStreamDestroy_v2").close();
    }

    @Override
    public long eventCreate() {
        ensureOpen("cuEventCreate");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuEventCreate(out, 0), "cuEventCreate");
            long e = out.get(C_POINTER, 0).address();
            handles.add(new NativeHandle(NativeHandle.Kind.EVENT, e, contexts.current(), 0, null, "cuEventDestroy_v2",
                    () -> cuEventDestroy_v2(MemorySegment.ofAddress(e))));
            return e;
        }
    }

    @Override
    public void eventRecord(long event, long stream) {
        ensureOpen("cuEventRecord");
        handles.require(NativeHandle.Kind.EVENT, event, "cuEventRecord");
        handles.requireStream(stream, "cuEventRecord");
        check(cuEventRecord(MemorySegment.ofAddress(event), MemorySegment.ofAddress(stream)), "cuEventRecord");
    }

    @Override
    public void eventSynchronize(long event) {
        ensureOpen("cuEventSynchronize");
        handles.require(NativeHandle.Kind.EVENT, event, "cuEventSynchronize");
        check(cuEventSynchronize(MemorySegment.ofAddress(event)), "cuEventSynchronize");
    }

    @Override
    public float eventElapsedTime(long start, long end) {
        ensureOpen("cuEventElapsedTime_v2");
        handles.require(NativeHandle.Kind.EVENT, start, "cuEventElapsedTime_v2");
        handles.require(NativeHandle.Kind.EVENT, end, "cuEventElapsedTime_v2");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_FLOAT);
            check(cuEventElapsedTime_v2(out, MemorySegment.ofAddress(start), MemorySegment.ofAddress(end)), "cuEventElapsedTime_v2");
            return out.get(C_FLOAT, 0);
        }
    }

    @Override
    public void eventDestroy(long event) {
        ensureOpen("cuEventDestroy_v2");
        handles.remove(NativeHandle.Kind.EVENT, event, "cuEventDestroy_v2").close();
    }

    // ---- modules and launches -------------------------------------------------------------------

    @Override
    public long moduleLoadData(String ptx) { return kernels.load(ptx); }

    @Override
    public long moduleGetFunction(long module, String name) { return kernels.function(module, name); }

    @Override
    public void moduleUnload(long module) { kernels.unload(module); }

    @Override
    public void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                             int sharedBytes, long stream, KernelArgs args) {
        kernels.launch(function, gx, gy, gz, bx, by, bz, sharedBytes, stream, args);
    }

    // ---- CUDA graphs (see GraphCalls) -----------------------------------------------------------

    @Override
    public void streamBeginCapture(long stream, int mode) { graphs.beginCapture(stream, mode); }

    @Override
    public long streamEndCapture(long stream) { return graphs.endCapture(stream); }

    @Override
    public long graphInstantiate(long graph) { return graphs.instantiate(graph); }

    @Override
    public void graphLaunch(long graphExec, long stream) { graphs.launch(graphExec, stream); }

    @Override
    public void graphExecDestroy(long graphExec) { graphs.destroyExec(graphExec); }

    @Override
    public void graphDestroy(long graph) { graphs.destroyGraph(graph); }

    @Override
    public String errorName(int code) { return StatusCheck.name(code); }

    @Override
    public String errorString(int code) { return StatusCheck.string(code); }

    // ---- cuBLAS ---------------------------------------------------------------------------------

    @Override
    public boolean hasBlas() { return blas.found(); }

    @Override
    public int blasVersion() { return blas.version(); }

    @Override
    public long blasCreate() { return blas.create(); }

    @Override
    public void blasDestroy(long handle) { blas.destroy(handle); }

    @Override
    public void blasSetStream(long handle, long stream) { blas.setStream(handle, stream); }

    @Override
    public void blasSetMathMode(long handle, int mode) { blas.setMathMode(handle, mode); }

    @Override
    public void blasSgemm(long handle, int transa, int transb, int m, int n, int k,
                          float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        blas.sgemm(handle, transa, transb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, false);
    }

    @Override
    public void blasDgemm(long handle, int transa, int transb, int m, int n, int k,
                          double alpha, long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        blas.dgemm(handle, transa, transb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1, false);
    }

    @Override
    public void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        float alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        float beta, long c, int ldc, long strideC, int batchCount) {
        blas.sgemm(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, true);
    }

    @Override
    public void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                        double beta, long c, int ldc, long strideC, int batchCount) {
        blas.dgemm(handle, transa, transb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, true);
    }

    // ---- lifetime -------------------------------------------------------------------------------

    /** Live allocations made through this binding (for leak checks and the doctor). */
    public int liveAllocations() { return allocations.count(); }

    /**
     * Destroys every handle still open (newest first) and releases every primary context reference
     * still held; then refuses further calls. Device memory goes with the last context reference.
     * Failures are collected so that one bad handle does not leak the rest; the first is thrown.
     */
    @Override
    public void close() {
        if (closed) return;
        List<RuntimeException> failures = new ArrayList<>();
        for (NativeHandle h : handles.drain()) {
            try {
                // destroy calls act on the current context: make the handle's own current first
                if (h.context != 0 && contexts.isLive(h.context)) check(cuCtxSetCurrent(MemorySegment.ofAddress(h.context)), "cuCtxSetCurrent");
                h.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (int ordinal : contexts.drain()) {
            try (Arena arena = Arena.ofConfined()) {
                check(cuDevicePrimaryCtxRelease_v2(device(ordinal, arena)), "cuDevicePrimaryCtxRelease_v2");
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        cuCtxSetCurrent(MemorySegment.NULL);
        contexts.setCurrent(0);
        closed = true;
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            for (int i = 1; i < failures.size(); i++) first.addSuppressed(failures.get(i));
            throw first;
        }
    }
}
