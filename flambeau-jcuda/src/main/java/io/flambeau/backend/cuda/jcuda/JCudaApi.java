package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.flambeau.backend.cuda.jcuda.JCudaHandles.devicePointer;
import static io.flambeau.backend.cuda.jcuda.JCudaHandles.stream;
import static io.flambeau.backend.cuda.jcuda.JCudaHandles.value;
import static io.flambeau.backend.cuda.jcuda.JCudaStatus.check;

/**
 * {@link CudaApi} through JCuda: the driver API via {@code JCudaDriver}, cuBLAS via {@code JCublas2}
 * (the v2 API, handle-based, host pointer mode).
 *
 * <p>JCuda's own exceptions are off; every driver status goes through {@link JCudaStatus#check} and
 * every cuBLAS status through {@link CublasStatus#check}, so failures read exactly as in the FFM
 * binding. Like the FFM binding it translates and checks no argument: it is used behind the
 * checked seam ({@code CheckedCudaApi}). Handles cross as {@code long} and are turned into JCuda objects per call
 * ({@link JCudaHandles}); host memory is a {@link ByteBuffer} at its position ({@link HostPointers}).
 *
 * <p>Choose it with {@code -Dflambeau.cuda.binding=jcuda}; {@link #open()} says precisely what is
 * missing when JCuda cannot start.
 */
public final class JCudaApi implements CudaApi {
    /** {@code cuDeviceGetName} writes at most this many bytes (the driver's names are far shorter). */
    private static final int NAME_BYTES = 256;
    /** JIT error log size: enough for every message of a broken generated kernel. */
    private static final int JIT_LOG_BYTES = 16 * 1024;

    private final int driverVersion;
    /** Null when cuBLAS is usable, else why it is not (every {@code blas*} call says so). */
    private final String blasMissing;
    /** {@code CUdevice} per ordinal, from {@code cuDeviceGet} (never assumed equal to the ordinal). */
    private volatile CUdevice[] devices = new CUdevice[0];

    private JCudaApi(int driverVersion, String blasMissing) {
        this.driverVersion = driverVersion;
        this.blasMissing = blasMissing;
    }

    /**
     * Loads JCuda (driver and, where present, cuBLAS), checks the driver version and calls
     * {@code cuInit}. Prefer {@link JCudaApiFactory}, which does this once per JVM.
     *
     * @throws JCudaUnavailableException naming what was found and what JCuda needs
     */
    public static JCudaApi open() {
        int version = JCudaLibraries.openDriver();
        return new JCudaApi(version, JCudaLibraries.openBlas());
    }

    /** Why cuBLAS is unavailable through JCuda, or null when it is available. */
    public String blasUnavailableReason() { return blasMissing; }

    // ---- driver, devices ------------------------------------------------------------------------

    @Override
    public void init() { check(JCudaDriver.cuInit(0), "cuInit"); }

    @Override
    public int driverVersion() {
        int[] v = new int[1];
        check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    @Override
    public int deviceCount() {
        int[] n = new int[1];
        check(JCudaDriver.cuDeviceGetCount(n), "cuDeviceGetCount");
        return n[0];
    }

    private CUdevice device(int ordinal) {
        CUdevice[] known = devices;
        if (ordinal >= 0 && ordinal < known.length && known[ordinal] != null) return known[ordinal];
        CUdevice d = new CUdevice();
        check(JCudaDriver.cuDeviceGet(d, ordinal), "cuDeviceGet");
        synchronized (this) {
            CUdevice[] grown = java.util.Arrays.copyOf(devices, Math.max(devices.length, ordinal + 1));
            grown[ordinal] = d;
            devices = grown;
        }
        return d;
    }

    @Override
    public String deviceName(int ordinal) {
        byte[] name = new byte[NAME_BYTES];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device(ordinal)), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public int deviceAttribute(int attribute, int ordinal) {
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, attribute, device(ordinal)), "cuDeviceGetAttribute");
        return v[0];
    }

    @Override
    public long deviceTotalMem(int ordinal) {
        long[] bytes = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(bytes, device(ordinal)), "cuDeviceTotalMem_v2");
        return bytes[0];
    }

    // ---- contexts -------------------------------------------------------------------------------

    @Override
    public long primaryCtxRetain(int ordinal) {
        CUcontext ctx = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device(ordinal)), "cuDevicePrimaryCtxRetain");
        return value(ctx);
    }

    @Override
    public void primaryCtxRelease(int ordinal) {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device(ordinal)), "cuDevicePrimaryCtxRelease_v2");
    }

    @Override
    public void ctxSetCurrent(long ctx) {
        // JCuda refuses a null CUcontext; a handle whose value is 0 passes NULL, which unbinds.
        check(JCudaDriver.cuCtxSetCurrent(JCudaHandles.context(ctx)), "cuCtxSetCurrent");
    }

    @Override
    public void ctxSynchronize() { check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize"); }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public long[] memGetInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo_v2");
        return new long[] {free[0], total[0]};
    }

    @Override
    public long memAlloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        check(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc_v2");
        return value(p);
    }

    @Override
    public void memFree(long dptr) { check(JCudaDriver.cuMemFree(devicePointer(dptr)), "cuMemFree_v2"); }

    @Override
    public void memsetD8Async(long dptr, byte value, long count, long stream) {
        check(JCudaDriver.cuMemsetD8Async(devicePointer(dptr), value, count, stream(stream)), "cuMemsetD8Async");
    }

    @Override
    public void memsetD32Async(long dptr, int value, long count, long stream) {
        check(JCudaDriver.cuMemsetD32Async(devicePointer(dptr), value, count, stream(stream)), "cuMemsetD32Async");
    }

    @Override
    public void memcpyHtoD(long dst, ByteBuffer src, long bytes) {
        String call = "cuMemcpyHtoD_v2";
        check(JCudaDriver.cuMemcpyHtoD(devicePointer(dst), HostPointers.source(src, bytes), bytes), call);
    }

    @Override
    public void memcpyDtoH(ByteBuffer dst, long src, long bytes) {
        String call = "cuMemcpyDtoH_v2";
        check(JCudaDriver.cuMemcpyDtoH(HostPointers.destination(dst), devicePointer(src), bytes), call);
    }

    @Override
    public void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes) {
        check(JCudaDriver.cuMemcpyHtoD(devicePointer(dst), HostPointers.at(hostAddress), bytes), "cuMemcpyHtoD_v2");
    }

    @Override
    public void memcpyDtoHToAddress(long hostAddress, long src, long bytes) {
        check(JCudaDriver.cuMemcpyDtoH(HostPointers.at(hostAddress), devicePointer(src), bytes), "cuMemcpyDtoH_v2");
    }

    @Override
    public void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream) {
        String call = "cuMemcpyHtoDAsync_v2";
        check(JCudaDriver.cuMemcpyHtoDAsync(devicePointer(dst), HostPointers.source(src, bytes), bytes,
                stream(stream)), call);
    }

    @Override
    public void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream) {
        String call = "cuMemcpyDtoHAsync_v2";
        check(JCudaDriver.cuMemcpyDtoHAsync(HostPointers.destination(dst), devicePointer(src), bytes,
                stream(stream)), call);
    }

    @Override
    public void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        check(JCudaDriver.cuMemcpyDtoDAsync(devicePointer(dst), devicePointer(src), bytes, stream(stream)),
                "cuMemcpyDtoDAsync_v2");
    }

    // ---- streams and events ---------------------------------------------------------------------

    @Override
    public long streamCreate() {
        CUstream s = new CUstream();
        check(JCudaDriver.cuStreamCreate(s, 0), "cuStreamCreate"); // CU_STREAM_DEFAULT
        return value(s);
    }

    @Override
    public void streamSynchronize(long stream) {
        check(JCudaDriver.cuStreamSynchronize(stream(stream)), "cuStreamSynchronize");
    }

    @Override
    public void streamDestroy(long stream) {
        check(JCudaDriver.cuStreamDestroy(stream(stream)), "cuStreamDestroy_v2");
    }

    @Override
    public long eventCreate() {
        CUevent e = new CUevent();
        check(JCudaDriver.cuEventCreate(e, 0), "cuEventCreate"); // CU_EVENT_DEFAULT: timing enabled
        return value(e);
    }

    @Override
    public void eventRecord(long event, long stream) {
        check(JCudaDriver.cuEventRecord(JCudaHandles.event(event), stream(stream)), "cuEventRecord");
    }

    @Override
    public void eventSynchronize(long event) {
        check(JCudaDriver.cuEventSynchronize(JCudaHandles.event(event)), "cuEventSynchronize");
    }

    @Override
    public float eventElapsedTime(long start, long end) {
        float[] ms = new float[1];
        check(JCudaDriver.cuEventElapsedTime(ms, JCudaHandles.event(start), JCudaHandles.event(end)),
                "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public void eventDestroy(long event) {
        check(JCudaDriver.cuEventDestroy(JCudaHandles.event(event)), "cuEventDestroy_v2");
    }

    // ---- modules and launches -------------------------------------------------------------------

    @Override
    public long moduleLoadData(String ptx) {
        byte[] text = ptx.getBytes(StandardCharsets.UTF_8);
        byte[] image = java.util.Arrays.copyOf(text, text.length + 1); // NUL-terminated, as the driver reads PTX
        JITOptions options = new JITOptions();
        options.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[JIT_LOG_BYTES]);
        options.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, JIT_LOG_BYTES);
        CUmodule module = new CUmodule();
        int status = JCudaDriver.cuModuleLoadDataJIT(module, Pointer.to(image), options);
        if (status != CudaStatus.SUCCESS) {
            String log = options.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            throw JCudaStatus.error(status, "cuModuleLoadDataEx", null, log == null ? "" : log.strip());
        }
        return value(module);
    }

    @Override
    public long moduleGetFunction(long module, String name) {
        CUfunction f = new CUfunction();
        int status = JCudaDriver.cuModuleGetFunction(f, JCudaHandles.module(module), name);
        if (status != CudaStatus.SUCCESS) {
            throw JCudaStatus.error(status, "cuModuleGetFunction", "kernel '" + name + "'", null);
        }
        return value(f);
    }

    @Override
    public void moduleUnload(long module) {
        check(JCudaDriver.cuModuleUnload(JCudaHandles.module(module)), "cuModuleUnload");
    }

    // ---- CUDA graphs (JCuda 12's cuStreamBeginCapture binds cuStreamBeginCapture_v2 and its
    // cuGraphInstantiate binds cuGraphInstantiateWithFlags, as cuda.h 12 maps those names) -------

    @Override
    public void streamBeginCapture(long stream, int mode) {
        check(JCudaDriver.cuStreamBeginCapture(stream(stream), mode), "cuStreamBeginCapture_v2");
    }

    @Override
    public long streamEndCapture(long stream) {
        jcuda.driver.CUgraph g = new jcuda.driver.CUgraph();
        int status = JCudaDriver.cuStreamEndCapture(stream(stream), g);
        if (status != CudaStatus.SUCCESS && value(g) != 0) JCudaDriver.cuGraphDestroy(g);
        check(status, "cuStreamEndCapture");
        return value(g);
    }

    @Override
    public long graphInstantiate(long graph) {
        jcuda.driver.CUgraphExec exec = new jcuda.driver.CUgraphExec();
        check(JCudaDriver.cuGraphInstantiate(exec, JCudaHandles.graph(graph), 0L), "cuGraphInstantiateWithFlags");
        return value(exec);
    }

    @Override
    public void graphLaunch(long graphExec, long stream) {
        check(JCudaDriver.cuGraphLaunch(JCudaHandles.graphExec(graphExec), stream(stream)), "cuGraphLaunch");
    }

    @Override
    public void graphExecDestroy(long graphExec) {
        check(JCudaDriver.cuGraphExecDestroy(JCudaHandles.graphExec(graphExec)), "cuGraphExecDestroy");
    }

    @Override
    public void graphDestroy(long graph) {
        check(JCudaDriver.cuGraphDestroy(JCudaHandles.graph(graph)), "cuGraphDestroy");
    }

    @Override
    public void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                             int sharedBytes, long stream, KernelArgs args) {
        int status = JCudaDriver.cuLaunchKernel(JCudaHandles.function(function), gx, gy, gz, bx, by, bz,
                sharedBytes, stream(stream), KernelParams.of(args), null);
        if (status != CudaStatus.SUCCESS) {
            throw JCudaStatus.error(status, "cuLaunchKernel", "grid (" + gx + ", " + gy + ", " + gz + "), block ("
                    + bx + ", " + by + ", " + bz + "), " + sharedBytes + " shared bytes, args " + args, null);
        }
    }

    @Override
    public String errorName(int code) {
        String[] s = new String[1];
        return JCudaDriver.cuGetErrorName(code, s) == CudaStatus.SUCCESS && s[0] != null ? s[0] : CudaStatus.name(code);
    }

    @Override
    public String errorString(int code) {
        String[] s = new String[1];
        return JCudaDriver.cuGetErrorString(code, s) == CudaStatus.SUCCESS && s[0] != null ? s[0] : CudaStatus.string(code);
    }

    // ---- cuBLAS ---------------------------------------------------------------------------------

    @Override
    public boolean hasBlas() { return blasMissing == null; }

    private void requireBlas(String call) {
        if (blasMissing != null) throw new CublasException(call, CublasStatus.NOT_INITIALIZED, blasMissing);
    }

    @Override
    public int blasVersion() {
        requireBlas("cublasGetVersion_v2");
        int[] v = new int[1];
        CublasStatus.check(JCublas2.cublasGetVersion(new cublasHandle(), v), "cublasGetVersion_v2");
        return v[0];
    }

    @Override
    public long blasCreate() {
        requireBlas("cublasCreate_v2");
        cublasHandle h = new cublasHandle();
        CublasStatus.check(JCublas2.cublasCreate(h), "cublasCreate_v2");
        return value(h);
    }

    @Override
    public void blasDestroy(long handle) {
        requireBlas("cublasDestroy_v2");
        CublasStatus.check(JCublas2.cublasDestroy(JCudaHandles.blasHandle(handle)), "cublasDestroy_v2");
    }

    @Override
    public void blasSetStream(long handle, long stream) {
        requireBlas("cublasSetStream_v2");
        CublasStatus.check(JCublas2.cublasSetStream(JCudaHandles.blasHandle(handle), JCudaHandles.runtimeStream(stream)),
                "cublasSetStream_v2");
    }

    @Override
    public void blasSetMathMode(long handle, int mode) {
        requireBlas("cublasSetMathMode");
        CublasStatus.check(JCublas2.cublasSetMathMode(JCudaHandles.blasHandle(handle), mode), "cublasSetMathMode");
    }

    @Override
    public void blasSgemm(long handle, int transa, int transb, int m, int n, int k,
                          float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        requireBlas("cublasSgemm_v2");
        CublasStatus.check(JCublas2.cublasSgemm(JCudaHandles.blasHandle(handle), transa, transb, m, n, k,
                Pointer.to(new float[] {alpha}), devicePointer(a), lda, devicePointer(b), ldb,
                Pointer.to(new float[] {beta}), devicePointer(c), ldc), "cublasSgemm_v2");
    }

    @Override
    public void blasDgemm(long handle, int transa, int transb, int m, int n, int k,
                          double alpha, long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        requireBlas("cublasDgemm_v2");
        CublasStatus.check(JCublas2.cublasDgemm(JCudaHandles.blasHandle(handle), transa, transb, m, n, k,
                Pointer.to(new double[] {alpha}), devicePointer(a), lda, devicePointer(b), ldb,
                Pointer.to(new double[] {beta}), devicePointer(c), ldc), "cublasDgemm_v2");
    }

    @Override
    public void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        float alpha, long a, int lda, long strideA,
                                        long b, int ldb, long strideB,
                                        float beta, long c, int ldc, long strideC, int batchCount) {
        requireBlas("cublasSgemmStridedBatched");
        CublasStatus.check(JCublas2.cublasSgemmStridedBatched(JCudaHandles.blasHandle(handle), transa, transb, m, n, k,
                Pointer.to(new float[] {alpha}), devicePointer(a), lda, strideA, devicePointer(b), ldb, strideB,
                Pointer.to(new float[] {beta}), devicePointer(c), ldc, strideC, batchCount), "cublasSgemmStridedBatched");
    }

    @Override
    public void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                        double alpha, long a, int lda, long strideA,
                                        long b, int ldb, long strideB,
                                        double beta, long c, int ldc, long strideC, int batchCount) {
        requireBlas("cublasDgemmStridedBatched");
        CublasStatus.check(JCublas2.cublasDgemmStridedBatched(JCudaHandles.blasHandle(handle), transa, transb, m, n, k,
                Pointer.to(new double[] {alpha}), devicePointer(a), lda, strideA, devicePointer(b), ldb, strideB,
                Pointer.to(new double[] {beta}), devicePointer(c), ldc, strideC, batchCount), "cublasDgemmStridedBatched");
    }

    @Override
    public String toString() {
        return "JCuda " + JCudaLibraries.JCUDA_VERSION + " (driver CUDA " + JCudaLibraries.cudaVersion(driverVersion)
                + (blasMissing == null ? ", cuBLAS" : ", no cuBLAS: " + blasMissing) + ")";
    }
}
