package io.flambeau.backend.cuda.api;

import java.nio.ByteBuffer;

/**
 * The CUDA driver API and cuBLAS calls Flambeau's CUDA backend uses: the seam that lets one backend
 * run on the real driver (Panama FFM or JCuda bindings) and on the simulated device in tests.
 *
 * <p>Conventions shared by every implementation:
 * <ul>
 *   <li>Handles (contexts, streams, events, modules, functions, cuBLAS handles) and device pointers
 *       are {@code long}. Stream {@code 0} is the legacy default stream.</li>
 *   <li>Failures throw {@link CudaException} (driver) or {@link CublasException} (cuBLAS) naming the
 *       C function listed on each method; nothing returns a status. Bindings are used behind
 *       {@code CheckedCudaApi}, which refuses arguments that cannot be right (freed or foreign
 *       pointers, destroyed handles, short host buffers, wrong kernel arguments) with a
 *       {@link CudaMisuseException} before the binding sees them; a binding itself translates.</li>
 *   <li>Calls after {@link #init()} that touch memory, streams, events, modules or launches act on
 *       the context current on the calling thread ({@link #ctxSetCurrent}); without one they fail
 *       with {@code CUDA_ERROR_INVALID_CONTEXT}.</li>
 *   <li>Host memory is a {@link ByteBuffer}, heap or direct, holding little-endian data. Copies read
 *       or write {@code bytes} bytes starting at the buffer's position and leave its position
 *       unchanged; fewer than {@code bytes} remaining is {@code CUDA_ERROR_INVALID_VALUE}. Two
 *       synchronous copies take a raw host address instead ({@link #memcpyHtoDFromAddress},
 *       {@link #memcpyDtoHToAddress}), for off-heap memory Flambeau owns.</li>
 *   <li>Work enqueued on a stream runs in enqueue order; results are visible to the host after
 *       {@link #streamSynchronize}, {@link #ctxSynchronize} or a synchronous copy.</li>
 *   <li>cuBLAS uses host pointer mode: {@code alpha} and {@code beta} are host values. Matrices are
 *       column-major, exactly as in cuBLAS.</li>
 * </ul>
 */
public interface CudaApi {
    /** {@code cublasOperation_t}: use the matrix as stored. */
    int CUBLAS_OP_N = 0;
    /** {@code cublasOperation_t}: use the transpose of the matrix as stored. */
    int CUBLAS_OP_T = 1;
    /** {@code cublasMath_t}: FP32 arithmetic for FP32 GEMM. */
    int CUBLAS_DEFAULT_MATH = 0;
    /** {@code cublasMath_t}: allow TF32 tensor cores for FP32 GEMM (compute capability 8.0+). */
    int CUBLAS_TF32_TENSOR_OP_MATH = 3;

    // ---- driver, devices ------------------------------------------------------------------------

    /** {@code cuInit(0)}. Must precede every other call except {@link #errorName}/{@link #errorString}. */
    void init();

    /** {@code cuDriverGetVersion}: e.g. 12040 for CUDA 12.4. */
    int driverVersion();

    /** {@code cuDeviceGetCount}. */
    int deviceCount();

    /** {@code cuDeviceGet} + {@code cuDeviceGetName}. */
    String deviceName(int ordinal);

    /** {@code cuDeviceGetAttribute}; {@code attribute} is a {@link CuDeviceAttribute} number. */
    int deviceAttribute(int attribute, int ordinal);

    /** {@code cuDeviceTotalMem_v2}: bytes of device memory. */
    long deviceTotalMem(int ordinal);

    // ---- contexts -------------------------------------------------------------------------------

    /** {@code cuDevicePrimaryCtxRetain}: the device's primary context, reference-counted. */
    long primaryCtxRetain(int ordinal);

    /** {@code cuDevicePrimaryCtxRelease_v2}: the last release destroys the context and its memory. */
    void primaryCtxRelease(int ordinal);

    /** {@code cuCtxSetCurrent}: binds {@code ctx} to the calling thread ({@code 0} unbinds). */
    void ctxSetCurrent(long ctx);

    /** {@code cuCtxSynchronize}: waits for all work in the current context. */
    void ctxSynchronize();

    // ---- memory ---------------------------------------------------------------------------------

    /** {@code cuMemGetInfo_v2}: {@code {free, total}} bytes on the current context's device. */
    long[] memGetInfo();

    /** {@code cuMemAlloc_v2}: {@code bytes > 0}; the pointer is at least 256-byte aligned. */
    long memAlloc(long bytes);

    /** {@code cuMemFree_v2}: {@code dptr} must be a pointer {@link #memAlloc} returned. */
    void memFree(long dptr);

    /** {@code cuMemsetD8Async}: sets {@code count} bytes to {@code value}. */
    void memsetD8Async(long dptr, byte value, long count, long stream);

    /** {@code cuMemsetD32Async}: sets {@code count} 32-bit words; {@code dptr} 4-byte aligned. */
    void memsetD32Async(long dptr, int value, long count, long stream);

    /** {@code cuMemcpyHtoD_v2}: synchronous host-to-device copy. */
    void memcpyHtoD(long dst, ByteBuffer src, long bytes);

    /** {@code cuMemcpyDtoH_v2}: synchronous device-to-host copy (waits for prior work). */
    void memcpyDtoH(ByteBuffer dst, long src, long bytes);

    /** {@code cuMemcpyHtoDAsync_v2}: {@code src} must stay untouched until the stream reaches it. */
    void memcpyHtoDAsync(long dst, ByteBuffer src, long bytes, long stream);

    /** {@code cuMemcpyDtoHAsync_v2}: {@code dst} is valid after the stream is synchronised. */
    void memcpyDtoHAsync(ByteBuffer dst, long src, long bytes, long stream);

    /**
     * {@code cuMemcpyHtoD_v2} from raw host memory: {@code bytes} bytes at {@code hostAddress} (native
     * byte order, little-endian on every platform CUDA runs on) to the device, synchronously. For
     * host memory Flambeau owns (the C heap behind an off-heap CPU storage), which has no
     * {@link ByteBuffer}: the caller must keep that memory allocated and unwritten until this call
     * returns, and nothing below can check its extent — only that the address is not zero.
     */
    void memcpyHtoDFromAddress(long dst, long hostAddress, long bytes);

    /**
     * {@code cuMemcpyDtoH_v2} to raw host memory: {@code bytes} bytes of the device at {@code src} to
     * {@code hostAddress}, synchronously (waits for prior work). The caller's duty is that of
     * {@link #memcpyHtoDFromAddress}: memory Flambeau owns, allocated for at least {@code bytes} bytes
     * until this call returns.
     */
    void memcpyDtoHToAddress(long hostAddress, long src, long bytes);

    /** {@code cuMemcpyDtoDAsync_v2}. */
    void memcpyDtoDAsync(long dst, long src, long bytes, long stream);

    // ---- streams and events ---------------------------------------------------------------------

    /** {@code cuStreamCreate(CU_STREAM_DEFAULT)}: a stream that synchronises with stream 0. */
    long streamCreate();

    /** {@code cuStreamSynchronize}. */
    void streamSynchronize(long stream);

    /** {@code cuStreamDestroy_v2}. */
    void streamDestroy(long stream);

    /** {@code cuEventCreate(CU_EVENT_DEFAULT)}: a timing event. */
    long eventCreate();

    /** {@code cuEventRecord}. */
    void eventRecord(long event, long stream);

    /** {@code cuEventSynchronize}. */
    void eventSynchronize(long event);

    /** {@code cuEventElapsedTime}: milliseconds between two recorded, completed events. */
    float eventElapsedTime(long start, long end);

    /** {@code cuEventDestroy_v2}. */
    void eventDestroy(long event);

    // ---- modules and launches -------------------------------------------------------------------

    /**
     * {@code cuModuleLoadDataEx} with {@code CU_JIT_ERROR_LOG_BUFFER}/{@code _SIZE_BYTES}: JIT-compiles
     * PTX text. On failure throws a {@link CudaException} whose {@link CudaException#jitLog()} holds
     * the compiler's log (with PTX line numbers).
     */
    long moduleLoadData(String ptx);

    /** {@code cuModuleGetFunction}: {@code CUDA_ERROR_NOT_FOUND} when no kernel has that name. */
    long moduleGetFunction(long module, String name);

    /** {@code cuModuleUnload}. */
    void moduleUnload(long module);

    /**
     * {@code cuLaunchKernel(f, gx,gy,gz, bx,by,bz, sharedBytes, stream, kernelParams, NULL)}:
     * {@code args} holds one value per {@code .param}, in declaration order; {@code sharedBytes} is
     * the dynamic shared memory ({@code .extern .shared}) per block.
     */
    void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                      int sharedBytes, long stream, KernelArgs args);

    // ---- CUDA graphs (stream capture) --------------------------------------------------------------

    /** {@code CUstreamCaptureMode}: unsafe calls are refused on every thread while a capture runs. */
    int CU_STREAM_CAPTURE_MODE_GLOBAL = 0;
    /** {@code CUstreamCaptureMode}: unsafe calls are refused on the capturing thread only. */
    int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1;
    /** {@code CUstreamCaptureMode}: no thread is refused calls such as {@code cuMemAlloc} (still not synchronisations). */
    int CU_STREAM_CAPTURE_MODE_RELAXED = 2;

    /**
     * {@code cuStreamBeginCapture_v2(stream, mode)}: from now on, work queued on {@code stream} is
     * recorded into a graph instead of running. The legacy stream 0 cannot be captured.
     */
    void streamBeginCapture(long stream, int mode);

    /**
     * {@code cuStreamEndCapture}: ends the capture and returns the graph ({@code CUgraph}). When an
     * unsupported call invalidated the capture it ends all the same and throws
     * {@code CUDA_ERROR_STREAM_CAPTURE_INVALIDATED}.
     */
    long streamEndCapture(long stream);

    /** {@code cuGraphInstantiateWithFlags(&exec, graph, 0)}: an executable graph ({@code CUgraphExec}). */
    long graphInstantiate(long graph);

    /** {@code cuGraphLaunch}: queues the whole graph on {@code stream}, as one launch. */
    void graphLaunch(long graphExec, long stream);

    /** {@code cuGraphExecDestroy}. */
    void graphExecDestroy(long graphExec);

    /** {@code cuGraphDestroy}. */
    void graphDestroy(long graph);

    /** {@code cuGetErrorName}. */
    String errorName(int code);

    /** {@code cuGetErrorString}. */
    String errorString(int code);

    // ---- cuBLAS ---------------------------------------------------------------------------------

    /** Whether cuBLAS was found; when not, every {@code blas*} call throws. */
    boolean hasBlas();

    /** {@code cublasGetVersion_v2}: e.g. 120402 for 12.4.2. */
    int blasVersion();

    /** {@code cublasCreate_v2}, bound to the current context. */
    long blasCreate();

    /** {@code cublasDestroy_v2}. */
    void blasDestroy(long handle);

    /** {@code cublasSetStream_v2}. */
    void blasSetStream(long handle, long stream);

    /** {@code cublasSetMathMode}: {@link #CUBLAS_DEFAULT_MATH} or {@link #CUBLAS_TF32_TENSOR_OP_MATH}. */
    void blasSetMathMode(long handle, int mode);

    /**
     * {@code cublasSgemm_v2}: {@code C = alpha * op(A) * op(B) + beta * C}, column-major; op(A) is
     * m x k, op(B) is k x n, C is m x n. {@code lda >= max(1, transa == N ? m : k)},
     * {@code ldb >= max(1, transb == N ? k : n)}, {@code ldc >= max(1, m)}. When {@code beta == 0},
     * C is not read.
     */
    void blasSgemm(long handle, int transa, int transb, int m, int n, int k,
                   float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc);

    /** {@code cublasDgemm_v2}: as {@link #blasSgemm} in double precision. */
    void blasDgemm(long handle, int transa, int transb, int m, int n, int k,
                   double alpha, long a, int lda, long b, int ldb, double beta, long c, int ldc);

    /**
     * {@code cublasSgemmStridedBatched}: {@code batchCount} GEMMs where matrix i of A starts
     * {@code i * strideA} elements after {@code a} (likewise B and C).
     */
    void blasSgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                 float alpha, long a, int lda, long strideA,
                                 long b, int ldb, long strideB,
                                 float beta, long c, int ldc, long strideC, int batchCount);

    /** {@code cublasDgemmStridedBatched}. */
    void blasDgemmStridedBatched(long handle, int transa, int transb, int m, int n, int k,
                                 double alpha, long a, int lda, long strideA,
                                 long b, int ldb, long strideB,
                                 double beta, long c, int ldc, long strideC, int batchCount);
}
