/*
 * The C surface Flambeau binds: exactly the CUDA driver API and cuBLAS declarations that
 * io.flambeau.backend.cuda.ffm calls, nothing more.
 *
 * - Driver API from libcuda.so.1, declared under the symbol names the library exports. Where
 *   cuda.h maps a name to a versioned symbol (#define cuMemAlloc cuMemAlloc_v2) we declare the
 *   versioned symbol itself, because a dynamic lookup sees symbols, not macros.
 * - cuBLAS from libcublas.so.13 (else .so.12), declared here as in NVIDIA's cublas_api.h, since
 *   the machines that build Flambeau have no cuBLAS headers.
 *
 * Standalone (jextract, see jextract.sh) this header defines the few typedefs it needs. When
 * cuda.h (or cublas_api.h) is included first, their typedefs are used instead and the compiler
 * checks every declaration below against NVIDIA's: the loopback driver in native/loopback is
 * compiled that way, so a drifted declaration here fails the test build. The Java binding
 * classes are in turn checked against this file by HeadersMatchBindingsTest.
 */
#ifndef FLAMBEAU_NATIVE_HEADERS_H
#define FLAMBEAU_NATIVE_HEADERS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- driver API types (cuda.h's include guard is __cuda_cuda_h__) ---------------------------- */
#ifndef __cuda_cuda_h__
#define CUDAAPI
typedef int CUresult;                      /* enum cudaError_enum in cuda.h */
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;    /* 64-bit device address (CUdeviceptr_v2) */
typedef int CUdevice_attribute;            /* enum CUdevice_attribute_enum */
typedef int CUjit_option;                  /* enum CUjit_option_enum */
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef struct CUgraph_st *CUgraph;
typedef struct CUgraphExec_st *CUgraphExec;
typedef int CUstreamCaptureMode;           /* enum CUstreamCaptureMode_enum: GLOBAL 0, THREAD_LOCAL 1, RELAXED 2 */
#endif

/* ---- driver: initialisation, version, errors -------------------------------------------------- */
CUresult CUDAAPI cuInit(unsigned int Flags);
CUresult CUDAAPI cuDriverGetVersion(int *driverVersion);
CUresult CUDAAPI cuGetErrorName(CUresult error, const char **pStr);
CUresult CUDAAPI cuGetErrorString(CUresult error, const char **pStr);

/* ---- driver: devices -------------------------------------------------------------------------- */
CUresult CUDAAPI cuDeviceGetCount(int *count);
CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal);
CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice dev);
CUresult CUDAAPI cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev);
CUresult CUDAAPI cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev);

/* ---- driver: primary contexts ----------------------------------------------------------------- */
CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev);
CUresult CUDAAPI cuDevicePrimaryCtxRelease_v2(CUdevice dev);
CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx);
CUresult CUDAAPI cuCtxSynchronize(void);

/* ---- driver: memory --------------------------------------------------------------------------- */
CUresult CUDAAPI cuMemGetInfo_v2(size_t *free, size_t *total);
CUresult CUDAAPI cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize);
CUresult CUDAAPI cuMemFree_v2(CUdeviceptr dptr);
CUresult CUDAAPI cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream);
CUresult CUDAAPI cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream);
CUresult CUDAAPI cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);
CUresult CUDAAPI cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount);
CUresult CUDAAPI cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream);
CUresult CUDAAPI cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream);
CUresult CUDAAPI cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream);

/* ---- driver: streams and events --------------------------------------------------------------- */
CUresult CUDAAPI cuStreamCreate(CUstream *phStream, unsigned int Flags);
CUresult CUDAAPI cuStreamSynchronize(CUstream hStream);
CUresult CUDAAPI cuStreamDestroy_v2(CUstream hStream);
CUresult CUDAAPI cuEventCreate(CUevent *phEvent, unsigned int Flags);
CUresult CUDAAPI cuEventRecord(CUevent hEvent, CUstream hStream);
CUresult CUDAAPI cuEventSynchronize(CUevent hEvent);
/* CUDA 12.8 added cuEventElapsedTime_v2 (cuda.h 13 maps the plain name to it); drivers before
 * 12.8 export only the original symbol, which has the same signature. Bind _v2, else the original. */
CUresult CUDAAPI cuEventElapsedTime_v2(float *pMilliseconds, CUevent hStart, CUevent hEnd);
#ifndef __cuda_cuda_h__
CUresult CUDAAPI cuEventElapsedTime(float *pMilliseconds, CUevent hStart, CUevent hEnd);
#endif
CUresult CUDAAPI cuEventDestroy_v2(CUevent hEvent);

/* ---- driver: modules and launches ------------------------------------------------------------- */
CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions,
                                    CUjit_option *options, void **optionValues);
CUresult CUDAAPI cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name);
CUresult CUDAAPI cuModuleUnload(CUmodule hmod);
CUresult CUDAAPI cuLaunchKernel(CUfunction f,
                                unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
                                unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
                                unsigned int sharedMemBytes, CUstream hStream,
                                void **kernelParams, void **extra);

/* ---- driver: CUDA graphs by stream capture ------------------------------------------------------
 * cuda.h maps cuStreamBeginCapture to cuStreamBeginCapture_v2 (CUDA 10.1+) and, from CUDA 12,
 * cuGraphInstantiate to cuGraphInstantiateWithFlags (CUDA 11.4+): these are the exported symbols. */
CUresult CUDAAPI cuStreamBeginCapture_v2(CUstream hStream, CUstreamCaptureMode mode);
CUresult CUDAAPI cuStreamEndCapture(CUstream hStream, CUgraph *phGraph);
CUresult CUDAAPI cuGraphInstantiateWithFlags(CUgraphExec *phGraphExec, CUgraph hGraph, unsigned long long flags);
CUresult CUDAAPI cuGraphLaunch(CUgraphExec hGraphExec, CUstream hStream);
CUresult CUDAAPI cuGraphExecDestroy(CUgraphExec hGraphExec);
CUresult CUDAAPI cuGraphDestroy(CUgraph hGraph);

/* ---- cuBLAS types (cublas_api.h's include guard is CUBLAS_API_H_) ----------------------------- */
#ifndef CUBLAS_API_H_
#define CUBLASWINAPI
typedef int cublasStatus_t;                /* enum in cublas_api.h */
typedef int cublasOperation_t;             /* CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 */
typedef int cublasMath_t;                  /* CUBLAS_DEFAULT_MATH = 0, CUBLAS_TF32_TENSOR_OP_MATH = 3 */
typedef struct cublasContext *cublasHandle_t;
#endif
#ifndef __DRIVER_TYPES_H__
typedef struct CUstream_st *cudaStream_t;  /* the runtime's name for a driver CUstream */
#endif

/* ---- cuBLAS: handles -------------------------------------------------------------------------- */
cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle);
cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle);
cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version);
cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
cublasStatus_t CUBLASWINAPI cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);

/* ---- cuBLAS: GEMM (column-major; alpha and beta are host pointers in the default pointer mode) - */
cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                           int m, int n, int k,
                                           const float *alpha, const float *A, int lda,
                                           const float *B, int ldb,
                                           const float *beta, float *C, int ldc);
cublasStatus_t CUBLASWINAPI cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                           int m, int n, int k,
                                           const double *alpha, const double *A, int lda,
                                           const double *B, int ldb,
                                           const double *beta, double *C, int ldc);
cublasStatus_t CUBLASWINAPI cublasSgemmStridedBatched(cublasHandle_t handle,
                                                      cublasOperation_t transa, cublasOperation_t transb,
                                                      int m, int n, int k,
                                                      const float *alpha,
                                                      const float *A, int lda, long long int strideA,
                                                      const float *B, int ldb, long long int strideB,
                                                      const float *beta,
                                                      float *C, int ldc, long long int strideC,
                                                      int batchCount);
cublasStatus_t CUBLASWINAPI cublasDgemmStridedBatched(cublasHandle_t handle,
                                                      cublasOperation_t transa, cublasOperation_t transb,
                                                      int m, int n, int k,
                                                      const double *alpha,
                                                      const double *A, int lda, long long int strideA,
                                                      const double *B, int ldb, long long int strideB,
                                                      const double *beta,
                                                      double *C, int ldc, long long int strideC,
                                                      int batchCount);

#ifdef __cplusplus
}
#endif
#endif /* FLAMBEAU_NATIVE_HEADERS_H */
