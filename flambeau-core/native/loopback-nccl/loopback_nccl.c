/*
 * A loopback libnccl.so.2 for the tests: the calls of native/nccl.h with NCCL's contract, the ranks
 * of a communicator being threads of one process and "device" buffers host memory (as in the
 * loopback libcuda). ncclCommInitRank blocks until every rank of the unique id has joined, as NCCL
 * does; a collective blocks until every rank has called it, then the last to arrive computes it for
 * all. Unlike NCCL, ranks that call with different counts, types, ops or roots all get
 * ncclInvalidUsage instead of a hang, which lets the tests exercise the binding's error path.
 * The stream argument is accepted and ignored: the work is done by the time the call returns.
 * Built by the tests with gcc (LoopbackNccl), never shipped.
 */
#include "../nccl.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANKS 64
static const char MAGIC[8] = {'F', 'L', 'B', 'N', 'C', 'C', 'L', '1'};

enum kind { ALL_REDUCE = 1, BROADCAST, ALL_GATHER, REDUCE_SCATTER };

struct call {
    int kind;
    const void *send;
    void *recv;
    size_t count;
    int type, op, root;
};

struct clique {
    char id[NCCL_UNIQUE_ID_BYTES];
    int nranks, joined, left, arrived;
    unsigned long generation;
    int result; /* of the collective of the current generation */
    struct call calls[MAX_RANKS];
    int taken[MAX_RANKS];
    struct clique *next;
};

struct ncclComm {
    struct clique *clique;
    int rank;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct clique *cliques;
static unsigned long long next_id = 1;

ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId) {
    if (!uniqueId) return ncclInvalidArgument;
    memset(uniqueId, 0, sizeof *uniqueId);
    memcpy(uniqueId->internal, MAGIC, sizeof MAGIC);
    pthread_mutex_lock(&lock);
    unsigned long long n = next_id++;
    pthread_mutex_unlock(&lock);
    memcpy(uniqueId->internal + 8, &n, sizeof n);
    for (int i = 16; i < NCCL_UNIQUE_ID_BYTES; i++) uniqueId->internal[i] = (char) (i * 7 + n); /* all 128 bytes matter */
    return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank) {
    if (!comm || nranks < 1 || nranks > MAX_RANKS || rank < 0 || rank >= nranks) return ncclInvalidArgument;
    if (memcmp(commId.internal, MAGIC, sizeof MAGIC) != 0) return ncclInvalidArgument; /* not from ncclGetUniqueId */
    pthread_mutex_lock(&lock);
    struct clique *c = cliques;
    while (c && memcmp(c->id, commId.internal, NCCL_UNIQUE_ID_BYTES) != 0) c = c->next;
    if (!c) {
        c = calloc(1, sizeof *c);
        memcpy(c->id, commId.internal, NCCL_UNIQUE_ID_BYTES);
        c->nranks = nranks;
        c->next = cliques;
        cliques = c;
    }
    if (c->nranks != nranks || c->taken[rank] || c->joined == c->nranks) {
        pthread_mutex_unlock(&lock);
        return ncclInvalidUsage;
    }
    c->taken[rank] = 1;
    c->joined++;
    pthread_cond_broadcast(&changed);
    while (c->joined < c->nranks) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    struct ncclComm *k = malloc(sizeof *k);
    k->clique = c;
    k->rank = rank;
    *comm = k;
    return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t comm) {
    if (!comm) return ncclInvalidArgument;
    free(comm); /* the clique stays: its id may not be reused anyway */
    return ncclSuccess;
}

static size_t type_size(int type) {
    switch (type) {
        case ncclInt8: case ncclUint8: return 1;
        case ncclInt32: case ncclUint32: case ncclFloat32: return 4;
        case ncclInt64: case ncclUint64: case ncclFloat64: return 8;
        default: return 0; /* half types: not in the loopback */
    }
}

#define REDUCE(T) { \
    T *acc = (T *) out; \
    for (int r = 0; r < n; r++) { \
        const T *x = (const T *) ((const char *) c->calls[r].send + offset * sizeof(T)); \
        for (size_t i = 0; i < count; i++) { \
            if (r == 0) { acc[i] = x[i]; continue; } \
            switch (op) { \
                case ncclSum: case ncclAvg: acc[i] += x[i]; break; \
                case ncclProd: acc[i] *= x[i]; break; \
                case ncclMax: if (x[i] > acc[i]) acc[i] = x[i]; break; \
                case ncclMin: if (x[i] < acc[i]) acc[i] = x[i]; break; \
            } \
        } \
    } \
    if (op == ncclAvg) for (size_t i = 0; i < count; i++) acc[i] /= n; }

/* Reduces elements offset .. offset+count-1 of every rank's send buffer into out. */
static void reduce(struct clique *c, void *out, size_t offset, size_t count, int type, int op) {
    int n = c->nranks;
    switch (type) {
        case ncclInt8: REDUCE(int8_t) break;
        case ncclUint8: REDUCE(uint8_t) break;
        case ncclInt32: REDUCE(int32_t) break;
        case ncclUint32: REDUCE(uint32_t) break;
        case ncclInt64: REDUCE(int64_t) break;
        case ncclUint64: REDUCE(uint64_t) break;
        case ncclFloat32: REDUCE(float) break;
        case ncclFloat64: REDUCE(double) break;
    }
}

/* Run by the last rank to arrive, for everyone: results go through a temporary, so that in-place calls work. */
static int compute(struct clique *c) {
    struct call *first = &c->calls[0];
    int n = c->nranks;
    for (int r = 1; r < n; r++) {
        struct call *k = &c->calls[r];
        if (k->kind != first->kind || k->count != first->count || k->type != first->type || k->op != first->op
            || k->root != first->root) return ncclInvalidUsage;
    }
    size_t es = type_size(first->type), count = first->count;
    if (es == 0) return ncclInvalidArgument;
    if (first->op < ncclSum || first->op > ncclAvg) return ncclInvalidArgument;
    if (first->root < 0 || first->root >= n) return ncclInvalidArgument;
    size_t total = first->kind == ALL_GATHER || first->kind == REDUCE_SCATTER ? count * n : count;
    char *tmp = malloc(total * es + 1);
    switch (first->kind) {
        case ALL_REDUCE:
            reduce(c, tmp, 0, count, first->type, first->op);
            for (int r = 0; r < n; r++) memcpy(c->calls[r].recv, tmp, count * es);
            break;
        case BROADCAST:
            memcpy(tmp, c->calls[first->root].send, count * es);
            for (int r = 0; r < n; r++) memcpy(c->calls[r].recv, tmp, count * es);
            break;
        case ALL_GATHER:
            for (int r = 0; r < n; r++) memcpy(tmp + r * count * es, c->calls[r].send, count * es);
            for (int r = 0; r < n; r++) memcpy(c->calls[r].recv, tmp, total * es);
            break;
        case REDUCE_SCATTER:
            for (int j = 0; j < n; j++) reduce(c, tmp + j * count * es, j * count, count, first->type, first->op);
            for (int r = 0; r < n; r++) memcpy(c->calls[r].recv, tmp + r * count * es, count * es);
            break;
    }
    free(tmp);
    return ncclSuccess;
}

static ncclResult_t collective(ncclComm_t comm, int kind, const void *send, void *recv, size_t count, int type, int op,
                               int root) {
    if (!comm || (!send && count) || (!recv && count)) return ncclInvalidArgument;
    struct clique *c = comm->clique;
    pthread_mutex_lock(&lock);
    unsigned long gen = c->generation;
    c->calls[comm->rank] = (struct call) {kind, send, recv, count, type, op, root};
    if (++c->arrived == c->nranks) {
        c->result = compute(c);
        c->arrived = 0;
        c->generation++;
        pthread_cond_broadcast(&changed);
    } else {
        while (c->generation == gen) pthread_cond_wait(&changed, &lock);
    }
    int result = c->result;
    pthread_mutex_unlock(&lock);
    return result;
}

ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream) {
    (void) stream;
    return collective(comm, ALL_REDUCE, sendbuff, recvbuff, count, datatype, op, 0);
}

ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root,
                           ncclComm_t comm, cudaStream_t stream) {
    (void) stream;
    /* only the root's sendbuff is read; other ranks may pass NULL */
    return collective(comm, BROADCAST, sendbuff ? sendbuff : recvbuff, recvbuff, count, datatype, ncclSum, root);
}

ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype,
                           ncclComm_t comm, cudaStream_t stream) {
    (void) stream;
    return collective(comm, ALL_GATHER, sendbuff, recvbuff, sendcount, datatype, ncclSum, 0);
}

ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype,
                               ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream) {
    (void) stream;
    return collective(comm, REDUCE_SCATTER, sendbuff, recvbuff, recvcount, datatype, op, 0);
}
