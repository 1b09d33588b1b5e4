package io.flambeau.distributed.nccl;

import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An NCCL communicator ({@code ncclComm_t}) of one rank and the collectives Flambeau runs on it.
 * Buffers are device addresses and {@code stream} a {@code cudaStream_t} (a CUDA driver
 * {@code CUstream}): NCCL queues the collective on that stream and returns, so work queued after it
 * on the stream sees the result and the host never waits. Counts are elements. bool travels as
 * {@code ncclUint8}, with sum and max as a logical or, product and min as a logical and (PyTorch's
 * mapping). Each method passes NCCL's status through {@link NcclStatus}.
 */
public final class NcclComm implements AutoCloseable {
    /** NCCL's {@code ncclRedOp_t}. */
    public enum Op { SUM, PROD, MAX, MIN, AVG }

    private final long handle;
    private final int rank;
    private final int size;
    private boolean destroyed;

    private NcclComm(long handle, int rank, int size) {
        this.handle = handle;
        this.rank = rank;
        this.size = size;
    }

    /** {@code ncclCommInitRank}: blocks until all {@code nranks} ranks of {@code id} have called it. */
    public static NcclComm initRank(int nranks, NcclUniqueId id, int rank) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NcclStatus.check(Nccl_h.ncclCommInitRank(out, nranks, id.in(arena), rank), "ncclCommInitRank",
                    "rank " + rank + " of " + nranks);
            return new NcclComm(out.get(ValueLayout.ADDRESS, 0).address(), rank, nranks);
        }
    }

    private static volatile String unavailable;
    private static volatile boolean probed;

    /**
     * Null when NCCL loads (with every function Flambeau binds), else why not and what to install;
     * found out once per process, as the library is loaded once.
     */
    public static String unavailableReason() {
        if (probed) return unavailable;
        synchronized (NcclComm.class) {
            if (!probed) {
                try {
                    NcclLibrary library = NcclLibrary.get(); // first: Nccl_h's initialisation needs the library
                    for (String s : Nccl_h.SYMBOLS) library.symbol(s);
                } catch (DistributedException e) {
                    unavailable = e.getMessage();
                }
                probed = true;
            }
            return unavailable;
        }
    }

    /** {@code ncclGetVersion}: 22304 for NCCL 2.23.4. */
    public static int version() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            NcclStatus.check(Nccl_h.ncclGetVersion(v), "ncclGetVersion", null);
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public int rank() { return rank; }

    public int size() { return size; }

    public void allReduce(long send, long recv, long count, DType dtype, Op op, long stream) {
        check("ncclAllReduce");
        NcclStatus.check(Nccl_h.ncclAllReduce(at(send), at(recv), count, type(dtype), op(dtype, op), comm(), at(stream)),
                "ncclAllReduce", detail(count, dtype));
    }

    /** {@code send} matters on {@code root} only. */
    public void broadcast(long send, long recv, long count, DType dtype, int root, long stream) {
        check("ncclBroadcast");
        NcclStatus.check(Nccl_h.ncclBroadcast(at(send), at(recv), count, type(dtype), root, comm(), at(stream)),
                "ncclBroadcast", detail(count, dtype) + ", root " + root);
    }

    /** {@code recv} receives size()·sendCount elements, rank 0's first. */
    public void allGather(long send, long recv, long sendCount, DType dtype, long stream) {
        check("ncclAllGather");
        NcclStatus.check(Nccl_h.ncclAllGather(at(send), at(recv), sendCount, type(dtype), comm(), at(stream)),
                "ncclAllGather", detail(sendCount, dtype));
    }

    /** {@code send} holds size()·recvCount elements; this rank keeps the reduction of block {@code rank()}. */
    public void reduceScatter(long send, long recv, long recvCount, DType dtype, Op op, long stream) {
        check("ncclReduceScatter");
        NcclStatus.check(Nccl_h.ncclReduceScatter(at(send), at(recv), recvCount, type(dtype), op(dtype, op), comm(),
                at(stream)), "ncclReduceScatter", detail(recvCount, dtype));
    }

    /** {@code ncclGroupStart}: the collectives until {@link #groupEnd()} are launched together. */
    public static void groupStart() { NcclStatus.check(Nccl_h.ncclGroupStart(), "ncclGroupStart", null); }

    public static void groupEnd() { NcclStatus.check(Nccl_h.ncclGroupEnd(), "ncclGroupEnd", null); }

    /** {@code ncclCommDestroy}; closing twice is harmless, using it afterwards an error. */
    @Override
    public void close() {
        if (destroyed) return;
        destroyed = true;
        NcclStatus.check(Nccl_h.ncclCommDestroy(comm()), "ncclCommDestroy", null);
    }

    private void check(String call) {
        if (destroyed) throw new DistributedException(call + ": the NCCL communicator of rank " + rank + " was destroyed");
    }

    private MemorySegment comm() { return MemorySegment.ofAddress(handle); }

    private static MemorySegment at(long address) { return MemorySegment.ofAddress(address); }

    /** {@code ncclDataType_t}: bool as uint8. */
    static int type(DType dtype) {
        return switch (dtype) {
            case BOOL -> 1;     // ncclUint8
            case INT64 -> 4;    // ncclInt64
            case FLOAT32 -> 7;  // ncclFloat32
            case FLOAT64 -> 8;  // ncclFloat64
        };
    }

    static int op(DType dtype, Op op) {
        if (dtype == DType.BOOL) {
            return switch (op) {
                case SUM, MAX -> 2; // ncclMax: or
                case PROD, MIN -> 3; // ncclMin: and
                case AVG -> throw new io.flambeau.core.DTypeException("NCCL: cannot use AVG with bool tensors");
            };
        }
        return op.ordinal(); // ncclSum 0, ncclProd 1, ncclMax 2, ncclMin 3, ncclAvg 4
    }

    private String detail(long count, DType dtype) {
        return count + " " + dtype.pyName() + " elements on rank " + rank + " of " + size;
    }
}
