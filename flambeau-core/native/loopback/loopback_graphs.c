/*
 * Loopback driver, part 4: CUDA graphs by stream capture. While a stream captures, its launches,
 * memsets and device-to-device copies (and the loopback cuBLAS's GEMMs on it) are recorded as the
 * nodes of a graph instead of running; cuGraphLaunch runs the nodes in order, reading memory as it
 * is then. As in the driver, a synchronisation of the capturing stream or a copy between it and
 * the host fails with CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, work on the legacy stream while a
 * (blocking) stream captures fails with CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, both invalidate the
 * capture, and ending an invalidated capture fails with CUDA_ERROR_STREAM_CAPTURE_INVALIDATED.
 * A recorded launch copies its parameters, sized from the kernel's PTX declaration, as the driver
 * copies them at capture.
 */
#include "loopback_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NODE_LAUNCH, NODE_MEMSET, NODE_COPY, NODE_HOST };

struct node {
    int kind;
    struct function *fn;          /* launch */
    unsigned int dims[7];
    int nparams;
    void **params;                /* pointers into blob, one per parameter */
    unsigned char *blob;          /* launch parameters; host work data */
    CUdeviceptr dst, src;         /* memset, copy */
    size_t n;
    unsigned int value;
    int unit;
    void (*host)(void *);
    struct node *next;
};

struct graph { struct node *head, *tail; int refs; struct context *ctx; struct graph *next; };
struct exec { struct graph *graph; struct context *ctx; struct exec *next; };

static struct graph *graphs = NULL;
static struct exec *execs = NULL;
static long graph_launches = 0;

FLB_INTERNAL struct stream *flb_capturing(CUstream s) {
    if (s == NULL) return NULL;
    for (struct stream *x = flb_streams; x; x = x->next) if ((CUstream) x == s) return x->capture ? x : NULL;
    return NULL;
}

FLB_INTERNAL CUresult flb_refuse_capture(struct stream *s, CUresult status) {
    s->invalid = 1;
    return status;
}

FLB_INTERNAL CUresult flb_legacy_allowed(void) {
    CUresult r = CUDA_SUCCESS;
    for (struct stream *x = flb_streams; x; x = x->next) {
        if (x->capture) { x->invalid = 1; r = CUDA_ERROR_STREAM_CAPTURE_IMPLICIT; }
    }
    return r;
}

static CUresult append(struct stream *s, struct node *n) {
    if (s->invalid) { free(n->blob); free(n->params); free(n); return CUDA_SUCCESS; } /* nothing more is kept */
    struct graph *g = s->capture;
    if (g->tail) g->tail->next = n; else g->head = n;
    g->tail = n;
    return CUDA_SUCCESS;
}

/* Size in bytes of a .param declaration ("… .u64 name", "… .align 8 .b8 name[24]"), 0 if unknown. */
static size_t param_size(const char *decl, const char *end) {
    size_t elem = 0, count = 1;
    for (const char *p = decl; p < end; p++) {
        if (*p != '.') continue;
        const char *t = p + 1;
        if (!strncmp(t, "param", 5) || !strncmp(t, "align", 5) || !strncmp(t, "ptr", 3)) continue;
        int bits = atoi(t + 1);
        if ((t[0] == 'u' || t[0] == 's' || t[0] == 'b' || t[0] == 'f') && bits >= 8) { elem = (size_t) bits / 8; break; }
    }
    const char *br = memchr(decl, '[', (size_t) (end - decl));
    if (br) count = (size_t) strtoul(br + 1, NULL, 10);
    return elem * count;
}

/* The sizes of entry name's parameters, in order; the count, or -1 when the entry is not found. */
static int param_sizes(const char *ptx, const char *name, size_t *sizes, int max) {
    size_t len = strlen(name);
    for (const char *p = strstr(ptx, ".entry"); p; p = strstr(p + 6, ".entry")) {
        const char *q = p + 6;
        while (*q == ' ' || *q == '\t') q++;
        if (strncmp(q, name, len) != 0 || !strchr(" \t\r\n(", q[len])) continue;
        const char *open = strchr(q, '('), *close = open ? strchr(open, ')') : NULL;
        if (!open || !close) return 0;
        int n = 0;
        for (const char *d = strstr(open, ".param"); d && d < close && n < max; d = strstr(d + 6, ".param")) {
            const char *e = d + 6;
            while (e < close && *e != ',') e++;
            sizes[n++] = param_size(d, e);
        }
        return n;
    }
    return -1;
}

FLB_INTERNAL CUresult flb_record_launch(struct stream *s, struct function *fn, const unsigned int dims[7], void **params) {
    size_t sizes[512];
    int count = param_sizes(fn->module->ptx, fn->name, sizes, 512);
    if (count < 0) return CUDA_ERROR_NOT_FOUND;
    if (count > 0 && params == NULL) return CUDA_ERROR_INVALID_VALUE;
    size_t total = 0;
    for (int i = 0; i < count; i++) total += (sizes[i] + 7) & ~(size_t) 7;
    struct node *n = calloc(1, sizeof *n);
    if (n == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    n->kind = NODE_LAUNCH;
    n->fn = fn;
    memcpy(n->dims, dims, sizeof n->dims);
    n->nparams = count;
    n->blob = malloc(total ? total : 1);
    n->params = calloc((size_t) (count ? count : 1), sizeof(void *));
    if (n->blob == NULL || n->params == NULL) { free(n->blob); free(n->params); free(n); return CUDA_ERROR_OUT_OF_MEMORY; }
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        memcpy(n->blob + at, params[i], sizes[i]);
        n->params[i] = n->blob + at;
        at += (sizes[i] + 7) & ~(size_t) 7;
    }
    return append(s, n);
}

FLB_INTERNAL CUresult flb_record_memset(struct stream *s, CUdeviceptr dst, unsigned int value, size_t count, int unit) {
    struct node *n = calloc(1, sizeof *n);
    if (n == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    n->kind = NODE_MEMSET; n->dst = dst; n->value = value; n->n = count; n->unit = unit;
    return append(s, n);
}

FLB_INTERNAL CUresult flb_record_copy(struct stream *s, CUdeviceptr dst, CUdeviceptr src, size_t count) {
    struct node *n = calloc(1, sizeof *n);
    if (n == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    n->kind = NODE_COPY; n->dst = dst; n->src = src; n->n = count;
    return append(s, n);
}

FLB_EXPORT int flb_capture_host_work(uint64_t stream, void (*fn)(void *), const void *data, size_t size) {
    pthread_once(&flb_lock_once, flb_init_lock);
    pthread_mutex_lock(&flb_lock);
    struct stream *s = flb_capturing((CUstream) (uintptr_t) stream);
    int recorded = 0;
    if (s != NULL) {
        struct node *n = calloc(1, sizeof *n);
        unsigned char *copy = malloc(size ? size : 1);
        if (n != NULL && copy != NULL) {
            memcpy(copy, data, size);
            n->kind = NODE_HOST; n->host = fn; n->blob = copy;
            append(s, n);
        } else {
            free(n); free(copy);
            s->invalid = 1;
        }
        recorded = 1;
    }
    pthread_mutex_unlock(&flb_lock);
    return recorded;
}

static void free_graph(struct graph *g) {
    for (struct node *n = g->head, *next; n; n = next) { next = n->next; free(n->blob); free(n->params); free(n); }
    free(g);
}

static void release(struct graph *g) {
    if (--g->refs > 0) return;
    for (struct graph **x = &graphs; *x; x = &(*x)->next) if (*x == g) { *x = g->next; break; }
    free_graph(g);
}

static CUresult begin_capture(CUstream hs, CUstreamCaptureMode mode) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (hs == NULL) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED; /* the legacy stream cannot capture */
    if ((int) mode < 0 || (int) mode > 2) return CUDA_ERROR_INVALID_VALUE;
    struct stream *s = NULL;
    for (struct stream *x = flb_streams; x; x = x->next) if ((CUstream) x == hs) s = x;
    if (s == NULL) return CUDA_ERROR_INVALID_HANDLE;
    if (s->capture) return CUDA_ERROR_ILLEGAL_STATE;
    struct graph *g = calloc(1, sizeof *g);
    if (g == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    s->capture = g;
    s->invalid = 0;
    return CUDA_SUCCESS;
}

static CUresult end_capture(CUstream hs, CUgraph *out) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (out == NULL) return CUDA_ERROR_INVALID_VALUE;
    struct stream *s = flb_capturing(hs);
    if (s == NULL) return hs != NULL && flb_check_stream(hs) == CUDA_SUCCESS ? CUDA_ERROR_STREAM_CAPTURE_UNMATCHED
                                                                             : CUDA_ERROR_INVALID_HANDLE;
    struct graph *g = s->capture;
    s->capture = NULL;
    *out = NULL;
    if (s->invalid) { s->invalid = 0; free_graph(g); return CUDA_ERROR_STREAM_CAPTURE_INVALIDATED; }
    g->refs = 1;
    g->ctx = flb_current;
    g->next = graphs;
    graphs = g;
    *out = (CUgraph) g;
    return CUDA_SUCCESS;
}

static struct graph *find_graph(CUgraph h) {
    for (struct graph *g = graphs; g; g = g->next) if ((CUgraph) g == h) return g;
    return NULL;
}

static struct exec *find_exec(CUgraphExec h) {
    for (struct exec *e = execs; e; e = e->next) if ((CUgraphExec) e == h) return e;
    return NULL;
}

static CUresult instantiate(CUgraphExec *out, CUgraph hg, unsigned long long flags) {
    CUresult r = flb_need_context();
    if (r != CUDA_SUCCESS) return r;
    if (out == NULL || flags != 0) return CUDA_ERROR_INVALID_VALUE;
    struct graph *g = find_graph(hg);
    if (g == NULL) return CUDA_ERROR_INVALID_HANDLE;
    struct exec *e = malloc(sizeof *e);
    if (e == NULL) return CUDA_ERROR_OUT_OF_MEMORY;
    g->refs++; /* the executable graph keeps the nodes, even once the graph is destroyed */
    *e = (struct exec) { g, flb_current, execs };
    execs = e;
    *out = (CUgraphExec) e;
    return CUDA_SUCCESS;
}

static CUresult graph_launch(CUgraphExec he, CUstream hs) {
    CUresult r = flb_need_context();
    if (r == CUDA_SUCCESS) r = flb_check_stream(hs);
    if (r != CUDA_SUCCESS) return r;
    struct exec *e = find_exec(he);
    if (e == NULL) return CUDA_ERROR_INVALID_HANDLE;
    if (flb_capturing(hs)) return flb_refuse_capture(flb_capturing(hs), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    graph_launches++;
    for (struct node *n = e->graph->head; n; n = n->next) {
        switch (n->kind) {
            case NODE_LAUNCH:
                flb_launches++;
                r = (CUresult) flb_launch_hook_fn((uint64_t) (uintptr_t) n->fn->module, n->fn->name, n->dims,
                                                  (uint64_t) (uintptr_t) hs, n->params);
                break;
            case NODE_MEMSET:
                r = flb_device_range(n->dst, n->n * (size_t) n->unit);
                if (r == CUDA_SUCCESS && n->unit == 1) memset((void *) (uintptr_t) n->dst, (int) n->value, n->n);
                else if (r == CUDA_SUCCESS) for (size_t i = 0; i < n->n; i++) ((unsigned int *) (uintptr_t) n->dst)[i] = n->value;
                break;
            case NODE_COPY:
                r = flb_device_range(n->dst, n->n);
                if (r == CUDA_SUCCESS) r = flb_device_range(n->src, n->n);
                if (r == CUDA_SUCCESS) memmove((void *) (uintptr_t) n->dst, (void *) (uintptr_t) n->src, n->n);
                break;
            case NODE_HOST:
                n->host(n->blob);
                break;
        }
        if (r != CUDA_SUCCESS) return r;
    }
    return CUDA_SUCCESS;
}

static CUresult exec_destroy(CUgraphExec he) {
    for (struct exec **x = &execs; *x; x = &(*x)->next) {
        if ((CUgraphExec) *x == he) { struct exec *d = *x; *x = d->next; release(d->graph); free(d); return CUDA_SUCCESS; }
    }
    return CUDA_ERROR_INVALID_HANDLE;
}

static CUresult graph_destroy(CUgraph hg) {
    struct graph *g = find_graph(hg);
    if (g == NULL) return CUDA_ERROR_INVALID_HANDLE;
    release(g);
    return CUDA_SUCCESS;
}

FLB_INTERNAL void flb_destroy_graphs(struct context *ctx) {
    for (struct stream *x = flb_streams; x; x = x->next) {
        if (x->capture && (ctx == NULL || x->ctx == ctx)) { free_graph(x->capture); x->capture = NULL; x->invalid = 0; }
    }
    for (struct exec **x = &execs; *x;) {
        struct exec *d = *x;
        if (ctx == NULL || d->ctx == ctx) { *x = d->next; release(d->graph); free(d); } else x = &d->next;
    }
    for (struct graph **x = &graphs; *x;) {
        struct graph *d = *x;
        if (ctx == NULL || d->ctx == ctx) { *x = d->next; free_graph(d); } else x = &d->next;
    }
    if (ctx == NULL) graph_launches = 0;
}

FLB_INTERNAL long flb_live_graphs(void) {
    long n = 0;
    for (struct graph *g = graphs; g; g = g->next) n++;
    for (struct exec *e = execs; e; e = e->next) n++;
    return n;
}

FLB_INTERNAL long flb_graph_launches(void) { return graph_launches; }

CUresult CUDAAPI cuStreamBeginCapture(CUstream hStream, CUstreamCaptureMode mode) {
    LOCKED("cuStreamBeginCapture_v2", begin_capture(hStream, mode));
}
CUresult CUDAAPI cuStreamEndCapture(CUstream hStream, CUgraph *phGraph) { LOCKED("cuStreamEndCapture", end_capture(hStream, phGraph)); }
CUresult CUDAAPI cuGraphInstantiateWithFlags(CUgraphExec *phGraphExec, CUgraph hGraph, unsigned long long flags) {
    LOCKED("cuGraphInstantiateWithFlags", instantiate(phGraphExec, hGraph, flags));
}
CUresult CUDAAPI cuGraphLaunch(CUgraphExec hGraphExec, CUstream hStream) { LOCKED("cuGraphLaunch", graph_launch(hGraphExec, hStream)); }
CUresult CUDAAPI cuGraphExecDestroy(CUgraphExec hGraphExec) { LOCKED("cuGraphExecDestroy", exec_destroy(hGraphExec)); }
CUresult CUDAAPI cuGraphDestroy(CUgraph hGraph) { LOCKED("cuGraphDestroy", graph_destroy(hGraph)); }
