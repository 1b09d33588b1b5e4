package io.flambeau.backend.cuda.ffm;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.flambeau.backend.cuda.ffm.NativeSymbols.rethrow;

/**
 * Java bindings for the cuBLAS part of {@code native/headers.h} (declared there as in NVIDIA's
 * {@code cublas_api.h}), in jextract's layout; see {@link CudaDriver_h} for the layout and for why and
 * how these hand-written classes differ from jextract's output. The library is
 * {@code libcublas.so.13}, else {@code libcublas.so.12}, as {@link CudaLibraries#blas()} finds it;
 * callers check that it was found before the first call. Only {@code cublasGetVersion_v2} is a
 * critical downcall: the GEMMs enqueue work and may wait for resources.
 */
public final class Cublas_h {
    Cublas_h() {}

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    private static final NativeSymbols LIBRARY = new NativeSymbols(CudaLibraries.blas().orElseThrow());
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /** Every symbol bound below. */
    public static final List<String> SYMBOLS = List.of(
            "cublasCreate_v2", "cublasDestroy_v2", "cublasGetVersion_v2", "cublasSetStream_v2",
            "cublasSetMathMode", "cublasSgemm_v2", "cublasDgemm_v2", "cublasSgemmStridedBatched",
            "cublasDgemmStridedBatched");

    /** The symbols of {@link #SYMBOLS} this library lacks (each entry may name alternatives: "a|b"). */
    public static List<String> missingSymbols() { return LIBRARY.missing(SYMBOLS); }

    private static class cublasCreate_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasCreate_v2");
    }

    /** {@code cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)} */
    public static FunctionDescriptor cublasCreate_v2$descriptor() { return cublasCreate_v2.DESC; }

    public static MethodHandle cublasCreate_v2$handle() { return cublasCreate_v2.HANDLE; }

    public static int cublasCreate_v2(MemorySegment handle) {
        try { return (int) cublasCreate_v2.HANDLE.invokeExact(handle); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasDestroy_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasDestroy_v2");
    }

    /** {@code cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)} */
    public static FunctionDescriptor cublasDestroy_v2$descriptor() { return cublasDestroy_v2.DESC; }

    public static MethodHandle cublasDestroy_v2$handle() { return cublasDestroy_v2.HANDLE; }

    public static int cublasDestroy_v2(MemorySegment handle) {
        try { return (int) cublasDestroy_v2.HANDLE.invokeExact(handle); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasGetVersion_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, CRITICAL, "cublasGetVersion_v2");
    }

    /** {@code cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)} (critical: short, never blocks) */
    public static FunctionDescriptor cublasGetVersion_v2$descriptor() { return cublasGetVersion_v2.DESC; }

    public static MethodHandle cublasGetVersion_v2$handle() { return cublasGetVersion_v2.HANDLE; }

    public static int cublasGetVersion_v2(MemorySegment handle, MemorySegment version) {
        try { return (int) cublasGetVersion_v2.HANDLE.invokeExact(handle, version); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasSetStream_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasSetStream_v2");
    }

    /** {@code cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)} */
    public static FunctionDescriptor cublasSetStream_v2$descriptor() { return cublasSetStream_v2.DESC; }

    public static MethodHandle cublasSetStream_v2$handle() { return cublasSetStream_v2.HANDLE; }

    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        try { return (int) cublasSetStream_v2.HANDLE.invokeExact(handle, streamId); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasSetMathMode {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasSetMathMode");
    }

    /** {@code cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)} */
    public static FunctionDescriptor cublasSetMathMode$descriptor() { return cublasSetMathMode.DESC; }

    public static MethodHandle cublasSetMathMode$handle() { return cublasSetMathMode.HANDLE; }

    public static int cublasSetMathMode(MemorySegment handle, int mode) {
        try { return (int) cublasSetMathMode.HANDLE.invokeExact(handle, mode); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasSgemm_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasSgemm_v2");
    }

    /** {@code cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)} */
    public static FunctionDescriptor cublasSgemm_v2$descriptor() { return cublasSgemm_v2.DESC; }

    public static MethodHandle cublasSgemm_v2$handle() { return cublasSgemm_v2.HANDLE; }

    public static int cublasSgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        try { return (int) cublasSgemm_v2.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasDgemm_v2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasDgemm_v2");
    }

    /** {@code cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)} */
    public static FunctionDescriptor cublasDgemm_v2$descriptor() { return cublasDgemm_v2.DESC; }

    public static MethodHandle cublasDgemm_v2$handle() { return cublasDgemm_v2.HANDLE; }

    public static int cublasDgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        try { return (int) cublasDgemm_v2.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasSgemmStridedBatched {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_INT, C_LONG_LONG, C_POINTER, C_INT, C_LONG_LONG, C_POINTER, C_POINTER, C_INT, C_LONG_LONG, C_INT);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasSgemmStridedBatched");
    }

    /** {@code cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C, int ldc, long long int strideC, int batchCount)} */
    public static FunctionDescriptor cublasSgemmStridedBatched$descriptor() { return cublasSgemmStridedBatched.DESC; }

    public static MethodHandle cublasSgemmStridedBatched$handle() { return cublasSgemmStridedBatched.HANDLE; }

    public static int cublasSgemmStridedBatched(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, long strideA, MemorySegment B, int ldb, long strideB, MemorySegment beta, MemorySegment C, int ldc, long strideC, int batchCount) {
        try { return (int) cublasSgemmStridedBatched.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount); } catch (Throwable t) { throw rethrow(t); }
    }

    private static class cublasDgemmStridedBatched {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER, C_INT, C_LONG_LONG, C_POINTER, C_INT, C_LONG_LONG, C_POINTER, C_POINTER, C_INT, C_LONG_LONG, C_INT);
        static final MethodHandle HANDLE = LIBRARY.downcall(DESC, "cublasDgemmStridedBatched");
    }

    /** {@code cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long int strideA, const double *B, int ldb, long long int strideB, const double *beta, double *C, int ldc, long long int strideC, int batchCount)} */
    public static FunctionDescriptor cublasDgemmStridedBatched$descriptor() { return cublasDgemmStridedBatched.DESC; }

    public static MethodHandle cublasDgemmStridedBatched$handle() { return cublasDgemmStridedBatched.HANDLE; }

    public static int cublasDgemmStridedBatched(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, long strideA, MemorySegment B, int ldb, long strideB, MemorySegment beta, MemorySegment C, int ldc, long strideC, int batchCount) {
        try { return (int) cublasDgemmStridedBatched.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount); } catch (Throwable t) { throw rethrow(t); }
    }
}
