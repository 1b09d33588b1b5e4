/*
 * Loopback driver, part 2: device memory (host memory from aligned_alloc, checked against the
 * live allocations on every access), streams (work runs at enqueue time) and timing events.
 */
#include "loopback_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct event *find_event(CUevent e) {
    for (struct event *x = flb_events; x; x = x->next) if ((CUevent) x == e) return x;
    return NULL;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- memory ----------------------------------------------------------------------------------- */

static CUresult mem_get_info(size_t *free_bytes, size_t *total) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (free_bytes == NULL || total == NULL) return CUDA_ERROR_INVALID_VALUE;
    *total = (size_t) flb_cfg_memory;
    *free_bytes = (size_t) (flb_cfg_memory - flb_used[flb_current->device]);
    return CUDA_SUCCESS;
}

static CUresult mem_alloc(CUdeviceptr *dptr, size_t bytes) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (dptr == NULL || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    size_t rounded = (bytes + 255) & ~(size_t) 255;
    if (rounded < bytes || rounded > flb_cfg_memory - flb_used[flb_current->device]) return CUDA_ERROR_OUT_OF_MEMORY;
    void *p = aligned_alloc(256, rounded);
    struct allocation *a = malloc(sizeof *a);
    if (p == NULL || a == NULL) { free(p); free(a); return CUDA_ERROR_OUT_OF_MEMORY; }
    memset(p, 0xFF, rounded); /* cuMemAlloc does not zero memory: make reads of unset memory visible */
    *a = (struct allocation) { (CUdeviceptr) (uintptr_t) p, bytes, flb_current, flb_allocations };
    flb_allocations = a;
    flb_used[flb_current->device] += rounded;
    *dptr = a->base;
    return CUDA_SUCCESS;
}

static CUresult mem_free(CUdeviceptr dptr) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct allocation **a = &flb_allocations; *a; a = &(*a)->next) {
        struct allocation *x = *a;
        if (x->base == dptr) {
            *a = x->next;
            flb_used[x->ctx->device] -= (x->size + 255) & ~(size_t) 255;
            free((void *) (uintptr_t) x->base);
            free(x);
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_VALUE;
}

static CUresult memset8(CUdeviceptr dst, unsigned char value, size_t n, CUstream s) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r == CUDA_SUCCESS) r = flb_device_range(dst, n);
    if (r == CUDA_SUCCESS && s == NULL) r = flb_legacy_allowed();
    if (r == CUDA_SUCCESS && flb_capturing(s)) return n > 0 ? flb_record_memset(flb_capturing(s), dst, value, n, 1) : r;
    if (r == CUDA_SUCCESS && n > 0) memset((void *) (uintptr_t) dst, value, n);
    return r;
}

static CUresult memset32(CUdeviceptr dst, unsigned int value, size_t n, CUstream s) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r == CUDA_SUCCESS && (dst & 3) != 0) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS && n > SIZE_MAX / 4) r = CUDA_ERROR_INVALID_VALUE;
    if (r == CUDA_SUCCESS) r = flb_device_range(dst, n * 4);
    if (r == CUDA_SUCCESS && s == NULL) r = flb_legacy_allowed();
    if (r == CUDA_SUCCESS && flb_capturing(s)) return n > 0 ? flb_record_memset(flb_capturing(s), dst, value, n, 4) : r;
    if (r == CUDA_SUCCESS) {
        unsigned int *p = (unsigned int *) (uintptr_t) dst;
        for (size_t i = 0; i < n; i++) p[i] = value;
    }
    return r;
}

/* One copy routine for all directions: dst/src are device ranges when the flag says so. */
static CUresult copy(void *dst, int dstDevice, const void *src, int srcDevice, size_t n, CUstream s) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r != CUDA_SUCCESS || n == 0) return r;
    if ((!dstDevice && dst == NULL) || (!srcDevice && src == NULL)) return CUDA_ERROR_INVALID_VALUE;
    if (dstDevice && flb_device_range((CUdeviceptr) (uintptr_t) dst, n) != CUDA_SUCCESS) return CUDA_ERROR_INVALID_VALUE;
    if (srcDevice && flb_device_range((CUdeviceptr) (uintptr_t) src, n) != CUDA_SUCCESS) return CUDA_ERROR_INVALID_VALUE;
    if (s == NULL && (r = flb_legacy_allowed()) != CUDA_SUCCESS) return r;
    struct stream *capturing = flb_capturing(s);
    if (capturing && !(dstDevice && srcDevice)) return flb_refuse_capture(capturing, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    if (capturing) return flb_record_copy(capturing, (CUdeviceptr) (uintptr_t) dst, (CUdeviceptr) (uintptr_t) src, n);
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
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ph == NULL || flags > CU_STREAM_NON_BLOCKING) return CUDA_ERROR_INVALID_VALUE;
    struct stream *s = malloc(sizeof *s);
    if (s == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    *s = (struct stream) { flb_current, flb_streams, NULL, 0 };
    flb_streams = s;
    *ph = (CUstream) s;
    return CUDA_SUCCESS;
}

static CUresult stream_sync(CUstream s) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r == CUDA_SUCCESS && s == NULL) r = flb_legacy_allowed();
    if (r == CUDA_SUCCESS && flb_capturing(s)) r = flb_refuse_capture(flb_capturing(s), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    return r;
}

static CUresult stream_destroy(CUstream s) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct stream **x = &flb_streams; *x; x = &(*x)->next) {
        if ((CUstream) *x == s) {
            if ((*x)->capture) return flb_refuse_capture(*x, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
            struct stream *d = *x; *x = d->next; free(d); return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

static CUresult event_create(CUevent *ph, unsigned int flags) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ph == NULL || flags > 0xF) return CUDA_ERROR_INVALID_VALUE;
    struct event *e = calloc(1, sizeof *e);
    if (e == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    e->ctx = flb_current;
    e->next = flb_events;
    flb_events = e;
    *ph = (CUevent) e;
    return CUDA_SUCCESS;
}

static CUresult event_record(CUevent h, CUstream s) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r != CUDA_SUCCESS) return r;
    struct event *e = find_event(h);
    if (e == NULL) return CUDA_ERROR_INVALID_HANDLE;
    e->recorded = 1;
    e->ms = now_ms();
    return CUDA_SUCCESS;
}

static CUresult event_sync(CUevent h) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    return find_event(h) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

static CUresult event_elapsed(float *ms, CUevent start, CUevent end) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (ms == NULL) return CUDA_ERROR_INVALID_VALUE;
    struct event *a = find_event(start), *b = find_event(end);
    if (a == NULL || b == NULL || !a->recorded || !b->recorded) return CUDA_ERROR_INVALID_HANDLE;
    *ms = (float) (b->ms - a->ms);
    return CUDA_SUCCESS;
}

static CUresult event_destroy(CUevent h) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct event **x = &flb_events; *x; x = &(*x)->next) {
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
