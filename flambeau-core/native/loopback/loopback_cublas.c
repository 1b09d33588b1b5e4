/*
 * Loopback libcublas: the cuBLAS subset Flambeau binds, on the loopback driver's host memory,
 * following cuBLAS's column-major contract (see loopback.h). Built twice by the test build, as
 * libcublas.so.13 (-DFLB_CUBLAS_VERSION=130000) and libcublas.so.12 (-DFLB_CUBLAS_VERSION=120900),
 * linked against the loopback libcuda.so.1 for its allocation table and current context.
 *
 * The prototypes come from native/headers.h, which declares them as NVIDIA's cublas_api.h does.
 * Argument checks follow cuBLAS: bad sizes and leading dimensions are CUBLAS_STATUS_INVALID_VALUE,
 * a null or destroyed handle CUBLAS_STATUS_NOT_INITIALIZED. Where real cuBLAS would launch a kernel
 * that faults on a bad pointer, the loopback returns CUBLAS_STATUS_EXECUTION_FAILED instead of
 * touching memory it does not own.
 */
#include "../headers.h"
#include "loopback.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef FLB_CUBLAS_VERSION
#define FLB_CUBLAS_VERSION 130000
#endif

enum {
    STATUS_SUCCESS = 0, STATUS_NOT_INITIALIZED = 1, STATUS_ALLOC_FAILED = 3, STATUS_INVALID_VALUE = 7,
    STATUS_EXECUTION_FAILED = 13,
};
enum { OP_N = 0, OP_T = 1, OP_C = 2 };

struct cublasContext { uint64_t context; cudaStream_t stream; cublasMath_t math; struct cublasContext *next; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cublasContext *handles = NULL;

static int live(cublasHandle_t h) {
    int found = 0;
    pthread_mutex_lock(&lock);
    for (struct cublasContext *x = handles; x; x = x->next) if (x == h) { found = 1; break; }
    pthread_mutex_unlock(&lock);
    return found;
}

cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle) {
    if (handle == NULL) return STATUS_INVALID_VALUE;
    uint64_t ctx = flb_current_context();
    if (ctx == 0) return STATUS_NOT_INITIALIZED; /* cuBLAS needs a current context (or a device to make one) */
    struct cublasContext *h = calloc(1, sizeof *h);
    if (h == NULL) return STATUS_ALLOC_FAILED;
    h->context = ctx;
    pthread_mutex_lock(&lock);
    h->next = handles;
    handles = h;
    pthread_mutex_unlock(&lock);
    *handle = h;
    return STATUS_SUCCESS;
}

cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle) {
    pthread_mutex_lock(&lock);
    for (struct cublasContext **x = &handles; *x; x = &(*x)->next) {
        if (*x == handle) {
            *x = handle->next;
            pthread_mutex_unlock(&lock);
            free(handle);
            return STATUS_SUCCESS;
        }
    }
    pthread_mutex_unlock(&lock);
    return STATUS_NOT_INITIALIZED;
}

/* Like cuBLAS, the version query does not need a handle. Lock-free: bound as a critical downcall. */
cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version) {
    (void) handle;
    if (version == NULL) return STATUS_INVALID_VALUE;
    *version = FLB_CUBLAS_VERSION;
    return STATUS_SUCCESS;
}

cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId) {
    if (!live(handle)) return STATUS_NOT_INITIALIZED;
    handle->stream = streamId;
    return STATUS_SUCCESS;
}

cublasStatus_t CUBLASWINAPI cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
    if (!live(handle)) return STATUS_NOT_INITIALIZED;
    int base = mode & ~16; /* CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION may be or-ed in */
    if (base < 0 || base > 3) return STATUS_INVALID_VALUE;
    handle->math = mode;
    return STATUS_SUCCESS;
}

/* ---- GEMM ------------------------------------------------------------------------------------- */

/* The checks cuBLAS makes before it launches anything. */
static cublasStatus_t check_gemm(cublasHandle_t h, int ta, int tb, int m, int n, int k,
                                 const void *alpha, const void *beta, int lda, int ldb, int ldc, int batch) {
    if (!live(h)) return STATUS_NOT_INITIALIZED;
    if ((ta != OP_N && ta != OP_T && ta != OP_C) || (tb != OP_N && tb != OP_T && tb != OP_C)) return STATUS_INVALID_VALUE;
    if (m < 0 || n < 0 || k < 0 || batch < 0 || alpha == NULL || beta == NULL) return STATUS_INVALID_VALUE;
    int rowsA = ta == OP_N ? m : k, rowsB = tb == OP_N ? k : n;
    if (lda < (rowsA > 1 ? rowsA : 1) || ldb < (rowsB > 1 ? rowsB : 1) || ldc < (m > 1 ? m : 1)) return STATUS_INVALID_VALUE;
    return STATUS_SUCCESS;
}

/* Bytes spanned by a column-major rows x cols matrix with leading dimension ld, batch times stride apart. */
static uint64_t span(int rows, int cols, int ld, long long stride, int batch, size_t elem) {
    if (rows == 0 || cols == 0 || batch == 0) return 0;
    uint64_t last = (uint64_t) (cols - 1) * (uint64_t) ld + (uint64_t) rows;
    uint64_t reach = (uint64_t) (batch - 1) * (uint64_t) (stride < 0 ? -stride : stride) + last;
    return reach * elem;
}

static int owned(const void *p, uint64_t bytes) {
    return bytes == 0 || flb_find_allocation((uint64_t) (uintptr_t) p, bytes, NULL, NULL);
}

/* One template for float and double: C = alpha * op(A) * op(B) + beta * C, batch by batch. When
 * beta is zero C is only written, so NaN or garbage in C does not leak into the result. */
#define DEFINE_GEMM(NAME, T)                                                                          \
struct NAME##_args { int ta, tb, m, n, k; T a, b; const T *A; int lda; long long sA; const T *B; int ldb;   \
                     long long sB; T *C; int ldc; long long sC; int batch; };                          \
static void NAME##_run(void *data) {                                                                  \
    const struct NAME##_args *g = data;                                                               \
    int ta = g->ta, tb = g->tb, m = g->m, n = g->n, k = g->k, lda = g->lda, ldb = g->ldb, ldc = g->ldc;  \
    T a = g->a, b = g->b;                                                                             \
    for (int q = 0; q < g->batch; q++) {                                                              \
        const T *Aq = g->A + q * g->sA, *Bq = g->B + q * g->sB;                                       \
        T *Cq = g->C + q * g->sC;                                                                     \
        for (int j = 0; j < n; j++) {                                                                 \
            for (int i = 0; i < m; i++) {                                                             \
                T sum = 0;                                                                            \
                for (int l = 0; l < k; l++) {                                                         \
                    T x = ta == OP_N ? Aq[i + (long long) l * lda] : Aq[l + (long long) i * lda];     \
                    T y = tb == OP_N ? Bq[l + (long long) j * ldb] : Bq[j + (long long) l * ldb];     \
                    sum += x * y;                                                                     \
                }                                                                                     \
                T *c = &Cq[i + (long long) j * ldc];                                                  \
                *c = b == 0 ? a * sum : a * sum + b * *c;                                             \
            }                                                                                         \
        }                                                                                             \
    }                                                                                                 \
}                                                                                                     \
static cublasStatus_t NAME(cublasHandle_t h, int ta, int tb, int m, int n, int k,                     \
                           const T *alpha, const T *A, int lda, long long sA,                         \
                           const T *B, int ldb, long long sB,                                         \
                           const T *beta, T *C, int ldc, long long sC, int batch) {                   \
    cublasStatus_t st = check_gemm(h, ta, tb, m, n, k, alpha, beta, lda, ldb, ldc, batch);            \
    if (st != STATUS_SUCCESS || m == 0 || n == 0 || batch == 0) return st;                            \
    if (!owned(A, span(ta == OP_N ? m : k, ta == OP_N ? k : m,   lda, sA, batch, sizeof(T)))          \
        || !owned(B, span(tb == OP_N ? k : n, tb == OP_N ? n : k,   ldb, sB, batch, sizeof(T)))       \
        || !owned(C, span(m, n, ldc, sC, batch, sizeof(T)))) return STATUS_EXECUTION_FAILED;          \
    struct NAME##_args g = { ta, tb, m, n, k, *alpha, *beta, A, lda, sA, B, ldb, sB, C, ldc, sC, batch }; \
    /* on a capturing stream the GEMM becomes a node of the graph (alpha, beta read now, as cuBLAS does) */ \
    if (!flb_capture_host_work((uint64_t) (uintptr_t) h->stream, NAME##_run, &g, sizeof g)) NAME##_run(&g); \
    return STATUS_SUCCESS;                                                                            \
}

DEFINE_GEMM(gemm_f32, float)
DEFINE_GEMM(gemm_f64, double)

cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                           int m, int n, int k, const float *alpha, const float *A, int lda,
                                           const float *B, int ldb, const float *beta, float *C, int ldc) {
    return gemm_f32(handle, transa, transb, m, n, k, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}

cublasStatus_t CUBLASWINAPI cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                           int m, int n, int k, const double *alpha, const double *A, int lda,
                                           const double *B, int ldb, const double *beta, double *C, int ldc) {
    return gemm_f64(handle, transa, transb, m, n, k, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}

cublasStatus_t CUBLASWINAPI cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                                      int m, int n, int k, const float *alpha,
                                                      const float *A, int lda, long long int strideA,
                                                      const float *B, int ldb, long long int strideB,
                                                      const float *beta, float *C, int ldc, long long int strideC,
                                                      int batchCount) {
    return gemm_f32(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
}

cublasStatus_t CUBLASWINAPI cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                                      int m, int n, int k, const double *alpha,
                                                      const double *A, int lda, long long int strideA,
                                                      const double *B, int ldb, long long int strideB,
                                                      const double *beta, double *C, int ldc, long long int strideC,
                                                      int batchCount) {
    return gemm_f64(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
}
