package io.flambeau.distributed;

import io.flambeau.HostMemoryAccess;
import io.flambeau.Tensor;
import io.flambeau.distributed.mpi.MpiComm;
import io.flambeau.distributed.mpi.MpiOp;
import io.flambeau.distributed.mpi.MpiRequest;
import io.flambeau.distributed.mpi.NativeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The blocking collectives' route for dense CPU tensors whose storage lives off the Java heap
 * (above {@code flambeau.cpu.offHeapAbove} elements): MPI gets the storage's own address plus the
 * view's offset ({@link HostMemoryAccess}, wrapped as a {@link NativeBuffer} that releases
 * nothing), so nothing is copied in or out, and an AVG divides the elements where they are:
 * all-reduce and broadcast (in chunks), all-gather into a tensor and reduce-scatter of a tensor
 * (both tensors dense off-heap and apart). The all-reduce and broadcast return false, having done
 * nothing, when the tensor is not such a view; the caller checked the two-tensor ones.
 *
 * <p>The MPI calls are the ones the other ranks make for the same collective (a rank's storage
 * form is its own: the other ranks may stage): the blocking {@code MPI_Allreduce} where
 * {@link ProcessGroup} reduces large tensors in place, the non-blocking calls polled against the
 * group's timeout everywhere else, in the same chunks ({@link Chunks}). A collective that times
 * out leaves its tensors reachable for good, since MPI may still write into it.
 */
final class OffHeapCollectives {
    private OffHeapCollectives() {}

    /** Tensors whose memory a timed-out collective may still write: never released (as NativeBuffer.abandon). */
    private static final List<Tensor> KEPT = new ArrayList<>();

    /** MPI calls this route made on tensors' own memory, and the address of the last one's first element (tests read them). */
    static final AtomicLong MPI_CALLS = new AtomicLong();
    static volatile long lastAddress;

    /** All-reduce in place with blocking MPI_Allreduce calls (the large-tensor route every rank takes). */
    static boolean allReduceBlocking(MpiComm comm, Tensor t, MpiOp op, int divideBy) {
        return HostMemoryAccess.inPlace(t, "allReduce", true, (address, count) -> {
            NativeBuffer elements = NativeBuffer.over(address, count, t.dtype());
            Chunks.run(count, (at, n) -> comm.allreduceInPlace(called(elements.slice(at, n)), 0, n, t.dtype(), op));
            elements.divide(divideBy);
        });
    }

    /** All-reduce in place with non-blocking calls polled against the timeout (the route of small and bool tensors). */
    static boolean allReduce(ProcessGroup g, MpiComm comm, Tensor t, MpiOp op, int divideBy) {
        return HostMemoryAccess.inPlace(t, "allReduce", true, (address, count) -> {
            NativeBuffer elements = NativeBuffer.over(address, count, t.dtype());
            await(g, "allReduce", Chunks.start(count,
                    (at, n) -> comm.iallreduce(null, called(elements.slice(at, n)), n, t.dtype(), op)), t);
            elements.divide(divideBy);
        });
    }

    /** Broadcast from {@code root}: the root's MPI reads its elements, the others' write theirs. */
    static boolean broadcast(ProcessGroup g, MpiComm comm, Tensor t, int root) {
        return HostMemoryAccess.inPlace(t, "broadcast", g.rank() != root, (address, count) -> {
            NativeBuffer elements = NativeBuffer.over(address, count, t.dtype());
            await(g, "broadcast", Chunks.start(count,
                    (at, n) -> comm.ibcast(called(elements.slice(at, n)), n, t.dtype(), root)), t);
        });
    }

    /**
     * All-gather from {@code input}'s memory into {@code output}'s (both dense off-heap, apart: the
     * caller checked), one non-blocking call of {@code input.numel()} elements, as the staged route makes.
     */
    static void allGatherIntoTensor(ProcessGroup g, MpiComm comm, Tensor output, Tensor input) {
        HostMemoryAccess.inPlace(output, "allGatherIntoTensor", true, (outAddress, outCount) ->
                HostMemoryAccess.inPlace(input, "allGatherIntoTensor", false, (inAddress, inCount) -> {
                    NativeBuffer send = NativeBuffer.over(inAddress, inCount, input.dtype());
                    NativeBuffer recv = NativeBuffer.over(outAddress, outCount, output.dtype());
                    await(g, "allGatherIntoTensor", comm.iallgather(send, called(recv), (int) inCount, input.dtype()),
                            output, input);
                }));
    }

    /** Reduce-scatter from {@code input}'s memory into {@code output}'s (both dense off-heap, apart), AVG divided in place. */
    static void reduceScatterTensor(ProcessGroup g, MpiComm comm, Tensor output, Tensor input, MpiOp op, int divideBy) {
        HostMemoryAccess.inPlace(output, "reduceScatterTensor", true, (outAddress, outCount) ->
                HostMemoryAccess.inPlace(input, "reduceScatterTensor", false, (inAddress, inCount) -> {
                    NativeBuffer send = NativeBuffer.over(inAddress, inCount, input.dtype());
                    NativeBuffer recv = NativeBuffer.over(outAddress, outCount, output.dtype());
                    await(g, "reduceScatterTensor",
                            comm.ireduceScatterBlock(send, called(recv), (int) outCount, output.dtype(), op), output, input);
                    recv.divide(divideBy);
                }));
    }

    /** Whether two tensors' elements share no byte (MPI forbids a send buffer that overlaps the receive buffer). */
    static boolean apart(Tensor a, Tensor b) {
        long a0 = a.dataPtr(), a1 = a0 + a.numel() * a.dtype().byteSize();
        long b0 = b.dataPtr(), b1 = b0 + b.numel() * b.dtype().byteSize();
        return a1 <= b0 || b1 <= a0;
    }

    private static void await(ProcessGroup g, String collective, MpiRequest request, Tensor... tensors) {
        if (request.await(System.nanoTime() + g.timeout().toNanos())) return;
        synchronized (KEPT) {
            KEPT.addAll(List.of(tensors));
        }
        throw g.timedOut(collective, "the data exchange");
    }

    private static NativeBuffer called(NativeBuffer chunk) {
        MPI_CALLS.incrementAndGet();
        lastAddress = chunk.address();
        return chunk;
    }
}
