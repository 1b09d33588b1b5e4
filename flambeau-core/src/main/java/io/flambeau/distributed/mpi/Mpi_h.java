package io.flambeau.distributed.mpi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Downcalls for the functions of {@code native/mpi.h}, one static method per C function, in
 * jextract's spirit (written by hand: jextract is not installed where Flambeau is built, and
 * jextract would fix the handle types of one implementation at generation time).
 *
 * <p>Handle parameters ({@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, ...) are Java longs
 * here; each downcall converts them to the implementation's layout, a pointer for Open MPI or an
 * int for MPICH ({@link MpiHandles#layout()}). Callers reach this class only after
 * {@link MpiLibrary#get()} succeeded, so its initialisation never fails for a missing library.
 */
final class Mpi_h {
    private Mpi_h() {}

    private static final MpiLibrary LIBRARY = MpiLibrary.get();
    /** Marks a handle parameter in the signatures below; replaced by the implementation's layout. */
    private static final ValueLayout H = ValueLayout.JAVA_LONG.withName("MPI handle");
    private static final ValueLayout P = ValueLayout.ADDRESS;
    private static final ValueLayout I = ValueLayout.JAVA_INT;
    /** long -> the implementation's handle: MemorySegment.ofAddress for Open MPI, an int cast for MPICH. */
    private static final MethodHandle FROM_LONG = converter();

    /** Every function bound below (checked against native/mpi.h by a test). */
    static final List<String> SYMBOLS = List.of("MPI_Init_thread", "MPI_Initialized", "MPI_Finalized", "MPI_Finalize",
            "MPI_Abort", "MPI_Error_string", "MPI_Error_class", "MPI_Get_library_version", "MPI_Comm_rank", "MPI_Comm_size",
            "MPI_Comm_set_errhandler", "MPI_Comm_group", "MPI_Group_incl", "MPI_Group_free", "MPI_Comm_create",
            "MPI_Comm_free", "MPI_Allreduce", "MPI_Iallreduce", "MPI_Ibcast", "MPI_Iallgather", "MPI_Igather", "MPI_Iscatter",
            "MPI_Ireduce_scatter_block", "MPI_Ibarrier", "MPI_Test");

    private static final MethodHandle INIT_THREAD = bind("MPI_Init_thread", P, P, I, P);
    private static final MethodHandle INITIALIZED = bind("MPI_Initialized", P);
    private static final MethodHandle FINALIZED = bind("MPI_Finalized", P);
    private static final MethodHandle FINALIZE = bind("MPI_Finalize");
    private static final MethodHandle ABORT = bind("MPI_Abort", H, I);
    private static final MethodHandle ERROR_STRING = bind("MPI_Error_string", I, P, P);
    private static final MethodHandle ERROR_CLASS = bind("MPI_Error_class", I, P);
    private static final MethodHandle GET_LIBRARY_VERSION = bind("MPI_Get_library_version", P, P);
    private static final MethodHandle COMM_RANK = bind("MPI_Comm_rank", H, P);
    private static final MethodHandle COMM_SIZE = bind("MPI_Comm_size", H, P);
    private static final MethodHandle COMM_SET_ERRHANDLER = bind("MPI_Comm_set_errhandler", H, H);
    private static final MethodHandle COMM_GROUP = bind("MPI_Comm_group", H, P);
    private static final MethodHandle GROUP_INCL = bind("MPI_Group_incl", H, I, P, P);
    private static final MethodHandle GROUP_FREE = bind("MPI_Group_free", P);
    private static final MethodHandle COMM_CREATE = bind("MPI_Comm_create", H, H, P);
    private static final MethodHandle COMM_FREE = bind("MPI_Comm_free", P);
    /** Critical, with heap access: recvbuf may be a Java array, which the collector does not move during the call. */
    private static final MethodHandle ALLREDUCE = bind("MPI_Allreduce", new Linker.Option[] {Linker.Option.critical(true)},
            P, P, I, H, H, H);
    private static final MethodHandle IALLREDUCE = bind("MPI_Iallreduce", P, P, I, H, H, H, P);
    private static final MethodHandle IBCAST = bind("MPI_Ibcast", P, I, H, I, H, P);
    private static final MethodHandle IALLGATHER = bind("MPI_Iallgather", P, I, H, P, I, H, H, P);
    private static final MethodHandle IGATHER = bind("MPI_Igather", P, I, H, P, I, H, I, H, P);
    private static final MethodHandle ISCATTER = bind("MPI_Iscatter", P, I, H, P, I, H, I, H, P);
    private static final MethodHandle IREDUCE_SCATTER_BLOCK = bind("MPI_Ireduce_scatter_block", P, P, I, H, H, H, P);
    private static final MethodHandle IBARRIER = bind("MPI_Ibarrier", H, P);
    private static final MethodHandle TEST = bind("MPI_Test", P, P, P);

    static int MPI_Init_thread(MemorySegment argc, MemorySegment argv, int required, MemorySegment provided) {
        try { return (int) INIT_THREAD.invokeExact(argc, argv, required, provided); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Initialized(MemorySegment flag) {
        try { return (int) INITIALIZED.invokeExact(flag); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Finalized(MemorySegment flag) {
        try { return (int) FINALIZED.invokeExact(flag); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Finalize() {
        try { return (int) FINALIZE.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Abort(long comm, int errorcode) {
        try { return (int) ABORT.invokeExact(comm, errorcode); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Error_string(int errorcode, MemorySegment string, MemorySegment resultlen) {
        try { return (int) ERROR_STRING.invokeExact(errorcode, string, resultlen); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Error_class(int errorcode, MemorySegment errorclass) {
        try { return (int) ERROR_CLASS.invokeExact(errorcode, errorclass); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Get_library_version(MemorySegment version, MemorySegment resultlen) {
        try { return (int) GET_LIBRARY_VERSION.invokeExact(version, resultlen); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_rank(long comm, MemorySegment rank) {
        try { return (int) COMM_RANK.invokeExact(comm, rank); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_size(long comm, MemorySegment size) {
        try { return (int) COMM_SIZE.invokeExact(comm, size); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_set_errhandler(long comm, long errhandler) {
        try { return (int) COMM_SET_ERRHANDLER.invokeExact(comm, errhandler); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_group(long comm, MemorySegment group) {
        try { return (int) COMM_GROUP.invokeExact(comm, group); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Group_incl(long group, int n, MemorySegment ranks, MemorySegment newgroup) {
        try { return (int) GROUP_INCL.invokeExact(group, n, ranks, newgroup); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Group_free(MemorySegment group) {
        try { return (int) GROUP_FREE.invokeExact(group); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_create(long comm, long group, MemorySegment newcomm) {
        try { return (int) COMM_CREATE.invokeExact(comm, group, newcomm); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Comm_free(MemorySegment comm) {
        try { return (int) COMM_FREE.invokeExact(comm); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Allreduce(MemorySegment sendbuf, MemorySegment recvbuf, int count, long datatype, long op, long comm) {
        try { return (int) ALLREDUCE.invokeExact(sendbuf, recvbuf, count, datatype, op, comm); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Iallreduce(MemorySegment sendbuf, MemorySegment recvbuf, int count, long datatype, long op, long comm,
                              MemorySegment request) {
        try { return (int) IALLREDUCE.invokeExact(sendbuf, recvbuf, count, datatype, op, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Ibcast(MemorySegment buffer, int count, long datatype, int root, long comm, MemorySegment request) {
        try { return (int) IBCAST.invokeExact(buffer, count, datatype, root, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Iallgather(MemorySegment sendbuf, int sendcount, long sendtype, MemorySegment recvbuf, int recvcount,
                              long recvtype, long comm, MemorySegment request) {
        try { return (int) IALLGATHER.invokeExact(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Igather(MemorySegment sendbuf, int sendcount, long sendtype, MemorySegment recvbuf, int recvcount,
                           long recvtype, int root, long comm, MemorySegment request) {
        try { return (int) IGATHER.invokeExact(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Iscatter(MemorySegment sendbuf, int sendcount, long sendtype, MemorySegment recvbuf, int recvcount,
                            long recvtype, int root, long comm, MemorySegment request) {
        try { return (int) ISCATTER.invokeExact(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Ireduce_scatter_block(MemorySegment sendbuf, MemorySegment recvbuf, int recvcount, long datatype, long op,
                                         long comm, MemorySegment request) {
        try { return (int) IREDUCE_SCATTER_BLOCK.invokeExact(sendbuf, recvbuf, recvcount, datatype, op, comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Ibarrier(long comm, MemorySegment request) {
        try { return (int) IBARRIER.invokeExact(comm, request); } catch (Throwable t) { throw rethrow(t); }
    }
    static int MPI_Test(MemorySegment request, MemorySegment flag, MemorySegment status) {
        try { return (int) TEST.invokeExact(request, flag, status); } catch (Throwable t) { throw rethrow(t); }
    }

    /** A downcall returning int whose {@code H} parameters take a Java long, converted to the implementation's layout. */
    private static MethodHandle bind(String name, MemoryLayout... params) {
        return bind(name, new Linker.Option[0], params);
    }

    private static MethodHandle bind(String name, Linker.Option[] options, MemoryLayout... params) {
        MemoryLayout[] c = params.clone();
        for (int i = 0; i < c.length; i++) if (c[i] == H) c[i] = LIBRARY.handles().layout();
        MethodHandle out = Linker.nativeLinker().downcallHandle(LIBRARY.symbol(name), FunctionDescriptor.of(I, c), options);
        for (int i = 0; i < params.length; i++) if (params[i] == H) out = MethodHandles.filterArguments(out, i, FROM_LONG);
        return out;
    }

    private static MethodHandle converter() {
        try {
            var lookup = MethodHandles.lookup();
            return LIBRARY.handles().layout() instanceof ValueLayout.OfInt
                    ? lookup.findStatic(Mpi_h.class, "toInt", MethodType.methodType(int.class, long.class))
                    : lookup.findStatic(MemorySegment.class, "ofAddress", MethodType.methodType(MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int toInt(long handle) { return (int) handle; }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
