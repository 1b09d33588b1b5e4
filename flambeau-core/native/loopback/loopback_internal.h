/*
 * State and helpers shared by the loopback driver's source files (loopback_driver.c: state,
 * controls, devices, contexts; loopback_memory.c: memory, streams, events; loopback_modules.c:
 * modules and launches). Everything here is hidden from the library's exports: only the CUDA
 * functions and the flb_* controls of loopback.h are visible to the binding and the tests.
 */
#ifndef FLAMBEAU_LOOPBACK_INTERNAL_H
#define FLAMBEAU_LOOPBACK_INTERNAL_H

#include <cuda.h>
#include "../headers.h"
#include "loopback.h"

#include <pthread.h>
#include <stddef.h>

#define FLB_INTERNAL __attribute__((visibility("hidden")))
#define MAX_DEVICES 8
#define MAX_DYNAMIC_SHARED 49152u

struct context { int device; int refcount; };
struct allocation { CUdeviceptr base; size_t size; struct context *ctx; struct allocation *next; };
struct function { struct module *module; char *name; struct function *next; };
struct module { struct context *ctx; char *ptx; struct function *functions; struct module *next; };
struct graph;
/* capture: the graph being recorded while the stream captures (NULL otherwise); invalid: a refused
 * call invalidated the capture (cuStreamEndCapture then fails) */
struct stream { struct context *ctx; struct stream *next; struct graph *capture; int invalid; };
struct event { struct context *ctx; int recorded; double ms; struct event *next; };

/* Guarded by flb_lock (recursive), except the configuration the critical calls read. */
extern FLB_INTERNAL pthread_mutex_t flb_lock;
extern FLB_INTERNAL pthread_once_t flb_lock_once;
extern FLB_INTERNAL volatile int flb_cfg_devices;
extern FLB_INTERNAL volatile int flb_cfg_version;
extern FLB_INTERNAL unsigned long long flb_cfg_memory;
extern FLB_INTERNAL volatile int flb_initialized;
extern FLB_INTERNAL struct context flb_contexts[MAX_DEVICES];
extern FLB_INTERNAL __thread struct context *flb_current;
extern FLB_INTERNAL struct allocation *flb_allocations;
extern FLB_INTERNAL struct module *flb_modules;
extern FLB_INTERNAL struct stream *flb_streams;
extern FLB_INTERNAL struct event *flb_events;
extern FLB_INTERNAL unsigned long long flb_used[MAX_DEVICES];
extern FLB_INTERNAL long flb_launches;
extern FLB_INTERNAL flb_module_load_hook flb_load_hook;
extern FLB_INTERNAL flb_module_unload_hook flb_unload_hook;
extern FLB_INTERNAL flb_launch_hook flb_launch_hook_fn;

FLB_INTERNAL void flb_init_lock(void);
/* The status injected for this call by flb_fail_next (consumed), or CUDA_SUCCESS. */
FLB_INTERNAL CUresult flb_injected(const char *name);
FLB_INTERNAL CUresult flb_need_context(void);
FLB_INTERNAL struct allocation *flb_find(CUdeviceptr ptr, size_t bytes);
/* A device range a call reads or writes: empty ranges pass, others must lie in one allocation. */
FLB_INTERNAL CUresult flb_device_range(CUdeviceptr ptr, size_t bytes);
FLB_INTERNAL CUresult flb_check_stream(CUstream s);
FLB_INTERNAL void flb_free_module(struct module *m);

/* ---- CUDA graphs (loopback_graphs.c) ---- */
/* The capturing stream s (NULL when s does not capture). */
FLB_INTERNAL struct stream *flb_capturing(CUstream s);
/* A call refused on capturing stream s: invalidates its capture, returns status. */
FLB_INTERNAL CUresult flb_refuse_capture(struct stream *s, CUresult status);
/* Work on the legacy stream: refused (and every capture invalidated) while any stream captures. */
FLB_INTERNAL CUresult flb_legacy_allowed(void);
/* Records a launch of fn (parameters copied, sized from its PTX) into s's capture. */
FLB_INTERNAL CUresult flb_record_launch(struct stream *s, struct function *fn, const unsigned int dims[7], void **params);
/* Records a memset (unit 1 or 4 bytes) or a device-to-device copy into s's capture. */
FLB_INTERNAL CUresult flb_record_memset(struct stream *s, CUdeviceptr dst, unsigned int value, size_t n, int unit);
FLB_INTERNAL CUresult flb_record_copy(struct stream *s, CUdeviceptr dst, CUdeviceptr src, size_t n);
FLB_INTERNAL long flb_live_graphs(void);
/* Destroys the graphs (and pending captures) of ctx, or all of them for NULL. */
FLB_INTERNAL void flb_destroy_graphs(struct context *ctx);
FLB_INTERNAL long flb_graph_launches(void);

/* Runs expr under the state lock unless a failure was injected for this call. */
#define LOCKED(name, expr) do { \
        CUresult r_ = flb_injected(name); \
        if (r_ != CUDA_SUCCESS) return r_; \
        pthread_once(&flb_lock_once, flb_init_lock); \
        pthread_mutex_lock(&flb_lock); \
        r_ = (expr); \
        pthread_mutex_unlock(&flb_lock); \
        return r_; \
    } while (0)

#endif /* FLAMBEAU_LOOPBACK_INTERNAL_H */
