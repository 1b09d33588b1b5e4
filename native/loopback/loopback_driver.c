/*
 * Loopback libcuda.so.1: the driver-API subset Flambeau binds, on host memory. See loopback.h for
 * what it is for and what it promises.
 *
 * Built by the test build (LoopbackLibrary.java) as
 *   gcc -shared -fPIC -std=gnu11 -I/usr/local/cuda/include -Wl,-soname,libcuda.so.1
 * Because cuda.h maps plain names to versioned symbols (#define cuMemAlloc cuMemAlloc_v2), the
 * definitions below written with the plain names export exactly the symbols the real driver
 * exports, with cuda.h's prototypes enforced by the compiler.
 *
 * Locking: one recursive mutex guards the state, held across the test's hooks (an upcall into Java
 * that may call flb_find_allocation on the same thread). The functions the Java binding calls as
 * critical downcalls (no thread-state transition, so they must never wait for a lock that a thread
 * inside Java might hold) read only configuration and touch no lock but the injection lock, which
 * is never held across an upcall.
 */
#define _GNU_SOURCE
#include <cuda.h>
#include "../headers.h"
#include "loopback.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEVICES 8
#define MAX_DYNAMIC_SHARED 49152u

struct context { int device; int refcount; };
struct allocation { CUdeviceptr base; size_t size; struct context *ctx; struct allocation *next; };
struct function { struct module *module; char *name; struct function *next; };
struct module { struct context *ctx; char *ptx; struct function *functions; struct module *next; };
struct stream { struct context *ctx; struct stream *next; };
struct event { struct context *ctx; int recorded; double ms; struct event *next; };

static pthread_mutex_t lock;
static pthread_mutex_t inject_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t lock_once = PTHREAD_ONCE_INIT;

static volatile int cfg_devices = 0;
static volatile int cfg_version = 13000;
static unsigned long long cfg_memory = 1ull << 30;
static volatile int initialized = 0;

static struct context contexts[MAX_DEVICES];
static __thread struct context *current = NULL;
static struct allocation *allocations = NULL;
static struct module *modules = NULL;
static struct stream *streams = NULL;
static struct event *events = NULL;
static unsigned long long used[MAX_DEVICES];
static long launches = 0;

static flb_module_load_hook load_hook = NULL;
static flb_module_unload_hook unload_hook = NULL;
static flb_launch_hook launch_hook = NULL;

static char inject_name[64];
static int inject_status = 0;

static void init_lock(void) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&lock, &attr);
}

static CUresult injected(const char *name) {
    CUresult r = CUDA_SUCCESS;
    pthread_mutex_lock(&inject_lock);
    if (inject_status != 0 && strcmp(inject_name, name) == 0) {
        r = (CUresult) inject_status;
        inject_status = 0;
    }
    pthread_mutex_unlock(&inject_lock);
    return r;
}

/* Runs expr under the state lock unless a failure was injected for this call. */
#define LOCKED(name, expr) do { \
        CUresult r_ = injected(name); \
        if (r_ != CUDA_SUCCESS) return r_; \
        pthread_once(&lock_once, init_lock); \
        pthread_mutex_lock(&lock); \
        r_ = (expr); \
        pthread_mutex_unlock(&lock); \
        return r_; \
    } while (0)

/* ---- checks shared by many calls -------------------------------------------------------------- */

static CUresult need_context(void) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (current == NULL || current->refcount <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    return CUDA_SUCCESS;
}

static struct allocation *find_allocation(CUdeviceptr ptr, size_t bytes) {
    for (struct allocation *a = allocations; a; a = a->next) {
        if (ptr >= a->base && ptr - a->base < a->size) {
            return bytes <= a->size - (ptr - a->base) ? a : NULL;
        }
    }
    return NULL;
}

/* A device range a call reads or writes: empty ranges are fine, others must lie in one allocation. */
static CUresult device_range(CUdeviceptr ptr, size_t bytes) {
    if (bytes == 0) return CUDA_SUCCESS;
    return find_allocation(ptr, bytes) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

static CUresult check_stream(CUstream s) {
    if (s == NULL) return CUDA_SUCCESS;
    for (struct stream *x = streams; x; x = x->next) if ((CUstream) x == s) return CUDA_SUCCESS;
    return CUDA_ERROR_INVALID_HANDLE;
}

static struct event *find_event(CUevent e) {
    for (struct event *x = events; x; x = x->next) if ((CUevent) x == e) return x;
    return NULL;
}

static struct module *find_module(CUmodule m) {
    for (struct module *x = modules; x; x = x->next) if ((CUmodule) x == m) return x;
    return NULL;
}

static struct function *find_function(CUfunction f) {
    for (struct module *m = modules; m; m = m->next)
        for (struct function *x = m->functions; x; x = x->next) if ((CUfunction) x == f) return x;
    return NULL;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- test controls ---------------------------------------------------------------------------- */

static void free_module(struct module *m) {
    if (unload_hook) unload_hook((uint64_t) (uintptr_t) m);
    for (struct function *f = m->functions, *next; f; f = next) { next = f->next; free(f->name); free(f); }
    free(m->ptx);
    free(m);
}

/* Destroys what a context owns, as the driver does when a primary context's last reference goes. */
static void destroy_context_resources(struct context *ctx) {
    struct allocation **a = &allocations;
    while (*a) {
        struct allocation *x = *a;
        if (ctx == NULL || x->ctx == ctx) { *a = x->next; free((void *) (uintptr_t) x->base); free(x); }
        else a = &x->next;
    }
    struct module **m = &modules;
    while (*m) { struct module *x = *m; if (ctx == NULL || x->ctx == ctx) { *m = x->next; free_module(x); } else m = &x->next; }
    struct stream **s = &streams;
    while (*s) { struct stream *x = *s; if (ctx == NULL || x->ctx == ctx) { *s = x->next; free(x); } else s = &x->next; }
    struct event **e = &events;
    while (*e) { struct event *x = *e; if (ctx == NULL || x->ctx == ctx) { *e = x->next; free(x); } else e = &x->next; }
    if (ctx) used[ctx->device] = 0;
}

FLB_EXPORT void flb_configure(int deviceCount, int driverVersion, unsigned long long totalMemPerDevice) {
    pthread_once(&lock_once, init_lock);
    pthread_mutex_lock(&lock);
    destroy_context_resources(NULL);
    load_hook = NULL; unload_hook = NULL; launch_hook = NULL;
    cfg_devices = deviceCount < 0 ? 0 : deviceCount > MAX_DEVICES ? MAX_DEVICES : deviceCount;
    cfg_version = driverVersion;
    cfg_memory = totalMemPerDevice;
    initialized = 0;
    launches = 0;
    for (int i = 0; i < MAX_DEVICES; i++) { contexts[i].device = i; contexts[i].refcount = 0; used[i] = 0; }
    current = NULL;
    pthread_mutex_unlock(&lock);
    pthread_mutex_lock(&inject_lock);
    inject_status = 0;
    pthread_mutex_unlock(&inject_lock);
}

FLB_EXPORT void flb_set_hooks(flb_module_load_hook load, flb_module_unload_hook unload, flb_launch_hook launch) {
    pthread_once(&lock_once, init_lock);
    pthread_mutex_lock(&lock);
    load_hook = load; unload_hook = unload; launch_hook = launch;
    pthread_mutex_unlock(&lock);
}

FLB_EXPORT void flb_fail_next(const char *function, int status) {
    pthread_mutex_lock(&inject_lock);
    snprintf(inject_name, sizeof inject_name, "%s", function);
    inject_status = status;
    pthread_mutex_unlock(&inject_lock);
}

FLB_EXPORT int flb_find_allocation(uint64_t ptr, uint64_t bytes, uint64_t *base, uint64_t *size) {
    pthread_once(&lock_once, init_lock);
    pthread_mutex_lock(&lock);
    struct allocation *a = find_allocation(ptr, bytes);
    if (a) { if (base) *base = a->base; if (size) *size = a->size; }
    pthread_mutex_unlock(&lock);
    return a != NULL;
}

FLB_EXPORT uint64_t flb_current_context(void) {
    return current && current->refcount > 0 ? (uint64_t) (uintptr_t) current : 0;
}

FLB_EXPORT long flb_live(const char *what) {
    long n = 0;
    pthread_once(&lock_once, init_lock);
    pthread_mutex_lock(&lock);
    if (strcmp(what, "allocations") == 0) { for (struct allocation *a = allocations; a; a = a->next) n++; }
    else if (strcmp(what, "modules") == 0) { for (struct module *m = modules; m; m = m->next) n++; }
    else if (strcmp(what, "streams") == 0) { for (struct stream *s = streams; s; s = s->next) n++; }
    else if (strcmp(what, "events") == 0) { for (struct event *e = events; e; e = e->next) n++; }
    else if (strcmp(what, "launches") == 0) n = launches;
    else n = -1;
    pthread_mutex_unlock(&lock);
    return n;
}

/* ---- initialisation, version, errors (lock-free: bound as critical downcalls) ---------------- */

CUresult CUDAAPI cuInit(unsigned int Flags) {
    CUresult r = injected("cuInit");
    if (r != CUDA_SUCCESS) return r;
    if (Flags != 0) return CUDA_ERROR_INVALID_VALUE;
    if (cfg_devices == 0) return CUDA_ERROR_NO_DEVICE;
    initialized = 1;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDriverGetVersion(int *driverVersion) {
    CUresult r = injected("cuDriverGetVersion");
    if (r != CUDA_SUCCESS) return r;
    if (driverVersion == NULL) return CUDA_ERROR_INVALID_VALUE;
    *driverVersion = cfg_version;
    return CUDA_SUCCESS;
}

static const struct { int code; const char *name; const char *text; } ERRORS[] = {
    {0, "CUDA_SUCCESS", "no error"},
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {34, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {200, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain."},
    {400, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {500, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {600, "CUDA_ERROR_NOT_READY", "device not ready"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {702, "CUDA_ERROR_LAUNCH_TIMEOUT", "the launch timed out and was terminated"},
    {716, "CUDA_ERROR_MISALIGNED_ADDRESS", "misaligned address"},
    {719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {801, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

static CUresult error_text(CUresult error, const char **pStr, int name) {
    if (pStr == NULL) return CUDA_ERROR_INVALID_VALUE;
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        if (ERRORS[i].code == (int) error) { *pStr = name ? ERRORS[i].name : ERRORS[i].text; return CUDA_SUCCESS; }
    }
    *pStr = NULL; /* as the driver does for a code it does not know */
    return CUDA_ERROR_INVALID_VALUE;
}

CUresult CUDAAPI cuGetErrorName(CUresult error, const char **pStr) { return error_text(error, pStr, 1); }

CUresult CUDAAPI cuGetErrorString(CUresult error, const char **pStr) { return error_text(error, pStr, 0); }

/* ---- devices ---------------------------------------------------------------------------------- */

CUresult CUDAAPI cuDeviceGetCount(int *count) {
    CUresult r = injected("cuDeviceGetCount");
    if (r != CUDA_SUCCESS) return r;
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (count == NULL) return CUDA_ERROR_INVALID_VALUE;
    *count = cfg_devices;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal) {
    CUresult r = injected("cuDeviceGet");
    if (r != CUDA_SUCCESS) return r;
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal < 0 || ordinal >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    *device = ordinal;
    return CUDA_SUCCESS;
}

static int attribute_value(int attrib) {
    switch (attrib) {
        case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: return 64;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: return 2147483647;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y: return 65535;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: return 65535;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: return (int) MAX_DYNAMIC_SHARED;
        case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY: return 65536;
        case CU_DEVICE_ATTRIBUTE_WARP_SIZE: return 32;
        case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK: return 65536;
        case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: return 1590000;
        case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: return 4;
        case CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS: return 1;
        case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE: return 5001000;
        case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH: return 256;
        case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: return 4 << 20;
        case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR: return 1024;
        case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT: return 2;
        case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING: return 1;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: return 7;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: return 5;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: return 65536;
        case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR: return 65536;
        case CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY: return 1;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: return 65536;
        default: return 0;
    }
}

CUresult CUDAAPI cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev) {
    CUresult r = injected("cuDeviceGetAttribute");
    if (r != CUDA_SUCCESS) return r;
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (pi == NULL || (int) attrib <= 0 || attrib >= CU_DEVICE_ATTRIBUTE_MAX) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    *pi = attribute_value((int) attrib);
    return CUDA_SUCCESS;
}

static CUresult device_name(char *name, int len, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (name == NULL || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    snprintf(name, (size_t) len, "Flambeau Loopback Device %d (host memory)", dev);
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice dev) { LOCKED("cuDeviceGetName", device_name(name, len, dev)); }

static CUresult total_mem(size_t *bytes, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (bytes == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    *bytes = (size_t) cfg_memory;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceTotalMem(size_t *bytes, CUdevice dev) { LOCKED("cuDeviceTotalMem_v2", total_mem(bytes, dev)); }

/* ---- primary contexts ------------------------------------------------------------------------- */

static CUresult ctx_retain(CUcontext *pctx, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (pctx == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    contexts[dev].refcount++;
    *pctx = (CUcontext) &contexts[dev];
    return CUDA_SUCCESS;
}

static CUresult ctx_release(CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev < 0 || dev >= cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    if (contexts[dev].refcount <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    if (--contexts[dev].refcount == 0) destroy_context_resources(&contexts[dev]);
    return CUDA_SUCCESS;
}

static CUresult ctx_set_current(CUcontext ctx) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (ctx == NULL) { current = NULL; return CUDA_SUCCESS; }
    for (int i = 0; i < cfg_devices; i++) {
        if (ctx == (CUcontext) &contexts[i]) {
            if (contexts[i].refcount <= 0) return CUDA_ERROR_CONTEXT_IS_DESTROYED;
            current = &contexts[i];
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_CONTEXT;
}

CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev) { LOCKED("cuDevicePrimaryCtxRetain", ctx_retain(pctx, dev)); }

CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice dev) { LOCKED("cuDevicePrimaryCtxRelease_v2", ctx_release(dev)); }

CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx) { LOCKED("cuCtxSetCurrent", ctx_set_current(ctx)); }

CUresult CUDAAPI cuCtxSynchronize(void) { LOCKED("cuCtxSynchronize", need_context()); }

/* ---- memory ----------------------------------------------------------------------------------- */

static CUresult mem_get_info(size_t *free_bytes, size_t *total) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (free_bytes == NULL || total == NULL) return CUDA_ERROR_INVALID_VALUE;
    *total = (size_t) cfg_memory;
    *free_bytes = (size_t) (cfg_memory - used[current->device]);
    return CUDA_SUCCESS;
}

static CUresult mem_alloc(CUdeviceptr *dptr, size_t bytes) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (dptr == NULL || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    size_t rounded = (bytes + 255) & ~(size_t) 255;
    if (rounded < bytes || rounded > cfg_memory - used[current->device]) return CUDA_ERROR_OUT_OF_MEMORY;
    void *p = aligned_alloc(256, rounded);
    struct allocation *a = malloc(sizeof *a);
    if (p == NULL || a == NULL) { free(p); free(a); return CUDA_ERROR_OUT_OF_MEMORY; }
    memset(p, 0xFF, rounded); /* cuMemAlloc does not zero memory: make reads of unset memory visible */
    *a = (struct allocation) { (CUdeviceptr) (uintptr_t) p, bytes, current, allocations };
    allocations = a;
    used[current->device] += rounded;
    *dptr = a->base;
    return CUDA_SUCCESS;
}

static CUresult mem_free(CUdeviceptr dptr) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct allocation **a = &allocations; *a; a = &(*a)->next) {
        struct allocation *x = *a;
        if (x->base == dptr) {
            *a = x->next;
            used[x->ctx->device] -= (x->size + 255) & ~(size_t) 255;
            free((void *) (uintptr_t) x->base);
            free(x);
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_VALUE;
}

static CUresult memset8(CUdeviceptr dst, unsigned char value, size_t n, CUstream s) {
    CUresult r = need_context();
    if (r == CUDA_SUCCESS) r = check_stream(s);
    if (r == CUDA_SUCCESS) r = device_range(dst, n);
    if (r == CUDA_SUCCESS && n > 0) memset((void *) (uintptr_t) dst, value, n);
    return r;
}

static CUresult memset32(CUdeviceptr dst, unsigned int value, size_t n, CUstream s) {
    CUresult r = need_context();
    if (r == CUDA_SUCCESS) r = check_stream(s);
    if (r == CUDA_SUCCESS && (dst & 3) != 0) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS && n > SIZE_MAX / 4) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS) r = device_range(dst, n * 4);
    if (r == CUDA_SUCCESS) {
        unsigned int *p = (unsigned int *) (uintptr_t) dst;
        for (size_t i = 0; i < n; i++) p[i] = value;
    }
    return r;
}

/* One copy routine for all directions: dst/src are device ranges when the flag says so. */
static CUresult copy(void *dst, int dstDevice, const void *src, int srcDevice, size_t n, CUstream s) {
    CUresult r = need_context();
    if (r == CUDA_SUCCESS) r = check_stream(s);
    if (r != CUDA_SUCCESS || n == 0) return r;
    if ((!dstDevice && dst == NULL) || (!srcDevice && src == NULL)) return CUDA_ERROR_INVALID_VALUE;
    if (dstDevice && device_range((CUdeviceptr) (uintptr_t) dst, n) != CUDA_SUCCESS) return CUDA_ERROR_INVALID_VALUE;
    if (srcDevice && device_range((CUdeviceptr) (uintptr_t) src, n) != CUDA_SUCCESS) return CUDA_ERROR_INVALID_VALUE;
    memmove(dst, src, n);
    return CUDA_SUCCESS;
}

#define DEV(p) ((void *) (uintptr_t) (p))

CUresult CUDAAPI cuMemGetInfo(size_t *free_bytes, size_t *total) { LOCKED("cuMemGetInfo_v2", mem_get_info(free_bytes, total)); }
CUresult CUDAAPI cuMemAlloc(CUdeviceptr *dptr, size_t bytesize) { LOCKED("cuMemAlloc_v2", mem_alloc(dptr, bytesize)); }
CUresult CUDAAPI cuMemFree(CUdeviceptr dptr) { LOCKED("cuMemFree_v2", mem_free(dptr)); }
CUresult CUDAAPI cuMemsetD8Async(CUdeviceptr dst, unsigned char uc, size_t N, CUstream s) { LOCKED("cuMemsetD8Async", memset8(dst, uc, N, s)); }
CUresult CUDAAPI cuMemsetD32Async(CUdeviceptr dst, unsigned int ui, size_t N, CUstream s) { LOCKED("cuMemsetD32Async", memset32(dst, ui, N, s)); }
CUresult CUDAAPI cuMemcpyHtoD(CUdeviceptr dst, const void *src, size_t n) { LOCKED("cuMemcpyHtoD_v2", copy(DEV(dst), 1, src, 0, n, NULL)); }
CUresult CUDAAPI cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t n) { LOCKED("cuMemcpyDtoH_v2", copy(dst, 0, DEV(src), 1, n, NULL)); }
CUresult CUDAAPI cuMemcpyHtoDAsync(CUdeviceptr dst, const void *src, size_t n, CUstream s) { LOCKED("cuMemcpyHtoDAsync_v2", copy(DEV(dst), 1, src, 0, n, s)); }
CUresult CUDAAPI cuMemcpyDtoHAsync(void *dst, CUdeviceptr src, size_t n, CUstream s) { LOCKED("cuMemcpyDtoHAsync_v2", copy(dst, 0, DEV(src), 1, n, s)); }
CUresult CUDAAPI cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t n, CUstream s) { LOCKED("cuMemcpyDtoDAsync_v2", copy(DEV(dst), 1, DEV(src), 1, n, s)); }

/* ---- streams and events ----------------------------------------------------------------------- */

static CUresult stream_create(CUstream *ph, unsigned int flags) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ph == NULL || flags > CU_STREAM_NON_BLOCKING) return CUDA_ERROR_INVALID_VALUE;
    struct stream *s = malloc(sizeof *s);
    if (s == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    *s = (struct stream) { current, streams };
    streams = s;
    *ph = (CUstream) s;
    return CUDA_SUCCESS;
}

static CUresult stream_sync(CUstream s) {
    CUresult r = need_context();
    return r != CUDA_SUCCESS ? r : check_stream(s);
}

static CUresult stream_destroy(CUstream s) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct stream **x = &streams; *x; x = &(*x)->next) {
        if ((CUstream) *x == s) { struct stream *d = *x; *x = d->next; free(d); return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

static CUresult event_create(CUevent *ph, unsigned int flags) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ph == NULL || flags > 0xF) return CUDA_ERROR_INVALID_VALUE;
    struct event *e = calloc(1, sizeof *e);
    if (e == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    e->ctx = current;
    e->next = events;
    events = e;
    *ph = (CUevent) e;
    return CUDA_SUCCESS;
}

static CUresult event_record(CUevent h, CUstream s) {
    CUresult r = need_context();
    if (r == CUDA_SUCCESS) r = check_stream(s);
    if (r != CUDA_SUCCESS) return r;
    struct event *e = find_event(h);
    if (e == NULL) return CUDA_ERROR_INVALID_HANDLE;
    e->recorded = 1;
    e->ms = now_ms();
    return CUDA_SUCCESS;
}

static CUresult event_sync(CUevent h) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    return find_event(h) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

static CUresult event_elapsed(float *ms, CUevent start, CUevent end) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ms == NULL) return CUDA_ERROR_INVALID_VALUE;
    struct event *a = find_event(start), *b = find_event(end);
    if (a == NULL || b == NULL || !a->recorded || !b->recorded) return CUDA_ERROR_INVALID_HANDLE;
    *ms = (float) (b->ms - a->ms);
    return CUDA_SUCCESS;
}

static CUresult event_destroy(CUevent h) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct event **x = &events; *x; x = &(*x)->next) {
        if ((CUevent) *x == h) { struct event *d = *x; *x = d->next; free(d); return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

CUresult CUDAAPI cuStreamCreate(CUstream *ph, unsigned int Flags) { LOCKED("cuStreamCreate", stream_create(ph, Flags)); }
CUresult CUDAAPI cuStreamSynchronize(CUstream s) { LOCKED("cuStreamSynchronize", stream_sync(s)); }
CUresult CUDAAPI cuStreamDestroy(CUstream s) { LOCKED("cuStreamDestroy_v2", stream_destroy(s)); }
CUresult CUDAAPI cuEventCreate(CUevent *ph, unsigned int Flags) { LOCKED("cuEventCreate", event_create(ph, Flags)); }
CUresult CUDAAPI cuEventRecord(CUevent h, CUstream s) { LOCKED("cuEventRecord", event_record(h, s)); }
CUresult CUDAAPI cuEventSynchronize(CUevent h) { LOCKED("cuEventSynchronize", event_sync(h)); }
CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent a, CUevent b) { LOCKED("cuEventElapsedTime_v2", event_elapsed(ms, a, b)); }
CUresult CUDAAPI cuEventDestroy(CUevent h) { LOCKED("cuEventDestroy_v2", event_destroy(h)); }

/* Drivers before CUDA 12.8 export only the unversioned symbol; keep it so both lookups work. */
#undef cuEventElapsedTime
CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent a, CUevent b);
CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent a, CUevent b) { LOCKED("cuEventElapsedTime", event_elapsed(ms, a, b)); }

/* ---- modules and launches --------------------------------------------------------------------- */

/* Highest PTX ISA (major*10+minor) a driver of this CUDA version JIT-compiles. */
static int max_ptx_isa(int version) {
    static const int table[][2] = {
        {13000, 90}, {12090, 88}, {12080, 87}, {12070, 86}, {12050, 85}, {12040, 84}, {12030, 83},
        {12020, 82}, {12010, 81}, {12000, 80}, {11080, 78}, {11070, 77}, {11060, 76}, {11050, 75},
        {11040, 74}, {11030, 73}, {11020, 72}, {11010, 71}, {11000, 70},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) if (version >= table[i][0]) return table[i][1];
    return 63;
}

static void write_log(char *buf, size_t size, const char *fmt, ...) {
    if (buf == NULL || size == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* The 1-based line of the first directive `name` (at the start of a line), or 0; *value gets the rest. */
static int find_directive(const char *ptx, const char *name, const char **value) {
    int line = 1;
    size_t n = strlen(name);
    for (const char *p = ptx; *p; ) {
        const char *q = p;
        while (*q == ' ' || *q == '\t') q++;
        if (strncmp(q, name, n) == 0 && (q[n] == ' ' || q[n] == '\t')) { *value = q + n; return line; }
        const char *nl = strchr(p, '\n');
        if (nl == NULL) break;
        p = nl + 1;
        line++;
    }
    return 0;
}

/* What the JIT would refuse before parsing: the header directives against driver and device. */
static CUresult check_ptx_header(const char *ptx, char *log, size_t logSize) {
    const char *v;
    int line = find_directive(ptx, ".version", &v);
    int major = 0, minor = 0;
    if (line == 0 || sscanf(v, " %d.%d", &major, &minor) != 2) {
        write_log(log, logSize, "ptxas application ptx input, line 1; fatal   : Missing .version directive at start of file");
        return CUDA_ERROR_INVALID_PTX;
    }
    int max = max_ptx_isa(cfg_version);
    if (major * 10 + minor > max) {
        write_log(log, logSize, "ptxas application ptx input, line %d; fatal   : Unsupported .version %d.%d; current version is '%d.%d'",
                  line, major, minor, max / 10, max % 10);
        return CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
    }
    int sm = 0;
    line = find_directive(ptx, ".target", &v);
    if (line == 0 || sscanf(v, " sm_%d", &sm) != 1) {
        write_log(log, logSize, "ptxas application ptx input, line %d; fatal   : Missing or unsupported .target directive", line ? line : 1);
        return CUDA_ERROR_INVALID_PTX;
    }
    if (sm > 75) {
        write_log(log, logSize, "ptxas application ptx input, line %d; error   : .target sm_%d is newer than this device (sm_75)", line, sm);
        return CUDA_ERROR_INVALID_PTX;
    }
    return CUDA_SUCCESS;
}

static CUresult module_load(CUmodule *module, const void *image, unsigned int n, CUjit_option *options, void **values) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (module == NULL || image == NULL || (n > 0 && (options == NULL || values == NULL))) return CUDA_ERROR_INVALID_VALUE;
    char *errLog = NULL, *infoLog = NULL;
    size_t errSize = 0, infoSize = 0;
    int errSizeAt = -1, infoSizeAt = -1;
    for (unsigned int i = 0; i < n; i++) {
        switch (options[i]) {
            case CU_JIT_ERROR_LOG_BUFFER: errLog = values[i]; break;
            case CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES: errSize = (unsigned int) (uintptr_t) values[i]; errSizeAt = (int) i; break;
            case CU_JIT_INFO_LOG_BUFFER: infoLog = values[i]; break;
            case CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES: infoSize = (unsigned int) (uintptr_t) values[i]; infoSizeAt = (int) i; break;
            default: break;
        }
    }
    if (errLog && errSize) errLog[0] = '\0';
    if (infoLog && infoSize) infoLog[0] = '\0';
    const char *ptx = image;
    if (memcmp(ptx, "\177ELF", 4) == 0) r = CUDA_ERROR_INVALID_IMAGE; /* cubins are not loopback material */
    else r = check_ptx_header(ptx, errLog, errSize);
    struct module *m = NULL;
    if (r == CUDA_SUCCESS) {
        m = calloc(1, sizeof *m);
        if (m == NULL || (m->ptx = strdup(ptx)) == NULL) { free(m); return CUDA_ERROR_OUT_OF_MEMORY; }
        m->ctx = current;
        if (load_hook) {
            char scratch[1];
            r = load_hook((uint64_t) (uintptr_t) m, ptx, errLog ? errLog : scratch, errLog ? errSize : 0);
        }
        if (r != CUDA_SUCCESS) { free(m->ptx); free(m); m = NULL; }
    }
    if (r == CUDA_SUCCESS) {
        m->next = modules;
        modules = m;
        *module = (CUmodule) m;
        write_log(infoLog, infoSize, "loopback: PTX accepted (%zu bytes)", strlen(ptx));
    }
    if (errSizeAt >= 0) values[errSizeAt] = (void *) (uintptr_t) (errLog && errSize ? strlen(errLog) : 0);
    if (infoSizeAt >= 0) values[infoSizeAt] = (void *) (uintptr_t) (infoLog && infoSize ? strlen(infoLog) : 0);
    return r;
}

/* Whether the PTX declares `.entry name` (name followed by a space, tab, newline or '('). */
static int declares_entry(const char *ptx, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(ptx, ".entry"); p; p = strstr(p + 6, ".entry")) {
        const char *q = p + 6;
        while (*q == ' ' || *q == '\t') q++;
        if (strncmp(q, name, n) == 0 && strchr(" \t\r\n(", q[n]) && q[n] != '\0') return 1;
    }
    return 0;
}

static CUresult module_get_function(CUfunction *hfunc, CUmodule hmod, const char *name) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    if (hfunc == NULL || name == NULL) return CUDA_ERROR_INVALID_VALUE;
    struct module *m = find_module(hmod);
    if (m == NULL) return CUDA_ERROR_INVALID_HANDLE;
    for (struct function *f = m->functions; f; f = f->next) {
        if (strcmp(f->name, name) == 0) { *hfunc = (CUfunction) f; return CUDA_SUCCESS; }
    }
    if (!declares_entry(m->ptx, name)) return CUDA_ERROR_NOT_FOUND;
    struct function *f = calloc(1, sizeof *f);
    if (f == NULL || (f->name = strdup(name)) == NULL) { free(f); return CUDA_ERROR_OUT_OF_MEMORY; }
    f->module = m;
    f->next = m->functions;
    m->functions = f;
    *hfunc = (CUfunction) f;
    return CUDA_SUCCESS;
}

static CUresult module_unload(CUmodule hmod) {
    CUresult r = need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct module **x = &modules; *x; x = &(*x)->next) {
        if ((CUmodule) *x == hmod) { struct module *d = *x; *x = d->next; free_module(d); return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

static CUresult launch(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                       unsigned int bx, unsigned int by, unsigned int bz,
                       unsigned int shared, CUstream s, void **params, void **extra) {
    CUresult r = need_context();
    if (r == CUDA_SUCCESS) r = check_stream(s);
    if (r != CUDA_SUCCESS) return r;
    struct function *fn = find_function(f);
    if (fn == NULL) return CUDA_ERROR_INVALID_HANDLE;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) return CUDA_ERROR_INVALID_VALUE;
    if (bx > 1024 || by > 1024 || bz > 64 || (unsigned long long) bx * by * bz > 1024) return CUDA_ERROR_INVALID_VALUE;
    if (gx > 2147483647u || gy > 65535 || gz > 65535) return CUDA_ERROR_INVALID_VALUE;
    if (shared > MAX_DYNAMIC_SHARED) return CUDA_ERROR_INVALID_VALUE;
    if (params != NULL && extra != NULL) return CUDA_ERROR_INVALID_VALUE;
    if (launch_hook == NULL) return CUDA_ERROR_NOT_SUPPORTED; /* no executor installed: say so, never fake success */
    unsigned int dims[7] = { gx, gy, gz, bx, by, bz, shared };
    launches++;
    return (CUresult) launch_hook((uint64_t) (uintptr_t) fn->module, fn->name, dims, (uint64_t) (uintptr_t) s, params);
}

CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions, CUjit_option *options, void **optionValues) {
    LOCKED("cuModuleLoadDataEx", module_load(module, image, numOptions, options, optionValues));
}
CUresult CUDAAPI cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name) { LOCKED("cuModuleGetFunction", module_get_function(hfunc, hmod, name)); }
CUresult CUDAAPI cuModuleUnload(CUmodule hmod) { LOCKED("cuModuleUnload", module_unload(hmod)); }
CUresult CUDAAPI cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                                unsigned int bx, unsigned int by, unsigned int bz,
                                unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra) {
    LOCKED("cuLaunchKernel", launch(f, gx, gy, gz, bx, by, bz, sharedMemBytes, hStream, kernelParams, extra));
}
