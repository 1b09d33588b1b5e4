/*
 * Loopback libcuda.so.1: the driver-API subset Flambeau binds, on host memory. See loopback.h for
 * what it is for and what it promises. This file holds the state, the test controls, devices and
 * contexts; loopback_memory.c memory, streams and events; loopback_modules.c modules and launches.
 *
 * Built by the test build (LoopbackLibrary.java) as
 *   gcc -shared -fPIC -std=gnu11 -I/usr/local/cuda/include -Wl,-soname,libcuda.so.1 loopback_*.c
 * Because cuda.h maps plain names to versioned symbols (#define cuMemAlloc cuMemAlloc_v2), the
 * definitions written with the plain names export exactly the symbols the real driver exports,
 * with cuda.h's prototypes enforced by the compiler.
 *
 * Locking: one recursive mutex guards the state, held across the test's hooks (an upcall into Java
 * that may call flb_find_allocation on the same thread). The functions the Java binding calls as
 * critical downcalls (no thread-state transition, so they must never wait for a lock that a thread
 * inside Java might hold) read only configuration and take no lock but the injection lock, which
 * is never held across an upcall.
 */
#define _GNU_SOURCE
#include "loopback_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t flb_lock;
pthread_once_t flb_lock_once = PTHREAD_ONCE_INIT;
volatile int flb_cfg_devices = 0;
volatile int flb_cfg_version = 13000;
unsigned long long flb_cfg_memory = 1ull << 30;
volatile int flb_initialized = 0;
struct context flb_contexts[MAX_DEVICES];
__thread struct context *flb_current = NULL;
struct allocation *flb_allocations = NULL;
struct module *flb_modules = NULL;
struct stream *flb_streams = NULL;
struct event *flb_events = NULL;
unsigned long long flb_used[MAX_DEVICES];
long flb_launches = 0;
flb_module_load_hook flb_load_hook = NULL;
flb_module_unload_hook flb_unload_hook = NULL;
flb_launch_hook flb_launch_hook_fn = NULL;

static pthread_mutex_t inject_lock = PTHREAD_MUTEX_INITIALIZER;
static char inject_name[64];
static int inject_status = 0;

FLB_INTERNAL void flb_init_lock(void) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&flb_lock, &attr);
}

FLB_INTERNAL CUresult flb_injected(const char *name) {
    CUresult r = CUDA_SUCCESS;
    pthread_mutex_lock(&inject_lock);
    if (inject_status != 0 && strcmp(inject_name, name) == 0) {
        r = (CUresult) inject_status;
        inject_status = 0;
    }
    pthread_mutex_unlock(&inject_lock);
    return r;
}

/* ---- checks shared by many calls -------------------------------------------------------------- */

FLB_INTERNAL CUresult flb_need_context(void) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (flb_current == NULL || flb_current->refcount <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    return CUDA_SUCCESS;
}

FLB_INTERNAL struct allocation *flb_find(CUdeviceptr ptr, size_t bytes) {
    for (struct allocation *a = flb_allocations; a; a = a->next) {
        if (ptr >= a->base && ptr - a->base < a->size) {
            return bytes <= a->size - (ptr - a->base) ? a : NULL;
        }
    }
    return NULL;
}

FLB_INTERNAL CUresult flb_device_range(CUdeviceptr ptr, size_t bytes) {
    if (bytes == 0) return CUDA_SUCCESS;
    return flb_find(ptr, bytes) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

FLB_INTERNAL CUresult flb_check_stream(CUstream s) {
    if (s == NULL) return CUDA_SUCCESS;
    for (struct stream *x = flb_streams; x; x = x->next) if ((CUstream) x == s) return CUDA_SUCCESS;
    return CUDA_ERROR_INVALID_HANDLE;
}

/* ---- test controls ---------------------------------------------------------------------------- */

FLB_INTERNAL void flb_free_module(struct module *m) {
    if (flb_unload_hook) flb_unload_hook((uint64_t) (uintptr_t) m);
    for (struct function *f = m->functions, *next; f; f = next) { next = f->next; free(f->name); free(f); }
    free(m->ptx);
    free(m);
}

/* Destroys what a context owns, as the driver does when a primary context's last reference goes. */
static void destroy_context_resources(struct context *ctx) {
    struct allocation **a = &flb_allocations;
    while (*a) {
        struct allocation *x = *a;
        if (ctx == NULL || x->ctx == ctx) { *a = x->next; free((void *) (uintptr_t) x->base); free(x); }
        else a = &x->next;
    }
    struct module **m = &flb_modules;
    while (*m) { struct module *x = *m; if (ctx == NULL || x->ctx == ctx) { *m = x->next; flb_free_module(x); } else m = &x->next; }
    flb_destroy_graphs(ctx);
    struct stream **s = &flb_streams;
    while (*s) { struct stream *x = *s; if (ctx == NULL || x->ctx == ctx) { *s = x->next; free(x); } else s = &x->next; }
    struct event **e = &flb_events;
    while (*e) { struct event *x = *e; if (ctx == NULL || x->ctx == ctx) { *e = x->next; free(x); } else e = &x->next; }
    if (ctx) flb_used[ctx->device] = 0;
}

FLB_EXPORT void flb_configure(int deviceCount, int driverVersion, unsigned long long totalMemPerDevice) {
    pthread_once(&flb_lock_once, flb_init_lock);
    pthread_mutex_lock(&flb_lock);
    destroy_context_resources(NULL);
    flb_load_hook = NULL; flb_unload_hook = NULL; flb_launch_hook_fn = NULL;
    flb_cfg_devices = deviceCount < 0 ? 0 : deviceCount > MAX_DEVICES ? MAX_DEVICES : deviceCount;
    flb_cfg_version = driverVersion;
    flb_cfg_memory = totalMemPerDevice;
    flb_initialized = 0;
    flb_launches = 0;
    for (int i = 0; i < MAX_DEVICES; i++) { flb_contexts[i].device = i; flb_contexts[i].refcount = 0; flb_used[i] = 0; }
    flb_current = NULL;
    pthread_mutex_unlock(&flb_lock);
    pthread_mutex_lock(&inject_lock);
    inject_status = 0;
    pthread_mutex_unlock(&inject_lock);
}

FLB_EXPORT void flb_set_hooks(flb_module_load_hook load, flb_module_unload_hook unload, flb_launch_hook launch) {
    pthread_once(&flb_lock_once, flb_init_lock);
    pthread_mutex_lock(&flb_lock);
    flb_load_hook = load; flb_unload_hook = unload; flb_launch_hook_fn = launch;
    pthread_mutex_unlock(&flb_lock);
}

FLB_EXPORT void flb_fail_next(const char *function, int status) {
    pthread_mutex_lock(&inject_lock);
    snprintf(inject_name, sizeof inject_name, "%s", function);
    inject_status = status;
    pthread_mutex_unlock(&inject_lock);
}

FLB_EXPORT int flb_find_allocation(uint64_t ptr, uint64_t bytes, uint64_t *base, uint64_t *size) {
    pthread_once(&flb_lock_once, flb_init_lock);
    pthread_mutex_lock(&flb_lock);
    struct allocation *a = flb_find(ptr, bytes);
    if (a) { if (base) *base = a->base; if (size) *size = a->size; }
    pthread_mutex_unlock(&flb_lock);
    return a != NULL;
}

FLB_EXPORT uint64_t flb_current_context(void) {
    return flb_current && flb_current->refcount > 0 ? (uint64_t) (uintptr_t) flb_current : 0;
}

FLB_EXPORT long flb_live(const char *what) {
    long n = 0;
    pthread_once(&flb_lock_once, flb_init_lock);
    pthread_mutex_lock(&flb_lock);
    if (strcmp(what, "allocations") == 0) { for (struct allocation *a = flb_allocations; a; a = a->next) n++; }
    else if (strcmp(what, "modules") == 0) { for (struct module *m = flb_modules; m; m = m->next) n++; }
    else if (strcmp(what, "streams") == 0) { for (struct stream *s = flb_streams; s; s = s->next) n++; }
    else if (strcmp(what, "events") == 0) { for (struct event *e = flb_events; e; e = e->next) n++; }
    else if (strcmp(what, "launches") == 0) n = flb_launches;
    else if (strcmp(what, "graphs") == 0) n = flb_live_graphs();
    else if (strcmp(what, "graph launches") == 0) n = flb_graph_launches();
    else n = -1;
    pthread_mutex_unlock(&flb_lock);
    return n;
}

/* ---- initialisation, version, errors (lock-free: bound as critical downcalls) ---------------- */

CUresult CUDAAPI cuInit(unsigned int Flags) {
    CUresult r = flb_injected("cuInit");
    if (r != CUDA_SUCCESS) return r;
    if (Flags != 0) return CUDA_ERROR_INVALID_VALUE;
    if (flb_cfg_devices == 0) return CUDA_ERROR_NO_DEVICE;
    flb_initialized = 1;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDriverGetVersion(int *driverVersion) {
    CUresult r = flb_injected("cuDriverGetVersion");
    if (r != CUDA_SUCCESS) return r;
    if (driverVersion == NULL) return CUDA_ERROR_INVALID_VALUE;
    *driverVersion = flb_cfg_version;
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
    CUresult r = flb_injected("cuDeviceGetCount");
    if (r != CUDA_SUCCESS) return r;
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (count == NULL) return CUDA_ERROR_INVALID_VALUE;
    *count = flb_cfg_devices;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal) {
    CUresult r = flb_injected("cuDeviceGet");
    if (r != CUDA_SUCCESS) return r;
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal < 0 || ordinal >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
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
    CUresult r = flb_injected("cuDeviceGetAttribute");
    if (r != CUDA_SUCCESS) return r;
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (pi == NULL || (int) attrib <= 0 || attrib >= CU_DEVICE_ATTRIBUTE_MAX) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    *pi = attribute_value((int) attrib);
    return CUDA_SUCCESS;
}

static CUresult device_name(char *name, int len, CUdevice dev) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (name == NULL || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    snprintf(name, (size_t) len, "Flambeau Loopback Device %d (host memory)", dev);
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice dev) { LOCKED("cuDeviceGetName", device_name(name, len, dev)); }

static CUresult total_mem(size_t *bytes, CUdevice dev) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (bytes == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    *bytes = (size_t) flb_cfg_memory;
    return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceTotalMem(size_t *bytes, CUdevice dev) { LOCKED("cuDeviceTotalMem_v2", total_mem(bytes, dev)); }

/* ---- primary contexts ------------------------------------------------------------------------- */

static CUresult ctx_retain(CUcontext *pctx, CUdevice dev) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (pctx == NULL) return CUDA_ERROR_INVALID_VALUE;
    if (dev < 0 || dev >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    flb_contexts[dev].refcount++;
    *pctx = (CUcontext) &flb_contexts[dev];
    return CUDA_SUCCESS;
}

static CUresult ctx_release(CUdevice dev) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev < 0 || dev >= flb_cfg_devices) return CUDA_ERROR_INVALID_DEVICE;
    if (flb_contexts[dev].refcount <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    if (--flb_contexts[dev].refcount == 0) destroy_context_resources(&flb_contexts[dev]);
    return CUDA_SUCCESS;
}

static CUresult ctx_set_current(CUcontext ctx) {
    if (!flb_initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (ctx == NULL) { flb_current = NULL; return CUDA_SUCCESS; }
    for (int i = 0; i < flb_cfg_devices; i++) {
        if (ctx == (CUcontext) &flb_contexts[i]) {
            if (flb_contexts[i].refcount <= 0) return CUDA_ERROR_CONTEXT_IS_DESTROYED;
            flb_current = &flb_contexts[i];
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_CONTEXT;
}

CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev) { LOCKED("cuDevicePrimaryCtxRetain", ctx_retain(pctx, dev)); }

CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice dev) { LOCKED("cuDevicePrimaryCtxRelease_v2", ctx_release(dev)); }

CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx) { LOCKED("cuCtxSetCurrent", ctx_set_current(ctx)); }

static CUresult ctx_synchronize(void) {
    CUresult r = flb_need_context();
    return r != CUDA_SUCCESS ? r : flb_legacy_allowed();
}

CUresult CUDAAPI cuCtxSynchronize(void) { LOCKED("cuCtxSynchronize", ctx_synchronize()); }
