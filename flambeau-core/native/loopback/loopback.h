/*
 * Loopback CUDA driver: a test stand-in for libcuda.so.1 and libcublas.so.12/.13 that lets the
 * FFM binding run end to end on a machine without a GPU.
 *
 * It is compiled against the real cuda.h (and native/headers.h for cuBLAS), so every exported
 * function has NVIDIA's exact prototype; a binding that passes arguments of the wrong size or in
 * the wrong order reads back wrong data in the binding tests instead of passing silently.
 *
 * Device memory is host memory (pointers returned by cuMemAlloc_v2 are malloc'd addresses); every
 * call that takes a device pointer checks it against the live allocations, as the driver does, so
 * a stale pointer is CUDA_ERROR_INVALID_VALUE rather than a crash. Streams execute at enqueue time.
 * Kernels cannot run in C: cuLaunchKernel hands the launch to a hook installed by the test (an FFM
 * upcall into the simulated device's PTX interpreter), and module loads hand the PTX text to a
 * second hook. The flb_* functions below are the test's controls; they are not part of CUDA.
 */
#ifndef FLAMBEAU_LOOPBACK_H
#define FLAMBEAU_LOOPBACK_H

#include <stddef.h>
#include <stdint.h>

#define FLB_EXPORT __attribute__((visibility("default")))

/* Called by cuModuleLoadDataEx after the loopback's own checks; returns a CUresult. On failure it
 * may write a JIT-style error log (NUL-terminated, at most logSize bytes) into log. */
typedef int (*flb_module_load_hook)(uint64_t module, const char *ptx, char *log, size_t logSize);

/* Called by cuModuleUnload and when a context's modules are destroyed. */
typedef void (*flb_module_unload_hook)(uint64_t module);

/* Called by cuLaunchKernel after validation; returns a CUresult. launch holds gridDim x/y/z,
 * blockDim x/y/z and sharedMemBytes; kernelParams is the caller's array, unchanged. */
typedef int (*flb_launch_hook)(uint64_t module, const char *kernel, const unsigned int *launch,
                               uint64_t stream, void **kernelParams);

/* Forgets all state (contexts, memory, modules, streams, events, hooks, injected failures) and
 * sets what the next cuInit finds: deviceCount devices (0: cuInit fails with
 * CUDA_ERROR_NO_DEVICE), the version cuDriverGetVersion reports (it also caps the PTX .version
 * that module loads accept), and each device's memory in bytes. */
FLB_EXPORT void flb_configure(int deviceCount, int driverVersion, unsigned long long totalMemPerDevice);

FLB_EXPORT void flb_set_hooks(flb_module_load_hook load, flb_module_unload_hook unload, flb_launch_hook launch);

/* Makes the next call of the named function (e.g. "cuStreamCreate") return status instead of
 * running; one-shot. For error-path tests. */
FLB_EXPORT void flb_fail_next(const char *function, int status);

/* 1 when [ptr, ptr + bytes) lies inside one live allocation (then *base and *size describe it), else 0. */
FLB_EXPORT int flb_find_allocation(uint64_t ptr, uint64_t bytes, uint64_t *base, uint64_t *size);

/* The context current on the calling thread (0 when none), for the loopback cuBLAS. */
FLB_EXPORT uint64_t flb_current_context(void);

/* For the loopback cuBLAS: when stream captures a graph, records fn(copy of data) as one of its
 * nodes and returns 1 (fn runs at each cuGraphLaunch); otherwise returns 0 and the caller runs now. */
FLB_EXPORT int flb_capture_host_work(uint64_t stream, void (*fn)(void *), const void *data, size_t size);

/* Counters for leak checks: live allocations, modules, streams, events, graphs (graphs and
 * executable graphs); launches run so far, graph launches so far. */
FLB_EXPORT long flb_live(const char *what);

#endif /* FLAMBEAU_LOOPBACK_H */
