package io.flambeau.distributed;

import io.flambeau.HostArrayAccess;
import io.flambeau.HostMemoryAccess;
import io.flambeau.Tensor;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.DeviceException;
import io.flambeau.core.DistributedException;
import io.flambeau.core.DistributedTimeoutException;
import io.flambeau.core.ShapeException;
import io.flambeau.distributed.mpi.MpiComm;
import io.flambeau.distributed.mpi.MpiOp;
import io.flambeau.distributed.mpi.MpiRequest;
import io.flambeau.distributed.mpi.NativeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of ranks that run collectives together (PyTorch's {@code ProcessGroup}): the world made
 * by {@link Distributed#init}, or a sub-group made by {@link #newGroup}. Collectives follow
 * torch.distributed: {@code allReduce}, {@code broadcast} and {@code scatter} write into the
 * caller's tensors; ranks and roots are ranks of this group. Each has an {@code ...Async} form
 * returning a {@link Work}.
 *
 * <p>Checked, so that nothing hangs and nothing is silently wrong: before data moves, every rank
 * shares what it passed (the collective, its count in this group, shape, dtype, device, reduction,
 * root; {@link CollectiveHeader}), and a disagreement is the same
 * {@link io.flambeau.core.CollectiveMismatchException} on every rank, naming every rank's shape. A
 * rank whose arguments fail its own checks (wrong device, list length, dtype) throws that error and
 * the others learn that it did. A collective not done within {@link #timeout()} throws
 * {@link DistributedTimeoutException} and leaves the group unusable. CPU tensors go through MPI;
 * CUDA tensors through NCCL ({@code NcclCollectives}: per-device communicators, queued on the
 * device's stream, no host synchronisation), or through MPI with a copy through host memory when
 * NCCL is not available (one log line says so).
 *
 * <pre>{@code
 * ProcessGroup world = Distributed.init();
 * Tensor t = Torch.full(new long[] {3}, world.rank());
 * world.allReduce(t, ReduceOp.MAX);
 * Work w = world.broadcastAsync(t, 0);
 * w.waitFor();
 * ProcessGroup pair = world.newGroup(0, 1);
 * }</pre>
 */
public final class ProcessGroup {
    private final MpiComm comm;
    private final ControlChannel control;
    private final NcclCollectives nccl;
    private final String origin;
    private final int[] worldRanks;
    private final int rank;
    private final int localRank;
    private final Duration timeout;
    private final List<ProcessGroup> children = new ArrayList<>();
    private long sequence;
    private volatile boolean destroyed;
    private volatile String broken;

    ProcessGroup(MpiComm comm, int[] worldRanks, int rank, int localRank, Duration timeout) {
        this(comm, comm == null ? null : new MpiControlChannel(comm), null, worldRanks, rank, localRank, timeout);
    }

    /**
     * A group whose ranks agree through {@code control}; {@code comm} carries CPU tensors and is
     * null for a group made by the env rendezvous ({@code origin} says how it was made, for messages).
     */
    ProcessGroup(MpiComm comm, ControlChannel control, String origin, int[] worldRanks, int rank, int localRank,
                 Duration timeout) {
        this.comm = comm;
        this.control = control;
        this.origin = origin;
        this.nccl = control == null ? null : new NcclCollectives(rank, worldRanks.length);
        this.worldRanks = worldRanks.clone();
        this.rank = rank;
        this.localRank = localRank;
        this.timeout = timeout;
    }

    /** This process's rank in the group, 0 .. size()-1; -1 when it is not a member. */
    public int rank() { return rank; }

    /** The number of ranks in the group (PyTorch's {@code get_world_size(group)}). */
    public int size() { return worldRanks.length; }

    /** This process's rank among the processes of its machine, as the launcher reported it. */
    public int localRank() { return localRank; }

    /** Whether this process belongs to the group (a {@link #newGroup} leaves others out). */
    public boolean isMember() { return control != null; }

    /** The world ranks of the group's members, in group-rank order. */
    public int[] worldRanks() { return worldRanks.clone(); }

    /** How long a collective may take before it fails with a {@link DistributedTimeoutException}. */
    public Duration timeout() { return timeout; }

    // ---- collectives -------------------------------------------------------------------------

    /** Reduces {@code tensor} across the group, in place on every rank. */
    public void allReduce(Tensor tensor, ReduceOp op) {
        if (inPlaceOnTheHeap(tensor)) {
            run("allReduce", tensor, op, -1, () -> {
                MpiOp mpiOp = mpiOp("allReduce", tensor.dtype(), op);
                boolean offHeap = denseOffHeap(tensor);
                // a strided view is copied before the exchange, so that a failure to copy is this rank's own error
                Object copy = offHeap || tensor.isContiguous() ? null : TensorStaging.hostArray(stageable("allReduce", tensor));
                int divideBy = op == ReduceOp.AVG ? size() : 1;
                return Launch.direct(() -> {
                    // dense off-heap: MPI reduces the storage's own native memory
                    if (offHeap && OffHeapCollectives.allReduceBlocking(comm, tensor, mpiOp, divideBy)) return;
                    // a dense tensor: MPI reduces its own storage array, no copy in or out
                    boolean done = HostArrayAccess.inPlace(tensor, "allReduce", (array, offset, n) -> {
                        Chunks.run(n, (at, k) -> comm.allreduceInPlace(array, offset + (int) at, k, tensor.dtype(), mpiOp));
                        TensorStaging.divide(array, offset, n, divideBy);
                    });
                    if (done) return;
                    // a strided view: reduce a dense copy of its elements, then write them back through the view
                    Chunks.run(tensor.numel(), (at, k) -> comm.allreduceInPlace(copy, (int) at, k, tensor.dtype(), mpiOp));
                    TensorStaging.write(tensor, copy, divideBy);
                });
            });
            return;
        }
        if (denseOffHeap(tensor)) { // a small or bool off-heap tensor: the non-blocking calls the staged route makes
            run("allReduce", tensor, op, -1, () -> {
                MpiOp mpiOp = mpiOp("allReduce", tensor.dtype(), op);
                int divideBy = op == ReduceOp.AVG ? size() : 1;
                return Launch.direct(() -> OffHeapCollectives.allReduce(this, comm, tensor, mpiOp, divideBy));
            });
            return;
        }
        allReduceAsync(tensor, op).waitFor();
    }

    /**
     * A blocking all-reduce of a large CPU tensor runs MPI on a Java array (MpiComm.allreduceInPlace:
     * no copy to native memory and back), once the header exchange has shown that every rank is in
     * the collective: a dense tensor's own storage array (HostArrayAccess), a strided view's dense
     * copy; a dense off-heap tensor's own native memory (OffHeapCollectives). Smaller ones and bool
     * (no heap segment over boolean[]) are staged in native memory and polled (a dense off-heap one
     * is polled in place), and so is the async form. The choice depends only on what the header
     * exchange agrees on (size, dtype, device), so every rank makes the same kind of MPI call.
     */
    private boolean inPlaceOnTheHeap(Tensor t) {
        return comm != null && t != null && !t.device().isCuda() && t.dtype() != DType.BOOL
                && t.numel() * t.dtype().byteSize() >= IN_PLACE_BYTES;
    }

    /** Whether a blocking collective can hand MPI {@code t}'s own off-heap memory (OffHeapCollectives). */
    private boolean denseOffHeap(Tensor t) {
        try {
            return comm != null && t != null && HostMemoryAccess.applies(t, "collective");
        } catch (RuntimeException e) {
            return false; // a closed tensor: the staged route reports it to every rank
        }
    }

    private static final long IN_PLACE_BYTES = 256 << 10;

    public void allReduce(Tensor tensor) { allReduce(tensor, ReduceOp.SUM); }

    public Work allReduceAsync(Tensor tensor, ReduceOp op) {
        return run("allReduce", tensor, op, -1, () -> {
            MpiOp mpiOp = mpiOp("allReduce", tensor.dtype(), op);
            if (onNccl("allReduce", tensor)) return Launch.nccl(NcclCollectives.allReduce(tensor, op));
            NativeBuffer buf = stage(stageable("allReduceAsync", tensor));
            return new Launch(List.of(buf), c -> Chunks.start(tensor.numel(),
                    (at, n) -> c.iallreduce(null, buf.slice(at, n), n, tensor.dtype(), mpiOp)),
                    () -> TensorStaging.unstage(buf, 0, tensor, op == ReduceOp.AVG ? size() : 1));
        });
    }

    /** Copies {@code tensor} of rank {@code src} into {@code tensor} of every rank. */
    public void broadcast(Tensor tensor, int src) {
        if (denseOffHeap(tensor)) { // MPI reads (root) or writes (the others) the storage's own native memory
            run("broadcast", tensor, null, src, () -> {
                checkRoot("broadcast", src);
                return Launch.direct(() -> OffHeapCollectives.broadcast(this, comm, tensor, src));
            });
            return;
        }
        broadcastAsync(tensor, src).waitFor();
    }

    public Work broadcastAsync(Tensor tensor, int src) {
        return run("broadcast", tensor, null, src, () -> {
            checkRoot("broadcast", src);
            if (onNccl("broadcast", tensor)) return Launch.nccl(NcclCollectives.broadcast(tensor, src));
            stageable("broadcastAsync", tensor);
            NativeBuffer buf = rank == src ? stage(tensor) : NativeBuffer.allocate(tensor.dtype(), tensor.numel());
            return new Launch(List.of(buf), c -> Chunks.start(tensor.numel(), (at, n) -> c.ibcast(buf.slice(at, n), n, tensor.dtype(), src)),
                    rank == src ? null : () -> TensorStaging.unstage(buf, 0, tensor, 1));
        });
    }

    /** {@code outputs.get(r)} receives {@code input} of rank r; one output per rank, each of input's shape. */
    public void allGather(List<Tensor> outputs, Tensor input) { allGatherAsync(outputs, input).waitFor(); }

    public Work allGatherAsync(List<Tensor> outputs, Tensor input) {
        return run("allGather", input, null, -1, () -> {
            checkList("allGather", "outputs", outputs, input);
            if (onNccl("allGather", input)) return Launch.nccl(NcclCollectives.allGather(outputs, input));
            NativeBuffer send = stageAll(input);
            NativeBuffer recv = NativeBuffer.allocate(input.dtype(), input.numel() * size());
            return new Launch(List.of(send, recv), c -> c.iallgather(send, recv, count(input), input.dtype()),
                    () -> unstageEach(recv, outputs, input.numel()));
        });
    }

    /** {@code output} (size() times input's elements, rank 0's first) receives every rank's {@code input}. */
    public void allGatherIntoTensor(Tensor output, Tensor input) {
        if (denseOffHeap(output) && denseOffHeap(input) && OffHeapCollectives.apart(output, input)) {
            run("allGatherIntoTensor", input, null, -1, () -> { // MPI reads input's and writes output's own memory
                checkCombined("allGatherIntoTensor", output, input, input.numel() * size(), "output");
                count(input);
                return Launch.direct(() -> OffHeapCollectives.allGatherIntoTensor(this, comm, output, input));
            });
            return;
        }
        allGatherIntoTensorAsync(output, input).waitFor();
    }

    public Work allGatherIntoTensorAsync(Tensor output, Tensor input) {
        return run("allGatherIntoTensor", input, null, -1, () -> {
            checkCombined("allGatherIntoTensor", output, input, input.numel() * size(), "output");
            if (onNccl("allGatherIntoTensor", input)) return Launch.nccl(NcclCollectives.allGatherIntoTensor(output, input));
            NativeBuffer send = stageAll(input);
            NativeBuffer recv = NativeBuffer.allocate(input.dtype(), output.numel());
            return new Launch(List.of(send, recv), c -> c.iallgather(send, recv, count(input), input.dtype()),
                    () -> TensorStaging.unstage(recv, 0, output, 1));
        });
    }

    /** {@code output} of rank r receives the reduction over ranks of their {@code inputs.get(r)}. */
    public void reduceScatter(Tensor output, List<Tensor> inputs, ReduceOp op) {
        reduceScatterAsync(output, inputs, op).waitFor();
    }

    public Work reduceScatterAsync(Tensor output, List<Tensor> inputs, ReduceOp op) {
        return run("reduceScatter", output, op, -1, () -> {
            MpiOp mpiOp = mpiOp("reduceScatter", output.dtype(), op);
            checkList("reduceScatter", "inputs", inputs, output);
            if (onNccl("reduceScatter", output)) return Launch.nccl(NcclCollectives.reduceScatter(output, inputs, op));
            NativeBuffer send = NativeBuffer.allocate(output.dtype(), output.numel() * size());
            for (int r = 0; r < size(); r++) TensorStaging.stage(send, r * output.numel(), inputs.get(r));
            NativeBuffer recv = NativeBuffer.allocate(output.dtype(), output.numel());
            return new Launch(List.of(send, recv), c -> c.ireduceScatterBlock(send, recv, count(output), output.dtype(), mpiOp),
                    () -> TensorStaging.unstage(recv, 0, output, op == ReduceOp.AVG ? size() : 1));
        });
    }

    /** Like {@link #reduceScatter} with the inputs laid end to end in one tensor of size() times output's elements. */
    public void reduceScatterTensor(Tensor output, Tensor input, ReduceOp op) {
        if (denseOffHeap(output) && denseOffHeap(input) && OffHeapCollectives.apart(output, input)) {
            run("reduceScatterTensor", output, op, -1, () -> { // MPI reads input's and writes output's own memory
                MpiOp mpiOp = mpiOp("reduceScatterTensor", output.dtype(), op);
                checkCombined("reduceScatterTensor", input, output, output.numel() * size(), "input");
                count(output);
                int divideBy = op == ReduceOp.AVG ? size() : 1;
                return Launch.direct(() -> OffHeapCollectives.reduceScatterTensor(this, comm, output, input, mpiOp, divideBy));
            });
            return;
        }
        reduceScatterTensorAsync(output, input, op).waitFor();
    }

    public Work reduceScatterTensorAsync(Tensor output, Tensor input, ReduceOp op) {
        return run("reduceScatterTensor", output, op, -1, () -> {
            MpiOp mpiOp = mpiOp("reduceScatterTensor", output.dtype(), op);
            checkCombined("reduceScatterTensor", input, output, output.numel() * size(), "input");
            if (onNccl("reduceScatterTensor", output)) return Launch.nccl(NcclCollectives.reduceScatterTensor(output, input, op));
            NativeBuffer send = stageAll(input);
            NativeBuffer recv = NativeBuffer.allocate(output.dtype(), output.numel());
            return new Launch(List.of(send, recv), c -> c.ireduceScatterBlock(send, recv, count(output), output.dtype(), mpiOp),
                    () -> TensorStaging.unstage(recv, 0, output, op == ReduceOp.AVG ? size() : 1));
        });
    }

    /** {@code gatherList.get(r)} on rank {@code dst} receives {@code input} of rank r; other ranks pass null. */
    public void gather(Tensor input, List<Tensor> gatherList, int dst) { gatherAsync(input, gatherList, dst).waitFor(); }

    public Work gatherAsync(Tensor input, List<Tensor> gatherList, int dst) {
        return run("gather", input, null, dst, () -> {
            checkRoot("gather", dst);
            if (rank == dst) checkList("gather", "gatherList", gatherList, input);
            else checkNoList("gather", "gatherList", gatherList, dst);
            if (onNccl("gather", input)) return Launch.nccl(NcclCollectives.gather(input, gatherList, rank == dst));
            NativeBuffer send = stageAll(input);
            NativeBuffer recv = rank == dst ? NativeBuffer.allocate(input.dtype(), input.numel() * size()) : null;
            List<NativeBuffer> buffers = recv == null ? List.of(send) : List.of(send, recv);
            return new Launch(buffers, c -> c.igather(send, recv, count(input), input.dtype(), dst),
                    recv == null ? null : () -> unstageEach(recv, gatherList, input.numel()));
        });
    }

    /** {@code output} of rank r receives {@code scatterList.get(r)} of rank {@code src}; other ranks pass null. */
    public void scatter(Tensor output, List<Tensor> scatterList, int src) { scatterAsync(output, scatterList, src).waitFor(); }

    public Work scatterAsync(Tensor output, List<Tensor> scatterList, int src) {
        return run("scatter", output, null, src, () -> {
            checkRoot("scatter", src);
            if (rank == src) checkList("scatter", "scatterList", scatterList, output);
            else checkNoList("scatter", "scatterList", scatterList, src);
            if (onNccl("scatter", output)) return Launch.nccl(NcclCollectives.scatter(output, scatterList, src, rank == src));
            NativeBuffer send = null;
            if (rank == src) {
                send = NativeBuffer.allocate(output.dtype(), output.numel() * size());
                for (int r = 0; r < size(); r++) TensorStaging.stage(send, r * output.numel(), scatterList.get(r));
            }
            NativeBuffer recv = NativeBuffer.allocate(output.dtype(), output.numel());
            NativeBuffer sent = send;
            List<NativeBuffer> buffers = send == null ? List.of(recv) : List.of(send, recv);
            return new Launch(buffers, c -> c.iscatter(sent, recv, count(output), output.dtype(), src),
                    () -> TensorStaging.unstage(recv, 0, output, 1));
        });
    }

    /** Returns once every rank of the group has called it. */
    public void barrier() { barrierAsync().waitFor(); }

    public Work barrierAsync() {
        return run("barrier", null, null, -1, () -> comm != null ? new Launch(List.of(), MpiComm::ibarrier, null)
                : Launch.nccl(null)); // without MPI, the header exchange that starts every collective is the barrier
    }

    /**
     * A sub-group of the ranks {@code ranks} of this group (PyTorch's {@code new_group}): every rank
     * of this group calls it with the same list; ranks not in it get a group they are not a member of.
     */
    public ProcessGroup newGroup(int... ranks) { return newGroup(timeout, ranks); }

    /** {@link #newGroup(int...)} whose collectives time out after {@code timeout} (PyTorch's {@code new_group(ranks, timeout)}). */
    public ProcessGroup newGroup(Duration timeout, int... ranks) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new DistributedException("newGroup: the timeout must be positive, got " + timeout);
        }
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || sorted[i] >= size() || (i > 0 && sorted[i] == sorted[i - 1])) {
                throw new DistributedException("newGroup: ranks must be distinct ranks of the group (0 .. " + (size() - 1)
                        + "), got " + Arrays.toString(ranks));
            }
        }
        checkUsable("newGroup");
        if (comm == null) {
            throw new DistributedException("newGroup: the " + this + " was made by " + origin + " without an MPI launcher,"
                    + " which supports the world group only; start the job with mpirun -np " + size() + " for sub-groups");
        }
        exchangeHeaders("newGroup", CollectiveHeader.of("newGroup", sequence, null, null, Arrays.hashCode(ranks), false));
        MpiComm sub = comm.create(ranks);
        int[] world = new int[ranks.length];
        int myRank = -1;
        for (int i = 0; i < ranks.length; i++) {
            world[i] = worldRanks[ranks[i]];
            if (ranks[i] == rank) myRank = i;
        }
        ProcessGroup g = new ProcessGroup(sub, world, myRank, localRank, timeout);
        synchronized (children) {
            children.add(g);
        }
        return g;
    }

    /**
     * Releases the group (and the sub-groups made from it); using it afterwards is an error.
     * {@link Distributed#destroyProcessGroup()} destroys the world and finalises MPI.
     */
    public void destroy() {
        if (destroyed) return;
        synchronized (children) {
            for (ProcessGroup c : children) c.destroy();
        }
        destroyed = true;
        if (broken == null) {
            if (nccl != null) nccl.close();
            if (comm != null) comm.free();
        }
        if (control != null) control.close();
    }

    public boolean isDestroyed() { return destroyed; }

    @Override
    public String toString() {
        return (worldRanks.length == 0 ? "group" : "group of ranks " + Arrays.toString(worldRanks))
                + (rank >= 0 ? " (this is rank " + rank + ")" : " (this process is not a member)");
    }

    // ---- the one path every collective takes -------------------------------------------------

    /**
     * What a collective needs once the ranks agree: on MPI its buffers, how to start it and what to
     * do when done; on NCCL what to queue on the device's stream.
     */
    record Launch(List<NativeBuffer> buffers, Starter starter, Runnable onComplete, NcclCollectives.Enqueue enqueue,
                  Runnable direct) {
        Launch(List<NativeBuffer> buffers, Starter starter, Runnable onComplete) {
            this(buffers, starter, onComplete, null, null);
        }

        static Launch nccl(NcclCollectives.Enqueue enqueue) { return new Launch(List.of(), null, null, enqueue, null); }

        /** Runs {@code direct} on this thread once the ranks agree (a blocking call). */
        static Launch direct(Runnable direct) { return new Launch(List.of(), null, null, null, direct); }
    }

    interface Starter {
        MpiRequest start(MpiComm comm);
    }

    interface Preparation {
        Launch prepare();
    }

    private Work run(String collective, Tensor described, ReduceOp op, int root, Preparation preparation) {
        checkUsable(collective);
        long start = System.nanoTime();
        Launch launch = null;
        RuntimeException local = null;
        try {
            launch = preparation.prepare();
        } catch (RuntimeException e) { // typed errors, and also a null tensor: the other ranks must not wait for this one
            local = e;
        }
        try {
            exchangeHeaders(collective, CollectiveHeader.of(collective, sequence, local != null ? null : described, op, root,
                    local != null));
        } catch (RuntimeException e) {
            if (launch != null) launch.buffers().forEach(NativeBuffer::close);
            throw e;
        }
        if (local != null) throw local;
        if (launch.starter() == null) {
            if (launch.enqueue() != null) nccl.run(described.device(), this::broadcastFromRank0, launch.enqueue());
            if (launch.direct() != null) launch.direct().run();
            return new Work(this, collective, null, List.of(), null, 0);
        }
        MpiRequest request = launch.starter().start(comm);
        return new Work(this, collective, request, launch.buffers(), launch.onComplete(), start + timeout.toNanos());
    }

    /** All-gathers this rank's header and checks that every rank passed the same (CollectiveHeader). */
    private void exchangeHeaders(String collective, long[] header) {
        sequence++;
        long[] all = control.allGather(header, System.nanoTime() + timeout.toNanos());
        if (all == null) throw timedOut(collective, "the exchange of arguments that starts every collective");
        CollectiveHeader.requireAgreement(collective, toString(), all, size(), rank);
    }

    /** Rank 0's {@code bytes} (a 128-byte NCCL id; null on the other ranks) on every rank, over the control channel. */
    private byte[] broadcastFromRank0(byte[] bytes) {
        long[] mine = new long[ID_LONGS];
        if (bytes != null) java.nio.ByteBuffer.wrap(bytes).asLongBuffer().get(mine);
        long[] all = control.allGather(mine, System.nanoTime() + timeout.toNanos());
        if (all == null) throw timedOut("the NCCL communicator's creation", "sending rank 0's ncclUniqueId");
        byte[] id = new byte[ID_LONGS * Long.BYTES];
        java.nio.ByteBuffer.wrap(id).asLongBuffer().put(all, 0, ID_LONGS);
        return id;
    }

    private static final int ID_LONGS = 16;

    /**
     * Whether this collective's tensor goes through NCCL. A group made by the env rendezvous has no
     * MPI to carry anything else: other tensors are this rank's own error.
     */
    private boolean onNccl(String collective, Tensor t) {
        if (NcclCollectives.serves(t)) return true;
        if (comm == null) {
            throw new DistributedException(collective + ": the " + this + " was made by " + origin + " without an MPI"
                    + " launcher, so it runs collectives on CUDA tensors through NCCL only, and this tensor is on "
                    + t.device() + (t.device().isCuda() ? " where NCCL is not available" : "") + ". Start the job with"
                    + " mpirun -np " + size() + " (MPI carries CPU tensors and CUDA tensors without NCCL), or move the"
                    + " tensors to a CUDA device with NCCL installed");
        }
        return false;
    }

    /** Marks the group unusable (a collective of it may still be pending in MPI) and describes the timeout. */
    DistributedTimeoutException timedOut(String collective, String stage) {
        broken = collective + " timed out";
        String missing = control == null ? null : control.missing();
        return new DistributedTimeoutException(collective + " on rank " + rank + " of " + this + ": " + stage
                + " did not complete within " + describe(timeout) + (missing != null ? " (" + missing + ")" : "")
                + " — a rank of the group died, hangs, or calls"
                + " collectives in another order. The group cannot be used any more; set a longer timeout with"
                + " Distributed.init(timeout) or -Dflambeau.distributed.timeout=SECONDS if a rank is just slow");
    }

    private void checkUsable(String collective) {
        if (control == null) {
            throw new DistributedException(collective + ": this process is not a member of the " + this
                    + "; only its members may call its collectives");
        }
        if (destroyed) {
            throw new DistributedException(collective + ": the " + this + " was destroyed (destroy() or"
                    + " Distributed.destroyProcessGroup()); create a new group to go on");
        }
        if (broken != null) {
            throw new DistributedException(collective + ": the " + this + " is unusable since an earlier collective ("
                    + broken + "); MPI cannot cancel it, so restart the job");
        }
    }

    // ---- local checks ------------------------------------------------------------------------

    private NativeBuffer stageAll(Tensor t) {
        count(t);
        return stage(t);
    }

    /** A native copy of {@code t} for a collective issued in chunks (allReduce, broadcast: no count limit of its own). */
    private static NativeBuffer stage(Tensor t) {
        NativeBuffer b = NativeBuffer.allocate(t.dtype(), t.numel());
        TensorStaging.stage(b, 0, t);
        return b;
    }

    /**
     * {@code t}, when it fits the Java array its staging copy goes through; else the error that says
     * which call takes it (every rank checks, before the exchange: they agree on the element count).
     */
    private static Tensor stageable(String collective, Tensor t) {
        if (t != null && t.numel() > Integer.MAX_VALUE - 8) {
            throw new DistributedException(collective + ": this tensor of " + t.numel() + " elements would be staged"
                    + " through a Java array, which holds at most 2^31-9; the blocking allReduce and broadcast take a"
                    + " tensor of any size that is dense (contiguous) on the CPU, handing MPI its own memory in chunks"
                    + " of at most 2^30 elements: call those on a contiguous tensor (t.contiguous()), or split it");
        }
        return t;
    }

    private static int count(Tensor t) {
        if (t.numel() > Integer.MAX_VALUE) {
            throw new DistributedException("allGather, allGatherIntoTensor, gather, scatter, reduceScatter and"
                    + " reduceScatterTensor move at most 2^31-1 elements per tensor (MPI's int count); the tensor has "
                    + t.numel() + " elements: split it (the blocking allReduce and broadcast of a dense tensor are issued"
                    + " in chunks of at most 2^30 elements and take any size)");
        }
        return (int) t.numel();
    }

    private MpiOp mpiOp(String collective, DType dtype, ReduceOp op) {
        if (dtype == DType.BOOL) {
            return switch (op) {
                case SUM, MAX -> MpiOp.LOR;
                case PRODUCT, MIN -> MpiOp.LAND;
                case AVG -> throw new DTypeException(collective + ": cannot use ReduceOp.AVG with bool tensors;"
                        + " use SUM (logical or) or PRODUCT (logical and), or convert to a number type first");
            };
        }
        return switch (op) {
            case SUM, AVG -> MpiOp.SUM;
            case PRODUCT -> MpiOp.PROD;
            case MIN -> MpiOp.MIN;
            case MAX -> MpiOp.MAX;
        };
    }

    private void checkRoot(String collective, int root) {
        if (root < 0 || root >= size()) {
            throw new DistributedException(collective + ": root rank " + root + " is not a rank of the " + this
                    + " (0 .. " + (size() - 1) + ")");
        }
    }

    /** One tensor per rank, each of {@code like}'s shape, dtype and device. */
    private void checkList(String collective, String what, List<Tensor> list, Tensor like) {
        if (list == null || list.size() != size()) {
            throw new DistributedException(collective + ": " + what + " must hold one tensor per rank of the group ("
                    + size() + "), got " + (list == null ? "null" : list.size()));
        }
        for (int r = 0; r < list.size(); r++) sameKind(collective, what + "[" + r + "]", list.get(r), like);
    }

    private void checkNoList(String collective, String what, List<Tensor> list, int root) {
        if (list != null && !list.isEmpty()) {
            throw new DistributedException(collective + ": only the root (rank " + root + ") passes " + what
                    + "; rank " + rank + " passed " + list.size() + " tensors (pass null)");
        }
    }

    /** {@code combined} has {@code elements} elements and {@code part}'s dtype and device. */
    private static void checkCombined(String collective, Tensor combined, Tensor part, long elements, String what) {
        sameDevice(collective, what, combined, part);
        if (combined.dtype() != part.dtype()) {
            throw new DTypeException(collective + ": " + what + " has dtype " + combined.dtype() + ", expected "
                    + part.dtype());
        }
        if (combined.numel() != elements) {
            throw new ShapeException(collective + ": " + what + " of shape " + combined.shape() + " must hold the group's "
                    + "size times " + part.numel() + " = " + elements + " elements");
        }
    }

    private static void sameKind(String collective, String what, Tensor t, Tensor like) {
        sameDevice(collective, what, t, like);
        if (t.dtype() != like.dtype()) {
            throw new DTypeException(collective + ": " + what + " has dtype " + t.dtype() + ", expected " + like.dtype());
        }
        if (!t.shape().equals(like.shape())) {
            throw new ShapeException(collective + ": " + what + " has shape " + t.shape() + ", expected " + like.shape());
        }
    }

    private static void sameDevice(String collective, String what, Tensor t, Tensor like) {
        if (!t.device().equals(like.device())) {
            throw new DeviceException(collective + ": " + what + " is on " + t.device() + " but the tensor it goes with is"
                    + " on " + like.device() + "; put the tensors of one collective on one device");
        }
    }

    private static void unstageEach(NativeBuffer recv, List<Tensor> outputs, long each) {
        for (int r = 0; r < outputs.size(); r++) TensorStaging.unstage(recv, r * each, outputs.get(r), 1);
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
