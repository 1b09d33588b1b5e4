/*
 * A loopback libnccl.so.2 whose ranks are MPI processes (the tests start them with mpirun): the
 * calls of native/nccl.h with NCCL's contract, "device" buffers being host memory (as in the
 * loopback libcuda, whose device pointers are host addresses) and each collective carried by the
 * MPI collective of the same meaning on a communicator made for the clique. This lets the same
 * binding code that drives NCCL on GPUs run as several ranks in CI. It expects MPI to be
 * initialised (the process group does that before any NCCL call) and calls MPI from the caller's
 * thread, as the process group's MPI_THREAD_SERIALIZED use allows.
 *
 * ncclGetUniqueId writes the caller's MPI_COMM_WORLD rank and a serial number into the id; in
 * ncclCommInitRank every rank sends its world rank to that root, which answers with the world
 * ranks of the whole clique in NCCL rank order, and MPI_Comm_create_group makes the communicator
 * (so NCCL rank r is rank r of it). The stream argument is recorded (flb_nccl_last_stream, for the
 * tests' check that collectives are queued on the device's stream) and otherwise ignored: the
 * loopback libcuda runs work at enqueue time, so work is done by the time a call returns.
 * Built by the tests with mpicc (LoopbackNccl), never shipped.
 */
#include "../nccl.h"

#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'F', 'L', 'B', 'N', 'C', 'M', 'P', 'I'};
#define MAX_RANKS 256

struct ncclComm {
    MPI_Comm comm;
    int rank, nranks;
};

static unsigned int next_serial = 1;
static cudaStream_t last_stream;

/* The last stream a collective was given: the tests compare it with the device's stream. */
cudaStream_t flb_nccl_last_stream(void) { return last_stream; }

static int mpi_ready(void) {
    int ok = 0;
    MPI_Initialized(&ok);
    return ok;
}

ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId) {
    if (!uniqueId) return ncclInvalidArgument;
    if (!mpi_ready()) return ncclSystemError;
    int world;
    MPI_Comm_rank(MPI_COMM_WORLD, &world);
    memset(uniqueId, 0, sizeof *uniqueId);
    memcpy(uniqueId->internal, MAGIC, sizeof MAGIC);
    unsigned int serial = next_serial++;
    memcpy(uniqueId->internal + 8, &world, sizeof world);
    memcpy(uniqueId->internal + 12, &serial, sizeof serial);
    for (int i = 16; i < NCCL_UNIQUE_ID_BYTES; i++) uniqueId->internal[i] = (char) (i * 7 + serial); /* all 128 bytes matter */
    return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank) {
    if (!comm || nranks < 1 || nranks > MAX_RANKS || rank < 0 || rank >= nranks) return ncclInvalidArgument;
    if (memcmp(commId.internal, MAGIC, sizeof MAGIC) != 0) return ncclInvalidArgument; /* not from ncclGetUniqueId */
    for (int i = 16; i < NCCL_UNIQUE_ID_BYTES; i++) {
        unsigned int serial;
        memcpy(&serial, commId.internal + 12, sizeof serial);
        if (commId.internal[i] != (char) (i * 7 + serial)) return ncclInvalidArgument; /* a damaged id */
    }
    if (!mpi_ready()) return ncclSystemError;
    int root, me;
    unsigned int serial;
    memcpy(&root, commId.internal + 8, sizeof root);
    memcpy(&serial, commId.internal + 12, sizeof serial);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    int tag = 1000 + (int) (serial % 30000);
    int members[MAX_RANKS];
    if (rank == 0) {
        if (me != root) return ncclInvalidUsage; /* NCCL rank 0 is the rank that made the id */
        for (int i = 0; i < nranks; i++) members[i] = -1;
        members[0] = me;
        for (int i = 1; i < nranks; i++) {
            int pair[2];
            MPI_Recv(pair, 2, MPI_INT, MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (pair[0] > 0 && pair[0] < nranks) members[pair[0]] = pair[1];
        }
        for (int i = 1; i < nranks; i++) if (members[i] >= 0) MPI_Send(members, nranks, MPI_INT, members[i], tag, MPI_COMM_WORLD);
        for (int i = 0; i < nranks; i++) if (members[i] < 0) return ncclInvalidUsage; /* two ranks claimed one rank */
    } else {
        int pair[2] = {rank, me};
        MPI_Send(pair, 2, MPI_INT, root, tag, MPI_COMM_WORLD);
        MPI_Recv(members, nranks, MPI_INT, root, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    MPI_Group world_group, group;
    MPI_Comm_group(MPI_COMM_WORLD, &world_group);
    MPI_Group_incl(world_group, nranks, members, &group);
    struct ncclComm *k = calloc(1, sizeof *k);
    int status = MPI_Comm_create_group(MPI_COMM_WORLD, group, tag, &k->comm);
    MPI_Group_free(&group);
    MPI_Group_free(&world_group);
    if (status != MPI_SUCCESS) { free(k); return ncclSystemError; }
    k->rank = rank;
    k->nranks = nranks;
    *comm = k;
    return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t comm) {
    if (!comm) return ncclInvalidArgument;
    if (mpi_ready()) MPI_Comm_free(&comm->comm);
    free(comm);
    return ncclSuccess;
}

static MPI_Datatype mpi_type(int type) {
    switch (type) {
        case ncclInt8: return MPI_INT8_T;
        case ncclUint8: return MPI_UINT8_T;
        case ncclInt32: return MPI_INT32_T;
        case ncclUint32: return MPI_UINT32_T;
        case ncclInt64: return MPI_INT64_T;
        case ncclUint64: return MPI_UINT64_T;
        case ncclFloat32: return MPI_FLOAT;
        case ncclFloat64: return MPI_DOUBLE;
        default: return MPI_DATATYPE_NULL; /* half types: not in the loopback */
    }
}

static MPI_Op mpi_op(int op) {
    switch (op) {
        case ncclSum: case ncclAvg: return MPI_SUM;
        case ncclProd: return MPI_PROD;
        case ncclMax: return MPI_MAX;
        case ncclMin: return MPI_MIN;
        default: return MPI_OP_NULL;
    }
}

#define DIVIDE(T) { T *x = (T *) buf; for (size_t i = 0; i < count; i++) x[i] /= n; }

/* ncclAvg: the sum divided by the number of ranks (integers truncate toward zero, as NCCL's do). */
static void average(void *buf, size_t count, int type, int n) {
    switch (type) {
        case ncclInt8: DIVIDE(int8_t) break;
        case ncclUint8: DIVIDE(uint8_t) break;
        case ncclInt32: DIVIDE(int32_t) break;
        case ncclUint32: DIVIDE(uint32_t) break;
        case ncclInt64: DIVIDE(int64_t) break;
        case ncclUint64: DIVIDE(uint64_t) break;
        case ncclFloat32: DIVIDE(float) break;
        case ncclFloat64: DIVIDE(double) break;
    }
}

static ncclResult_t checked(ncclComm_t comm, const void *send, void *recv, size_t count, int type, cudaStream_t stream) {
    if (!comm || (!send && count) || (!recv && count) || count > INT32_MAX) return ncclInvalidArgument;
    if (mpi_type(type) == MPI_DATATYPE_NULL) return ncclInvalidArgument;
    last_stream = stream;
    return ncclSuccess;
}

ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op,
                           ncclComm_t comm, cudaStream_t stream) {
    ncclResult_t r = checked(comm, sendbuff, recvbuff, count, datatype, stream);
    if (r != ncclSuccess) return r;
    if (mpi_op(op) == MPI_OP_NULL) return ncclInvalidArgument;
    const void *send = sendbuff == recvbuff ? MPI_IN_PLACE : sendbuff;
    if (MPI_Allreduce(send, recvbuff, (int) count, mpi_type(datatype), mpi_op(op), comm->comm) != MPI_SUCCESS) return ncclSystemError;
    if (op == ncclAvg) average(recvbuff, count, datatype, comm->nranks);
    return ncclSuccess;
}

ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root,
                           ncclComm_t comm, cudaStream_t stream) {
    /* only the root's sendbuff is read; other ranks may pass NULL */
    ncclResult_t r = checked(comm, sendbuff ? sendbuff : recvbuff, recvbuff, count, datatype, stream);
    if (r != ncclSuccess) return r;
    if (root < 0 || root >= comm->nranks) return ncclInvalidArgument;
    int es;
    MPI_Type_size(mpi_type(datatype), &es);
    if (comm->rank == root && sendbuff != recvbuff) memmove(recvbuff, sendbuff, count * (size_t) es);
    return MPI_Bcast(recvbuff, (int) count, mpi_type(datatype), root, comm->comm) == MPI_SUCCESS ? ncclSuccess : ncclSystemError;
}

ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype,
                           ncclComm_t comm, cudaStream_t stream) {
    ncclResult_t r = checked(comm, sendbuff, recvbuff, sendcount, datatype, stream);
    if (r != ncclSuccess) return r;
    int es;
    MPI_Type_size(mpi_type(datatype), &es);
    const void *send = (const char *) recvbuff + (size_t) comm->rank * sendcount * es == sendbuff ? MPI_IN_PLACE : sendbuff;
    return MPI_Allgather(send, (int) sendcount, mpi_type(datatype), recvbuff, (int) sendcount, mpi_type(datatype), comm->comm)
            == MPI_SUCCESS ? ncclSuccess : ncclSystemError;
}

ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype,
                               ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream) {
    ncclResult_t r = checked(comm, sendbuff, recvbuff, recvcount, datatype, stream);
    if (r != ncclSuccess) return r;
    if (mpi_op(op) == MPI_OP_NULL) return ncclInvalidArgument;
    if (MPI_Reduce_scatter_block(sendbuff, recvbuff, (int) recvcount, mpi_type(datatype), mpi_op(op), comm->comm) != MPI_SUCCESS) {
        return ncclSystemError;
    }
    if (op == ncclAvg) average(recvbuff, recvcount, datatype, comm->nranks);
    return ncclSuccess;
}
