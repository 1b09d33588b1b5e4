package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static io.flambeau.backend.cuda.ffm.CudaDriver_h.*;
import static io.flambeau.backend.cuda.ffm.StatusCheck.check;

/**
 * {@link CudaApi} over the real CUDA driver ({@code libcuda.so.1}) and cuBLAS through Panama FFM.
 *
 * <p>How it treats native resources, following cuVS-java's habits:
 * <ul>
 *   <li>Every call's temporaries (out-parameters, staged host data, the kernel parameter array, JIT
 *       log buffers) live in a confined {@link Arena} opened and closed by that call.</li>
 *   <li>It translates calls and checks nothing the caller passes: it is only ever handed out behind
 *       {@link io.flambeau.backend.cuda.checked.CheckedCudaApi}, which refuses freed or foreign
 *       pointers, destroyed handles and short host buffers before they reach native code, and which
 *       destroys the handles left at its close.</li>
 *   <li>Every status passes through {@link StatusCheck}.</li>
 * </ul>
 *
 * <p>Async copies from or to a heap {@link ByteBuffer} are staged through native memory, so they
 * complete before returning (the staging memory dies with the call); direct buffers are truly
 * asynchronous. Created by {@link FfmCudaApiFactory}; one instance per JVM, like the driver itself.
 */
public final class FfmCudaApi implements CudaApi {
    private final KernelCalls kernels = new KernelCalls();
    private final GraphCalls graphs = new GraphCalls();
    private final BlasCalls blas;

    FfmCudaApi(boolean blasFound) {
        this.blas = new BlasCalls(blasFound);
    }

    // ---- driver, devices ------------------------------------------------------------------------

    @Override
    public void init() {
        check(cuInit(0), "cuInit");
    }

    @Override
    public int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_INT);
            check(cuDriverGetVersion(out), "cuDriverGetVersion");
            return out.get(C_INT, 0);
        }
    }

    @Override
    public int deviceCount() {
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
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment name = arena.allocate(256);
            check(cuDeviceGetName(name, 255, dev), "cuDeviceGetName");
            return name.getString(0);
        }
    }

    @Override
    public int deviceAttribute(int attribute, int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment out = arena.allocate(C_INT);
            check(cuDeviceGetAttribute(out, attribute, dev), "cuDeviceGetAttribute", "attribute " + attribute);
            return out.get(C_INT, 0);
        }
    }

    @Override
    public long deviceTotalMem(int ordinal) {
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
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuDevicePrimaryCtxRetain(out, dev), "cuDevicePrimaryCtxRetain");
            return out.get(C_POINTER, 0).address();
        }
    }

    @Override
    public void primaryCtxRelease(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            int dev = device(ordinal, arena);
            check(cuDevicePrimaryCtxRelease_v2(dev), "cuDevicePrimaryCtxRelease_v2");
        }
    }

    @Override
    public void ctxSetCurrent(long ctx) {
        check(cuCtxSetCurrent(MemorySegment.ofAddress(ctx)), "cuCtxSetCurrent");
    }

    @Override
    public void ctxSynchronize() {
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public long[] memGetInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(C_LONG), total = arena.allocate(C_LONG);
            check(cuMemGetInfo_v2(free, total), "cuMemGetInfo_v2");
            return new long[] {free.get(C_LONG, 0), total.get(C_LONG, 0)};
        }
    }

    @Override
    public long memAlloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_LONG_LONG);
            check(cuMemAlloc_v2(out, bytes), "cuMemAlloc_v2", "requested " + bytes + " bytes");
            return out.get(C_LONG_LONG, 0);
        }
    }

    @Override
    public void memFree(long dptr) {
        check(cuMemFree_v2(dptr), "cuMemFree_v2");
    }

    @Override
    public void memsetD8Async(long dptr, byte value, long count, long stream) {
        check(cuMemsetD8Async(dptr, value, count, MemorySegment.ofAddress(stream)), "cuMemsetD8Async");
    }

    @Override
    public void memsetD32Async(long dptr, int value, long count, long stream) {
        check(cuMemsetD32Async(dptr, value, count, MemorySegment.ofAddress(stream)), "cuMemsetD32Async");
    }

    @Override
    public void memcpyHtoD(long dst, ByteBuffer src, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        try (Arena arena = Arena.ofConfined()) {
            check(cuMemcpyHtoD_v2(dst, HostBuffers.source(src, bytes, arena), bytes), call);
        }
    }

    @Override
    public void memcpyDtoH(ByteBuffer dst, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = HostBuffers.destination(dst, bytes, arena);
            check(cuMemcpyDtoH_v2(host, src, bytes), call);
            HostBuffers.complete(dst, host, bytes);
        }
    }

    /** The address passes to the driver as the host pointer itself: no staging, no arena. */
    @Override
    public void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes) {
        check(cuMemcpyHtoD_v2(dst, MemorySegment.ofAddress(hostAddress), bytes), "cuMemcpyHtoD_v2");
    }

    /** The address passes to the driver as the host pointer itself: no staging, no arena. */
    @Override
    public void memcpyDtoHToAddress(long hostAddress, long src, long bytes) {
        check(cuMemcpyDtoH_v2(MemorySegment.ofAddress(hostAddress), src, bytes), "cuMemcpyDtoH_v2");
    }

    @Override
    public void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        String call = "cuMemcpyHtoDAsync_v2";
        try (Arena arena = Arena.ofConfined()) {
            check(cuMemcpyHtoDAsync_v2(dst, HostBuffers.source(src, bytes, arena), bytes, MemorySegment.ofAddress(stream)), call);
            // a heap buffer was staged in this call's arena: the copy must finish before it closes
            if (!HostBuffers.isNative(src)) check(cuStreamSynchronize(MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
        }
    }

    @Override
    public void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoHAsync_v2";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = HostBuffers.destination(dst, bytes, arena);
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
        check(cuMemcpyDtoDAsync_v2(dst, src, bytes, MemorySegment.ofAddress(stream)), call);
    }

    // ---- streams and events ---------------------------------------------------------------------

    @Override
    public long streamCreate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuStreamCreate(out, 0), "cuStreamCreate");
            return out.get(C_POINTER, 0).address();
        }
    }

    @Override
    public void streamSynchronize(long stream) {
        check(cuStreamSynchronize(MemorySegment.ofAddress(stream)), "cuStreamSynchronize");
    }

    @Override
    public void streamDestroy(long stream) {
        check(cuStreamDestroy_v2(MemorySegment.ofAddress(stream)), "cuStreamDestroy_v2");
    }

    @Override
    public long eventCreate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuEventCreate(out, 0), "cuEventCreate");
            return out.get(C_POINTER, 0).address();
        }
    }

    @Override
    public void eventRecord(long event, long stream) {
        check(cuEventRecord(MemorySegment.ofAddress(event), MemorySegment.ofAddress(stream)), "cuEventRecord");
    }

    @Override
    public void eventSynchronize(long event) {
        check(cuEventSynchronize(MemorySegment.ofAddress(event)), "cuEventSynchronize");
    }

    @Override
    public float eventElapsedTime(long start, long end) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_FLOAT);
            check(cuEventElapsedTime_v2(out, MemorySegment.ofAddress(start), MemorySegment.ofAddress(end)), "cuEventElapsedTime_v2");
            return out.get(C_FLOAT, 0);
        }
    }

    @Override
    public void eventDestroy(long event) {
        check(cuEventDestroy_v2(MemorySegment.ofAddress(event)), "cuEventDestroy_v2");
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
}
