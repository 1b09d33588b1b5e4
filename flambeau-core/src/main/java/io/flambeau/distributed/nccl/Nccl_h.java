package io.flambeau.distributed.nccl;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Downcalls for the functions of {@code native/nccl.h}, one static method per C function in
 * jextract's layout (written by hand: jextract is not installed where Flambeau is built).
 * {@code ncclUniqueId} is a 128-byte struct that {@code ncclCommInitRank} takes by value: its
 * descriptor says so with {@link #NCCL_UNIQUE_ID}, and the linker copies the struct into the
 * argument registers and stack as the C ABI requires. Callers reach this class only after
 * {@link NcclLibrary#get()} succeeded.
 */
final class Nccl_h {
    private Nccl_h() {}

    static final int NCCL_UNIQUE_ID_BYTES = 128;
    static final StructLayout NCCL_UNIQUE_ID = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(NCCL_UNIQUE_ID_BYTES, ValueLayout.JAVA_BYTE).withName("internal")).withName("ncclUniqueId");

    private static final NcclLibrary LIBRARY = NcclLibrary.get();
    private static final AddressLayout P = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;

    static final List<String> SYMBOLS = List.of("ncclGetVersion", "ncclGetUniqueId", "ncclCommInitRank", "ncclCommDestroy",
            "ncclGetErrorString", "ncclAllReduce", "ncclBroadcast", "ncclAllGather", "ncclReduceScatter", "ncclGroupStart",
            "ncclGroupEnd");

    private static final MethodHandle GET_VERSION = bind("ncclGetVersion", FunctionDescriptor.of(I, P));
    private static final MethodHandle GET_UNIQUE_ID = bind("ncclGetUniqueId", FunctionDescriptor.of(I, P));
    private static final MethodHandle COMM_INIT_RANK = bind("ncclCommInitRank", FunctionDescriptor.of(I, P, I, NCCL_UNIQUE_ID, I));
    private static final MethodHandle COMM_DESTROY = bind("ncclCommDestroy", FunctionDescriptor.of(I, P));
    private static final MethodHandle GET_ERROR_STRING = bind("ncclGetErrorString", FunctionDescriptor.of(P, I));
    private static final MethodHandle ALL_REDUCE = bind("ncclAllReduce", FunctionDescriptor.of(I, P, P, SIZE_T, I, I, P, P));
    private static final MethodHandle BROADCAST = bind("ncclBroadcast", FunctionDescriptor.of(I, P, P, SIZE_T, I, I, P, P));
    private static final MethodHandle ALL_GATHER = bind("ncclAllGather", FunctionDescriptor.of(I, P, P, SIZE_T, I, P, P));
    private static final MethodHandle REDUCE_SCATTER = bind("ncclReduceScatter", FunctionDescriptor.of(I, P, P, SIZE_T, I, I, P, P));
    private static final MethodHandle GROUP_START = bind("ncclGroupStart", FunctionDescriptor.of(I));
    private static final MethodHandle GROUP_END = bind("ncclGroupEnd", FunctionDescriptor.of(I));

    static int ncclGetVersion(MemorySegment version) {
        try { return (int) GET_VERSION.invokeExact(version); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclGetUniqueId(MemorySegment uniqueId) {
        try { return (int) GET_UNIQUE_ID.invokeExact(uniqueId); } catch (Throwable t) { throw rethrow(t); }
    }
    /** {@code commId} is the 128 bytes of the id, passed by value. */
    static int ncclCommInitRank(MemorySegment comm, int nranks, MemorySegment commId, int rank) {
        try { return (int) COMM_INIT_RANK.invokeExact(comm, nranks, commId, rank); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclCommDestroy(MemorySegment comm) {
        try { return (int) COMM_DESTROY.invokeExact(comm); } catch (Throwable t) { throw rethrow(t); }
    }
    static MemorySegment ncclGetErrorString(int result) {
        try { return (MemorySegment) GET_ERROR_STRING.invokeExact(result); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclAllReduce(MemorySegment send, MemorySegment recv, long count, int datatype, int op, MemorySegment comm,
                             MemorySegment stream) {
        try { return (int) ALL_REDUCE.invokeExact(send, recv, count, datatype, op, comm, stream); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclBroadcast(MemorySegment send, MemorySegment recv, long count, int datatype, int root, MemorySegment comm,
                             MemorySegment stream) {
        try { return (int) BROADCAST.invokeExact(send, recv, count, datatype, root, comm, stream); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclAllGather(MemorySegment send, MemorySegment recv, long sendcount, int datatype, MemorySegment comm,
                             MemorySegment stream) {
        try { return (int) ALL_GATHER.invokeExact(send, recv, sendcount, datatype, comm, stream); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclReduceScatter(MemorySegment send, MemorySegment recv, long recvcount, int datatype, int op,
                                 MemorySegment comm, MemorySegment stream) {
        try { return (int) REDUCE_SCATTER.invokeExact(send, recv, recvcount, datatype, op, comm, stream); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclGroupStart() {
        try { return (int) GROUP_START.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }
    static int ncclGroupEnd() {
        try { return (int) GROUP_END.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    private static MethodHandle bind(String name, FunctionDescriptor d) {
        return Linker.nativeLinker().downcallHandle(LIBRARY.symbol(name), d);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
