/*
 * Loopback driver, part 3: modules (the PTX text is kept; its header is checked against the
 * configured driver version and the sm_75 device, then handed to the test's load hook) and
 * launches (validated like the driver does, then handed to the test's launch hook).
 */
#include "loopback_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct module *find_module(CUmodule m) {
    for (struct module *x = flb_modules; x; x = x->next) if ((CUmodule) x == m) return x;
    return NULL;
}

static struct function *find_function(CUfunction f) {
    for (struct module *m = flb_modules; m; m = m->next)
        for (struct function *x = m->functions; x; x = x->next) if ((CUfunction) x == f) return x;
    return NULL;
}

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
    int max = max_ptx_isa(flb_cfg_version);
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
    CUresult r = flb_need_context();
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
        m->ctx = flb_current;
        if (flb_load_hook) {
            char scratch[1];
            r = flb_load_hook((uint64_t) (uintptr_t) m, ptx, errLog ? errLog : scratch, errLog ? errSize : 0);
        }
        if (r != CUDA_SUCCESS) { free(m->ptx); free(m); m = NULL; }
    }
    if (r == CUDA_SUCCESS) {
        m->next = flb_modules;
        flb_modules = m;
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
    CUresult r = flb_need_context();
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
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    for (struct module **x = &flb_modules; *x; x = &(*x)->next) {
        if ((CUmodule) *x == hmod) { struct module *d = *x; *x = d->next; flb_free_module(d); return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

static CUresult launch(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                       unsigned int bx, unsigned int by, unsigned int bz,
                       unsigned int shared, CUstream s, void **params, void **extra) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(s);
    if (r != CUDA_SUCCESS) return r;
    struct function *fn = find_function(f);
    if (fn == NULL) return CUDA_ERROR_INVALID_HANDLE;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) return CUDA_ERROR_INVALID_VALUE;
    if (bx > 1024 || by > 1024 || bz > 64 || (unsigned long long) bx * by * bz > 1024) return CUDA_ERROR_INVALID_VALUE;
    if (gx > 2147483647u || gy > 65535 || gz > 65535) return CUDA_ERROR_INVALID_VALUE;
    if (shared > MAX_DYNAMIC_SHARED) return CUDA_ERROR_INVALID_VALUE;
    if (params != NULL && extra != NULL) return CUDA_ERROR_INVALID_VALUE;
    if (flb_launch_hook_fn == NULL) return CUDA_ERROR_NOT_SUPPORTED; /* no executor installed: say so, never fake success */
    unsigned int dims[7] = { gx, gy, gz, bx, by, bz, shared };
    if (s == NULL && (r = flb_legacy_allowed()) != CUDA_SUCCESS) return r;
    if (flb_capturing(s)) return flb_record_launch(flb_capturing(s), fn, dims, params); /* runs at cuGraphLaunch */
    flb_launches++;
    return (CUresult) flb_launch_hook_fn((uint64_t) (uintptr_t) fn->module, fn->name, dims, (uint64_t) (uintptr_t) s, params);
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
