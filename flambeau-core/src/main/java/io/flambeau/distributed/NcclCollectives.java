package io.flambeau.distributed;

import io.flambeau.Cuda;
import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DeviceException;
import io.flambeau.core.Device;
import io.flambeau.distributed.nccl.NcclComm;
import io.flambeau.distributed.nccl.NcclUniqueId;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The NCCL side of a {@link ProcessGroup}: one NCCL communicator per CUDA device the group's
 * collectives meet (made at the first collective on that device, its {@code ncclUniqueId} sent
 * from rank 0 over the group's control channel: MPI, or the env rendezvous' store), and each
 * collective queued on the device's stream ({@link Cuda#stream}), where Flambeau queues all of the
 * device's work. The host never waits: what is queued after a collective sees its result, and the
 * {@link Work} it returns is complete as far as the caller's program order goes.
 *
 * <p>Tensors that are not dense are reduced through a dense copy made and copied back on the
 * device. The NCCL subset Flambeau binds has no point-to-point calls, so {@code gather} runs as an
 * all-gather (every rank receives every input, the root keeps them) and {@code scatter} as a
 * broadcast of the root's stacked list (each rank keeps its slice): more traffic than NCCL's
 * send/receive, the same results.
 */
final class NcclCollectives implements AutoCloseable {
    private static volatile boolean fallbackNoted;

    /** What a collective queues once the ranks agree: the communicator of its device and that device's stream. */
    interface Enqueue {
        void on(NcclComm comm, long stream);
    }

    private final int rank;
    private final int size;
    private final Map<Integer, NcclComm> comms = new HashMap<>();

    NcclCollectives(int rank, int size) {
        this.rank = rank;
        this.size = size;
    }

    /**
     * Whether a collective on {@code t} goes through NCCL: a CUDA tensor on a device that shares its
     * memory and stream with other libraries, and NCCL loads. Otherwise (NCCL absent) one log line
     * says that CUDA tensors go through MPI with host staging.
     */
    static boolean serves(Tensor t) {
        if (t == null || !t.device().isCuda()) return false;
        String reason = NcclComm.unavailableReason();
        if (reason == null) {
            try {
                Cuda.stream(t.device());
                return true;
            } catch (DeviceException e) {
                reason = e.getMessage();
            }
        }
        if (!fallbackNoted) {
            fallbackNoted = true;
            System.getLogger("io.flambeau").log(System.Logger.Level.INFO, "Flambeau: NCCL is not available (" + reason
                    + "); collectives on CUDA tensors go through MPI with a copy through host memory");
        }
        return false;
    }

    /**
     * Runs {@code enqueue} with the communicator of {@code device}, making it first when this group
     * has none there yet: every rank reaches this point in the same collective, so they make it
     * together. {@code broadcastId} sends rank 0's 128 bytes to every rank.
     */
    void run(Device device, UnaryOperator<byte[]> broadcastId, Enqueue enqueue) {
        NcclComm comm = comms.get(device.index());
        if (comm == null) {
            byte[] id = broadcastId.apply(rank == 0 ? NcclUniqueId.create().bytes() : null);
            comm = NcclComm.initRank(size, NcclUniqueId.of(id), rank);
            comms.put(device.index(), comm);
        }
        enqueue.on(comm, Cuda.stream(device));
    }

    // ---- the collectives, queued on the stream -------------------------------------------------

    static Enqueue allReduce(Tensor t, ReduceOp op) {
        return (comm, stream) -> inPlace(t, dense -> comm.allReduce(dense.dataPtr(), dense.dataPtr(), dense.numel(),
                dense.dtype(), op(op), stream));
    }

    static Enqueue broadcast(Tensor t, int root) {
        return (comm, stream) -> inPlace(t, dense -> comm.broadcast(dense.dataPtr(), dense.dataPtr(), dense.numel(),
                dense.dtype(), root, stream));
    }

    /** Every rank's input, rank 0's first, into a new dense tensor of size·numel elements. */
    private static Tensor gathered(NcclComm comm, long stream, Tensor input) {
        Tensor in = input.contiguous();
        Tensor all = Torch.full(new long[] {comm.size() * input.numel()}, 0, input.dtype(), input.device());
        if (input.numel() > 0) comm.allGather(in.dataPtr(), all.dataPtr(), input.numel(), input.dtype(), stream);
        return all;
    }

    static Enqueue allGather(List<Tensor> outputs, Tensor input) {
        return (comm, stream) -> {
            Tensor all = gathered(comm, stream, input);
            copySlices(all, outputs, input.numel());
        };
    }

    static Enqueue allGatherIntoTensor(Tensor output, Tensor input) {
        return (comm, stream) -> {
            if (output.isContiguous() && input.isContiguous() && input.numel() > 0) {
                comm.allGather(input.dataPtr(), output.dataPtr(), input.numel(), input.dtype(), stream);
            } else {
                write(output, gathered(comm, stream, input));
            }
        };
    }

    static Enqueue gather(Tensor input, List<Tensor> gatherList, boolean root) {
        return (comm, stream) -> {
            Tensor all = gathered(comm, stream, input);
            if (root) copySlices(all, gatherList, input.numel());
        };
    }

    static Enqueue reduceScatter(Tensor output, List<Tensor> inputs, ReduceOp op) {
        return (comm, stream) -> {
            Tensor stacked = Torch.stack(inputs).contiguous();
            reduceScatterInto(comm, stream, output, stacked, op);
        };
    }

    static Enqueue reduceScatterTensor(Tensor output, Tensor input, ReduceOp op) {
        return (comm, stream) -> reduceScatterInto(comm, stream, output, input.contiguous(), op);
    }

    private static void reduceScatterInto(NcclComm comm, long stream, Tensor output, Tensor input, ReduceOp op) {
        inPlace(output, dense -> comm.reduceScatter(input.dataPtr(), dense.dataPtr(), dense.numel(), dense.dtype(), op(op),
                stream));
    }

    static Enqueue scatter(Tensor output, List<Tensor> scatterList, int root, boolean isRoot) {
        return (comm, stream) -> {
            long n = output.numel();
            Tensor all = isRoot ? Torch.stack(scatterList).reshape(-1).contiguous()
                    : Torch.full(new long[] {comm.size() * n}, 0, output.dtype(), output.device());
            if (n > 0) comm.broadcast(all.dataPtr(), all.dataPtr(), all.numel(), all.dtype(), root, stream);
            write(output, all.get(Index.slice(comm.rank() * n, (comm.rank() + 1) * n)));
        };
    }

    // ---- helpers ------------------------------------------------------------------------------

    private interface OnDense {
        void run(Tensor dense);
    }

    /** Runs {@code call} on {@code t} itself when dense, else on a dense copy that is then copied back into it. */
    private static void inPlace(Tensor t, OnDense call) {
        if (t.numel() == 0) return;
        if (t.isContiguous()) {
            call.run(t);
            return;
        }
        Tensor dense = t.contiguous();
        call.run(dense);
        write(t, dense);
    }

    private static void copySlices(Tensor all, List<Tensor> outputs, long each) {
        for (int r = 0; r < outputs.size(); r++) write(outputs.get(r), all.get(Index.slice(r * each, (r + 1) * each)));
    }

    /** Copies {@code values} (target's elements in row-major order) into {@code target}, on the device, outside autograd. */
    private static void write(Tensor target, Tensor values) {
        try (var ignored = Torch.noGrad()) {
            target.copy_(values.view(target.shape().toArray()));
        }
    }

    private static NcclComm.Op op(ReduceOp op) {
        return switch (op) {
            case SUM -> NcclComm.Op.SUM;
            case AVG -> NcclComm.Op.AVG;
            case PRODUCT -> NcclComm.Op.PROD;
            case MAX -> NcclComm.Op.MAX;
            case MIN -> NcclComm.Op.MIN;
        };
    }

    /** Destroys the communicators ({@code ncclCommDestroy}). */
    @Override
    public void close() {
        for (NcclComm c : comms.values()) c.close();
        comms.clear();
    }
}
