/*
 * The MPI subset Flambeau binds (io.flambeau.distributed.mpi), declared as in the MPI 3.1
 * standard, Open MPI 4.1's and MPICH 4.0's mpi.h, nothing more.
 *
 * - Bound in libmpi.so.40 (Open MPI) or libmpich.so.12 / libmpi.so.12 (MPICH). The library is
 *   opened once more with dlopen(RTLD_NOW | RTLD_GLOBAL) before MPI_Init_thread: Open MPI's plugins
 *   resolve symbols of libmpi globally, and the JVM opens libraries RTLD_LOCAL.
 * - Handles differ per implementation. Open MPI's are pointers: the addresses of exported globals
 *   (MPI_COMM_WORLD is &ompi_mpi_comm_world, MPI_FLOAT &ompi_mpi_float, MPI_SUM &ompi_mpi_op_sum,
 *   MPI_ERRORS_RETURN &ompi_mpi_errors_return, MPI_STATUS_IGNORE is NULL). MPICH's are int
 *   constants (MPI_COMM_WORLD 0x44000000, MPI_FLOAT 0x4c00040a, MPI_SUM 0x58000003,
 *   MPI_STATUS_IGNORE (MPI_Status *) 1). The Java side keeps one table per implementation
 *   (OpenMpiHandles, MpichHandles) and passes handles with the layout of that implementation.
 *
 * Standalone this header declares Open MPI's handle types as opaque pointers. When the real mpi.h
 * is included first (MPI_VERSION is defined), its types are used and the compiler checks every
 * declaration below against the implementation's: MpiHeaderTest compiles it that way against the
 * installed mpi.h of each implementation, so a drifted declaration fails the tests. Error classes
 * differ too (MPI_ERR_ROOT is 8 in Open MPI, 7 in MPICH): MPI_Error_class's answer is named from
 * the implementation's table.
 */
#ifndef FLAMBEAU_NATIVE_MPI_H
#define FLAMBEAU_NATIVE_MPI_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MPI_VERSION
typedef struct ompi_communicator_t *MPI_Comm;
typedef struct ompi_group_t *MPI_Group;
typedef struct ompi_datatype_t *MPI_Datatype;
typedef struct ompi_op_t *MPI_Op;
typedef struct ompi_request_t *MPI_Request;
typedef struct ompi_errhandler_t *MPI_Errhandler;
typedef struct ompi_status_public_t MPI_Status;
#endif

/* ---- environment ------------------------------------------------------------------------- */
int MPI_Init_thread(int *argc, char ***argv, int required, int *provided);
int MPI_Initialized(int *flag);
int MPI_Finalized(int *flag);
int MPI_Finalize(void);
int MPI_Abort(MPI_Comm comm, int errorcode);
int MPI_Error_string(int errorcode, char *string, int *resultlen);
int MPI_Error_class(int errorcode, int *errorclass);
int MPI_Get_library_version(char *version, int *resultlen);

/* ---- communicators and groups ------------------------------------------------------------ */
int MPI_Comm_rank(MPI_Comm comm, int *rank);
int MPI_Comm_size(MPI_Comm comm, int *size);
int MPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler);
int MPI_Comm_group(MPI_Comm comm, MPI_Group *group);
int MPI_Group_incl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup);
int MPI_Group_free(MPI_Group *group);
int MPI_Comm_create(MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm);
int MPI_Comm_free(MPI_Comm *comm);

/* ---- the one blocking collective: an all-reduce in place on a Java array (a critical downcall),
 *      run only once every rank is known to have reached it ------------------------------------ */
int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
                  MPI_Comm comm);

/* ---- non-blocking collectives (MPI 3): every collective is started, then polled with
 *      MPI_Test, so that a rank that never arrives ends in a timeout instead of a hang ------- */
int MPI_Iallreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
                   MPI_Comm comm, MPI_Request *request);
int MPI_Ibcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm,
               MPI_Request *request);
int MPI_Iallgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
                   int recvcount, MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request);
int MPI_Igather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
                int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request);
int MPI_Iscatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
                 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request);
int MPI_Ireduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount, MPI_Datatype datatype,
                              MPI_Op op, MPI_Comm comm, MPI_Request *request);
int MPI_Ibarrier(MPI_Comm comm, MPI_Request *request);
int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status);

#ifdef __cplusplus
}
#endif

#endif /* FLAMBEAU_NATIVE_MPI_H */
