package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An MPI communicator and the non-blocking collectives Flambeau runs on it. Each collective
 * takes {@link NativeBuffer}s, starts the MPI call and returns its {@link MpiRequest}; the
 * buffers must stay open until the request completes. Counts are in elements of the dtype.
 * Errors return as codes ({@code MPI_ERRORS_RETURN}), checked by {@link MpiStatus}.
 */
public final class MpiComm {
    final long handle;
    private final String name;
    private final int rank;
    private final int size;
    private final boolean predefined;
    private boolean freed;

    private MpiComm(long handle, String name, boolean predefined) {
        this.handle = handle;
        this.name = name;
        this.predefined = predefined;
        MpiHandles h = MpiLibrary.get().handles();
        try (Arena arena = Arena.ofConfined()) {
            MpiStatus.check(Mpi_h.MPI_Comm_set_errhandler(handle, h.errorsReturn()), "MPI_Comm_set_errhandler", name);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            MpiStatus.check(Mpi_h.MPI_Comm_rank(handle, out), "MPI_Comm_rank", name);
            rank = out.get(ValueLayout.JAVA_INT, 0);
            MpiStatus.check(Mpi_h.MPI_Comm_size(handle, out), "MPI_Comm_size", name);
            size = out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    static MpiComm predefined(long handle, String name) {
        return new MpiComm(handle, name, true);
    }

    public int rank() { return rank; }

    public int size() { return size; }

    /**
     * {@code MPI_Comm_create} over {@code ranks} of this communicator: collective, every rank of
     * this communicator calls it with the same ranks; returns null on ranks not in the list.
     */
    public MpiComm create(int[] ranks) {
        synchronized (Mpi.LOCK) {
            checkLive("MPI_Comm_create");
            MpiHandles h = MpiLibrary.get().handles();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment group = arena.allocate(h.layout());
                MpiStatus.check(Mpi_h.MPI_Comm_group(handle, group), "MPI_Comm_group", name);
                MemorySegment sub = arena.allocate(h.layout());
                MemorySegment list = arena.allocateFrom(ValueLayout.JAVA_INT, ranks);
                MpiStatus.check(Mpi_h.MPI_Group_incl(h.read(group), ranks.length, list, sub), "MPI_Group_incl", name);
                MemorySegment comm = arena.allocate(h.layout());
                int status = Mpi_h.MPI_Comm_create(handle, h.read(sub), comm);
                Mpi_h.MPI_Group_free(sub);
                Mpi_h.MPI_Group_free(group);
                MpiStatus.check(status, "MPI_Comm_create", name + " ranks " + java.util.Arrays.toString(ranks));
                long created = h.read(comm);
                return created == h.commNull() ? null : new MpiComm(created, "communicator of ranks "
                        + java.util.Arrays.toString(ranks), false);
            }
        }
    }

    /** {@code MPI_Comm_free}, for communicators made by {@link #create}; predefined ones stay. */
    public void free() {
        synchronized (Mpi.LOCK) {
            if (freed || predefined) {
                freed = true;
                return;
            }
            freed = true;
            try (Arena arena = Arena.ofConfined()) {
                MpiHandles h = MpiLibrary.get().handles();
                MemorySegment p = arena.allocate(h.layout());
                if (h.layout() instanceof ValueLayout.OfInt i) p.set(i, 0, (int) handle);
                else p.set(ValueLayout.ADDRESS, 0, MemorySegment.ofAddress(handle));
                MpiStatus.check(Mpi_h.MPI_Comm_free(p), "MPI_Comm_free", name);
            }
        }
    }

    /** All-reduce of {@code count} elements; {@code send} null means in place in {@code recv}. */
    public MpiRequest iallreduce(NativeBuffer send, NativeBuffer recv, int count, DType dtype, MpiOp op) {
        return start("MPI_Iallreduce", r -> Mpi_h.MPI_Iallreduce(sendOrInPlace(send), recv.segment, count, type(dtype),
                op(op), handle, r));
    }

    /**
     * {@code MPI_Allreduce} in place on elements {@code [offset, offset + count)} of {@code array}
     * (float[], double[] or long[] of {@code dtype}, or a {@link NativeBuffer}): MPI reads and writes the
     * Java array itself, through a critical downcall, so the elements are not copied to native memory and back.
     * Blocking, with no timeout: call it only once every rank is known to be in this collective
     * (the process group's header exchange says so). While it runs, this thread holds the array in
     * place and the JVM's collector may wait for it.
     */
    public void allreduceInPlace(Object array, int offset, int count, DType dtype, MpiOp op) {
        MemorySegment heap = switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            case NativeBuffer b -> b.segment; // a dense off-heap tensor's own elements (offset within the buffer)
            default -> throw new DistributedException("allreduceInPlace: cannot reduce a " + array.getClass().getSimpleName());
        };
        long bytes = dtype.byteSize();
        MemorySegment elements = heap.asSlice(offset * bytes, count * bytes);
        synchronized (Mpi.LOCK) {
            checkLive("MPI_Allreduce");
            MpiStatus.check(Mpi_h.MPI_Allreduce(MemorySegment.ofAddress(MpiLibrary.get().handles().inPlace()), elements, count,
                    type(dtype), op(op), handle), "MPI_Allreduce", name);
        }
    }

    public MpiRequest ibcast(NativeBuffer buffer, int count, DType dtype, int root) {
        return start("MPI_Ibcast", r -> Mpi_h.MPI_Ibcast(buffer.segment, count, type(dtype), root, handle, r));
    }

    /** Every rank's {@code count} elements, in rank order, into {@code recv} (size·count elements). */
    public MpiRequest iallgather(NativeBuffer send, NativeBuffer recv, int count, DType dtype) {
        return start("MPI_Iallgather", r -> Mpi_h.MPI_Iallgather(send.segment, count, type(dtype), recv.segment, count,
                type(dtype), handle, r));
    }

    /** {@code recv} matters on {@code root} only (null elsewhere). */
    public MpiRequest igather(NativeBuffer send, NativeBuffer recv, int count, DType dtype, int root) {
        return start("MPI_Igather", r -> Mpi_h.MPI_Igather(send.segment, count, type(dtype), segmentOrNull(recv), count,
                type(dtype), root, handle, r));
    }

    /** {@code send} matters on {@code root} only (null elsewhere). */
    public MpiRequest iscatter(NativeBuffer send, NativeBuffer recv, int count, DType dtype, int root) {
        return start("MPI_Iscatter", r -> Mpi_h.MPI_Iscatter(segmentOrNull(send), count, type(dtype), recv.segment, count,
                type(dtype), root, handle, r));
    }

    /** Reduces size·count elements and leaves block {@code rank} (count elements) in {@code recv}. */
    public MpiRequest ireduceScatterBlock(NativeBuffer send, NativeBuffer recv, int count, DType dtype, MpiOp op) {
        return start("MPI_Ireduce_scatter_block", r -> Mpi_h.MPI_Ireduce_scatter_block(send.segment, recv.segment, count,
                type(dtype), op(op), handle, r));
    }

    public MpiRequest ibarrier() {
        return start("MPI_Ibarrier", r -> Mpi_h.MPI_Ibarrier(handle, r));
    }

    private interface Starter {
        int start(MemorySegment request);
    }

    private MpiRequest start(String call, Starter starter) {
        synchronized (Mpi.LOCK) {
            checkLive(call);
            MpiRequest request = new MpiRequest(call);
            MpiStatus.check(starter.start(request.handle), call, name);
            return request;
        }
    }

    private void checkLive(String call) {
        if (freed) throw new DistributedException(call + ": the " + name + " was freed (destroy())");
    }

    private static long type(DType dtype) { return MpiLibrary.get().handles().datatype(dtype); }

    private static long op(MpiOp op) { return MpiLibrary.get().handles().op(op); }

    private static MemorySegment sendOrInPlace(NativeBuffer send) {
        return send != null ? send.segment : MemorySegment.ofAddress(MpiLibrary.get().handles().inPlace());
    }

    private static MemorySegment segmentOrNull(NativeBuffer b) {
        return b == null ? MemorySegment.NULL : b.segment;
    }

    @Override
    public String toString() { return name + " (rank " + rank + " of " + size + ")"; }
}
