package io.flambeau.distributed;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.ffm.LoopbackRankDevice;
import io.flambeau.core.CollectiveMismatchException;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One rank of the NCCL test (run under mpirun by NcclCollectivesTest): CUDA tensors on the loopback
 * {@code cuda:0} of each rank, collectives through the process group and so through NCCL (the
 * loopback libnccl.so.2 whose collectives run over MPI). Every collective on every dtype against
 * the single-process reference; that a collective queues on the device's stream and makes the host
 * neither synchronise nor copy (the device's counters); mismatches still caught before data moves.
 */
public final class NcclRankChecks {
    private static final long[][] SHAPES = {{}, {7}, {2, 3}, {2, 0}};

    private final ProcessGroup g;
    private final RankChecks out;
    private final Device gpu = Device.cuda(0);

    private NcclRankChecks(ProcessGroup g, RankChecks out) {
        this.g = g;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ProcessGroup g = Distributed.init();
        RankChecks out = new RankChecks(g.rank());
        try (LoopbackRankDevice ignored = LoopbackRankDevice.open()) {
            NcclRankChecks c = new NcclRankChecks(g, out);
            out.run("counts and stream", c::countsAndStream);
            out.run("collectives", c::collectives);
            out.run("errors", c::errors);
            out.run("data parallel on cuda", c::dataParallel);
            Distributed.destroyProcessGroup();
        }
        out.done();
    }

    private Tensor input(int r, long[] shape, DType dt, int salt) { return CollectiveChecks.input(r, shape, dt, salt).to(gpu); }

    private List<Tensor> everyRank(long[] shape, DType dtype, int salt) {
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < g.size(); r++) all.add(CollectiveChecks.input(r, shape, dtype, salt));
        return all;
    }

    private void same(String name, Tensor actual, Tensor expected) {
        Tensor a = actual.cpu();
        out.check(name, actual.device().equals(gpu) && a.dtype() == expected.dtype() && a.shape().equals(expected.shape())
                && a.equal(expected), () -> "got " + a + " on " + actual.device() + " expected " + expected);
    }

    /** A collective on CUDA tensors: queued on cuda:0's stream, no host synchronisation, no copy between host and device. */
    private void countsAndStream() throws Exception {
        Tensor t = input(g.rank(), new long[] {256}, DType.FLOAT32, 1);
        g.allReduce(t, ReduceOp.SUM); // the first one makes the communicator
        same("allReduce through NCCL", t, CollectiveChecks.reduce(everyRank(new long[] {256}, DType.FLOAT32, 1), ReduceOp.SUM));
        Tensor u = input(g.rank(), new long[] {64, 4}, DType.FLOAT32, 2);
        Tensor grads = input(g.rank(), new long[] {1000}, DType.FLOAT64, 3);
        DeviceCounters before = Cuda.counters(gpu);
        g.allReduce(u, ReduceOp.AVG);
        g.broadcast(grads, 0);
        Work w = g.allReduceAsync(grads, ReduceOp.MAX);
        w.waitFor();
        DeviceCounters d = Cuda.counters(gpu).minus(before);
        out.check("no host synchronisation", d.synchronizations() == 0, d::toString);
        out.check("no copy from the device", d.deviceToHost() == 0, d::toString);
        out.check("no copy to the device", d.hostToDevice() == 0, d::toString);
        out.check("no allocation for dense tensors", d.allocations() == 0, d::toString);
        out.check("Work of a queued collective is complete", w.isCompleted());
        long stream = lastStream();
        out.check("queued on the device's stream", stream == Cuda.stream(gpu),
                () -> "NCCL got stream 0x" + Long.toHexString(stream) + ", the device's is 0x" + Long.toHexString(Cuda.stream(gpu)));
        List<Tensor> us = new ArrayList<>();
        for (int r = 0; r < g.size(); r++) us.add(CollectiveChecks.input(r, new long[] {64, 4}, DType.FLOAT32, 2));
        same("allReduce avg through NCCL", u, CollectiveChecks.reduce(us, ReduceOp.AVG));
        List<Tensor> maxes = new ArrayList<>();
        for (int r = 0; r < g.size(); r++) maxes.add(CollectiveChecks.input(0, new long[] {1000}, DType.FLOAT64, 3));
        same("broadcast then allReduceAsync max", grads, CollectiveChecks.reduce(maxes, ReduceOp.MAX));
    }

    /** {@code flb_nccl_last_stream} of the loopback NCCL: the stream its last collective was given. */
    private static long lastStream() throws Exception {
        Path lib = Path.of(System.getProperty("flambeau.nccl.library"));
        MemorySegment f = SymbolLookup.libraryLookup(lib, Arena.global()).find("flb_nccl_last_stream").orElseThrow();
        try {
            MemorySegment s = (MemorySegment) Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS))
                    .invokeExact();
            return s.address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void collectives() {
        int me = g.rank(), size = g.size();
        for (DType dt : DType.values()) {
            for (long[] shape : SHAPES) {
                String what = dt.pyName() + " " + Arrays.toString(shape);
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor t = input(me, shape, dt, 0);
                    if (dt == DType.BOOL && op == ReduceOp.AVG) {
                        out.expectThrows("allReduce avg refused " + what, DTypeException.class, () -> g.allReduce(t, op), "AVG");
                        continue;
                    }
                    g.allReduce(t, op);
                    same("allReduce " + op + " " + what, t, CollectiveChecks.reduce(everyRank(shape, dt, 0), op));
                }
                int root = size - 1;
                Tensor b = input(me, shape, dt, 1);
                g.broadcast(b, root);
                same("broadcast from " + root + " " + what, b, CollectiveChecks.input(root, shape, dt, 1));
                Tensor in = input(me, shape, dt, 2);
                List<Tensor> outs = new ArrayList<>();
                for (int r = 0; r < size; r++) outs.add(Torch.full(shape, 0, dt, gpu));
                g.allGather(outs, in);
                for (int r = 0; r < size; r++) same("allGather[" + r + "] " + what, outs.get(r), CollectiveChecks.input(r, shape, dt, 2));
                long[] stacked = new long[shape.length + 1];
                stacked[0] = size;
                System.arraycopy(shape, 0, stacked, 1, shape.length);
                Tensor into = Torch.full(stacked, 0, dt, gpu);
                g.allGatherIntoTensor(into, in);
                same("allGatherIntoTensor " + what, into, Torch.stack(everyRank(shape, dt, 2)));
                ReduceOp op = dt == DType.BOOL ? ReduceOp.MAX : ReduceOp.SUM;
                List<Tensor> mine = new ArrayList<>();
                for (int j = 0; j < size; j++) mine.add(input(me, shape, dt, 10 + j));
                List<Tensor> column = new ArrayList<>();
                for (int r = 0; r < size; r++) column.add(CollectiveChecks.input(r, shape, dt, 10 + me));
                Tensor result = Torch.full(shape, 0, dt, gpu);
                g.reduceScatter(result, mine, op);
                same("reduceScatter " + op + " " + what, result, CollectiveChecks.reduce(column, op));
                Tensor result2 = Torch.full(shape, 0, dt, gpu);
                g.reduceScatterTensor(result2, Torch.stack(mine), op);
                same("reduceScatterTensor " + op + " " + what, result2, CollectiveChecks.reduce(column, op));
                int dst = size - 1;
                List<Tensor> gathered = null;
                if (me == dst) {
                    gathered = new ArrayList<>();
                    for (int r = 0; r < size; r++) gathered.add(Torch.full(shape, 0, dt, gpu));
                }
                g.gather(input(me, shape, dt, 3), gathered, dst);
                if (me == dst) {
                    for (int r = 0; r < size; r++) same("gather[" + r + "] " + what, gathered.get(r), CollectiveChecks.input(r, shape, dt, 3));
                }
                List<Tensor> pieces = null;
                if (me == 0) {
                    pieces = new ArrayList<>();
                    for (int j = 0; j < size; j++) pieces.add(input(0, shape, dt, 20 + j));
                }
                Tensor piece = Torch.full(shape, 0, dt, gpu);
                g.scatter(piece, pieces, 0);
                same("scatter " + what, piece, CollectiveChecks.input(0, shape, dt, 20 + me));
            }
        }
        // in place through a non-contiguous view: reduced through a dense copy on the device, written back
        Tensor base = input(me, new long[] {3, 4}, DType.FLOAT32, 5);
        g.allReduce(base.t(), ReduceOp.SUM);
        same("allReduce through a transposed view", base,
                CollectiveChecks.reduce(everyRank(new long[] {3, 4}, DType.FLOAT32, 5), ReduceOp.SUM));
    }

    /** DDP with parameters on cuda:0: rank 0's parameters everywhere, gradients averaged through NCCL. */
    private void dataParallel() {
        Torch.manualSeed(100 + g.rank()); // different initial parameters: DDP must broadcast rank 0's
        io.flambeau.nn.Linear lin = new io.flambeau.nn.Linear(4, 3);
        lin.to(gpu);
        DistributedDataParallel ddp = new DistributedDataParallel(lin, g);
        List<Tensor> xs = everyRank(new long[] {5, 4}, DType.FLOAT32, 80);
        ddp.forward(xs.get(g.rank()).to(gpu)).sum().backward();
        // d(sum(x W^T + b))/dW[i][j] = sum over rows of x[., j], the same for every i; db = rows; averaged over ranks
        Tensor colsum = Torch.stack(xs).sum(1).mean(0);
        Tensor expectedW = Torch.stack(List.of(colsum, colsum, colsum));
        Tensor w = lin.weight().grad().cpu();
        out.check("DDP weight gradient averaged over ranks", w.sub(expectedW).abs().max().item() < 1e-5,
                () -> "got " + w + " expected " + expectedW);
        double b = lin.bias().grad().cpu().sum().item();
        out.check("DDP bias gradient", Math.abs(b - 15) < 1e-5, () -> "got " + b);
        Tensor w0 = lin.weight().tensor().detach().clone();
        g.broadcast(w0, 0);
        out.check("DDP parameters are rank 0's", w0.cpu().equal(lin.weight().tensor().detach().cpu()));
    }

    private void errors() {
        int me = g.rank();
        Tensor shaped = me == 0 ? Torch.full(new long[] {2, 3}, 0, DType.FLOAT32, gpu) : Torch.full(new long[] {3, 2}, 0, DType.FLOAT32, gpu);
        out.expectThrows("shape mismatch on cuda", CollectiveMismatchException.class, () -> g.allReduce(shaped, ReduceOp.SUM),
                "rank 0: allReduce", "shape [2, 3], float32 on cuda:0", "rank 1: allReduce", "shape [3, 2]");
        Tensor mixed = me == 0 ? Torch.zeros(3).to(gpu) : Torch.zeros(3);
        out.expectThrows("ranks on different devices", CollectiveMismatchException.class, () -> g.allReduce(mixed, ReduceOp.SUM),
                "float32 on cuda:0", "float32 on cpu");
        Tensor t = input(me, new long[] {5}, DType.INT64, 60);
        g.allReduce(t, ReduceOp.SUM);
        same("usable after errors", t, CollectiveChecks.reduce(everyRank(new long[] {5}, DType.INT64, 60), ReduceOp.SUM));
    }
}
