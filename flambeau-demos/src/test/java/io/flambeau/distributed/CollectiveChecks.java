package io.flambeau.distributed;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.CollectiveMismatchException;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.DistributedException;
import io.flambeau.core.DistributedTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One rank of the collectives test (run under mpirun by DistributedCollectivesTest): every
 * collective on every dtype and several shapes, compared element for element with a reference
 * computed in this process from every rank's inputs (which are a function of rank, shape, dtype
 * and a salt, so each rank can make all of them); then the error cases, data-parallel training
 * ({@link DataParallelChecks}), the timeout and destroy.
 */
public final class CollectiveChecks {
    static final long[][] SHAPES = {{}, {7}, {2, 3}, {3, 1, 4}, {2, 0}, {1000}};

    private final ProcessGroup g;
    private final RankChecks out;
    private final int size;

    private CollectiveChecks(ProcessGroup g, RankChecks out) {
        this.g = g;
        this.out = out;
        this.size = g.size();
    }

    public static void main(String[] args) {
        ProcessGroup g = Distributed.init();
        RankChecks out = new RankChecks(g.rank());
        String backend = Distributed.backendDescription();
        System.out.println("MPI " + g.rank() + " " + backend);
        out.check("backend description is one printable line", backend.chars().noneMatch(ch -> ch < ' '), () -> backend);
        CollectiveChecks c = new CollectiveChecks(g, out);
        out.run("collectives", c::collectives);
        out.run("async", c::async);
        out.run("subgroups", c::subgroups);
        out.run("errors", c::errors);
        out.run("cuda tensors", c::cudaTensors);
        out.run("data parallel", () -> new DataParallelChecks(g, out).run());
        out.run("timeout", c::timeout);
        out.run("destroy", c::destroy);
        out.done();
    }

    /** Rank r's tensor: small integers (plus quarters for floats), so that every reduction is exact in any order. */
    static Tensor input(int r, long[] shape, DType dtype, int salt) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int k = Math.floorMod(i * 3 + r * 5 + salt * 7, 9) - 4;
            v[i] = switch (dtype) {
                case FLOAT32, FLOAT64 -> k + 0.25 * (r + 1);
                case INT64 -> k + r;
                case BOOL -> (i + r + salt) % 3 == 0 ? 1 : 0;
            };
        }
        return Torch.tensor(v, DType.FLOAT64, io.flambeau.core.Device.CPU).view(shape).to(dtype);
    }

    /** The single-process reference of a reduction over the ranks' tensors. */
    static Tensor reduce(List<Tensor> xs, ReduceOp op) {
        Tensor acc = xs.getFirst().clone();
        boolean bool = acc.dtype() == DType.BOOL;
        for (Tensor x : xs.subList(1, xs.size())) {
            acc = switch (op) {
                case SUM, AVG -> bool ? acc.logicalOr(x) : acc.add(x);
                case PRODUCT -> bool ? acc.logicalAnd(x) : acc.mul(x);
                case MAX -> bool ? acc.logicalOr(x) : acc.maximum(x);
                case MIN -> bool ? acc.logicalAnd(x) : acc.minimum(x);
            };
        }
        if (op == ReduceOp.AVG) {
            // int64: the sum divided with truncation toward zero (exact here: the values are small)
            acc = acc.dtype() == DType.INT64 ? acc.toDouble().div((double) xs.size()).toLong() : acc.div((double) xs.size());
        }
        return acc;
    }

    private List<Tensor> everyRank(long[] shape, DType dtype, int salt) {
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < size; r++) all.add(input(r, shape, dtype, salt));
        return all;
    }

    private void same(String name, Tensor actual, Tensor expected) {
        out.check(name, actual.dtype() == expected.dtype() && actual.shape().equals(expected.shape()) && actual.equal(expected),
                () -> "got " + actual + " (" + actual.dtype() + ", " + actual.shape() + ") expected " + expected);
    }

    /**
     * Large blocking all-reduces of every dtype through a dense slice with an offset (MPI reduces the
     * storage's own array) and through a strided view (a dense copy): the view gets the reduction,
     * the rest of its base and tensors sharing nothing with it keep their values.
     */
    private void largeInPlace(int me) {
        for (DType dt : DType.values()) {
            long[] shape = {600, 250};
            Tensor base = input(me, shape, dt, 8);
            Tensor before = base.clone();
            Tensor apart = input(me, new long[] {300, 250}, dt, 8);
            Tensor apartBefore = apart.clone();
            Tensor middle = base.get(Index.slice(100, 400));
            g.allReduce(middle, ReduceOp.SUM);
            List<Tensor> middles = new ArrayList<>();
            for (Tensor t : everyRank(shape, dt, 8)) middles.add(t.get(Index.slice(100, 400)));
            same("large allReduce of a dense slice " + dt.pyName(), middle, reduce(middles, ReduceOp.SUM));
            same("large allReduce leaves the rows before the slice " + dt.pyName(), base.get(Index.slice(0, 100)),
                    before.get(Index.slice(0, 100)));
            same("large allReduce leaves the rows after the slice " + dt.pyName(), base.get(Index.slice(400, 600)),
                    before.get(Index.slice(400, 600)));
            same("large allReduce leaves a tensor sharing nothing " + dt.pyName(), apart, apartBefore);

            long[] wideShape = {300, 500};
            Tensor wide = input(me, wideShape, dt, 9);
            Tensor wideBefore = wide.clone();
            Tensor even = wide.get(Index.slice(0, 300), Index.slice(null, null, 2));
            ReduceOp op = dt == DType.BOOL ? ReduceOp.PRODUCT : ReduceOp.MAX;
            g.allReduce(even, op);
            List<Tensor> evens = new ArrayList<>();
            for (Tensor t : everyRank(wideShape, dt, 9)) evens.add(t.get(Index.slice(0, 300), Index.slice(null, null, 2)));
            same("large allReduce " + op + " of a strided view " + dt.pyName(), even, reduce(evens, op));
            same("large allReduce leaves the columns between the view's " + dt.pyName(),
                    wide.get(Index.slice(0, 300), Index.slice(1L, null, 2)),
                    wideBefore.get(Index.slice(0, 300), Index.slice(1L, null, 2)));
        }
    }

    private void collectives() {
        int me = g.rank();
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
                    same("allReduce " + op + " " + what, t, reduce(everyRank(shape, dt, 0), op));
                }
                for (int root = 0; root < size; root++) {
                    Tensor t = input(me, shape, dt, 1);
                    g.broadcast(t, root);
                    same("broadcast from " + root + " " + what, t, input(root, shape, dt, 1));
                }
                Tensor in = input(me, shape, dt, 2);
                List<Tensor> outs = new ArrayList<>();
                for (int r = 0; r < size; r++) outs.add(Torch.zeros(dt, shape));
                g.allGather(outs, in);
                for (int r = 0; r < size; r++) same("allGather[" + r + "] " + what, outs.get(r), input(r, shape, dt, 2));
                long[] stacked = new long[shape.length + 1];
                stacked[0] = size;
                System.arraycopy(shape, 0, stacked, 1, shape.length);
                Tensor into = Torch.zeros(dt, stacked);
                g.allGatherIntoTensor(into, in);
                same("allGatherIntoTensor " + what, into, Torch.stack(everyRank(shape, dt, 2)));
                for (ReduceOp op : List.of(ReduceOp.SUM, ReduceOp.MAX, ReduceOp.PRODUCT)) {
                    // rank r's j-th input is input(r, salt 10 + j); rank j's output reduces those over r
                    List<Tensor> mine = new ArrayList<>();
                    for (int j = 0; j < size; j++) mine.add(input(me, shape, dt, 10 + j));
                    Tensor result = Torch.zeros(dt, shape);
                    g.reduceScatter(result, mine, op);
                    List<Tensor> column = new ArrayList<>();
                    for (int r = 0; r < size; r++) column.add(input(r, shape, dt, 10 + me));
                    same("reduceScatter " + op + " " + what, result, reduce(column, op));
                    Tensor result2 = Torch.zeros(dt, shape);
                    g.reduceScatterTensor(result2, Torch.stack(mine), op);
                    same("reduceScatterTensor " + op + " " + what, result2, reduce(column, op));
                }
                int dst = size - 1;
                List<Tensor> gathered = null;
                if (me == dst) {
                    gathered = new ArrayList<>();
                    for (int r = 0; r < size; r++) gathered.add(Torch.zeros(dt, shape));
                }
                g.gather(input(me, shape, dt, 3), gathered, dst);
                if (me == dst) for (int r = 0; r < size; r++) same("gather[" + r + "] " + what, gathered.get(r), input(r, shape, dt, 3));
                List<Tensor> pieces = null;
                if (me == 0) {
                    pieces = new ArrayList<>();
                    for (int j = 0; j < size; j++) pieces.add(input(0, shape, dt, 20 + j));
                }
                Tensor piece = Torch.zeros(dt, shape);
                g.scatter(piece, pieces, 0);
                same("scatter " + what, piece, input(0, shape, dt, 20 + me));
            }
        }
        // large tensors: the blocking all-reduce runs in place on a host array (above 256 KiB)
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (ReduceOp op : List.of(ReduceOp.SUM, ReduceOp.AVG, ReduceOp.MAX)) {
                long[] shape = {300, 250};
                Tensor t = input(me, shape, dt, 4);
                g.allReduce(t, op);
                same("large allReduce " + op + " " + dt.pyName(), t, reduce(everyRank(shape, dt, 4), op));
            }
        }
        Tensor wide = input(me, new long[] {250, 300}, DType.FLOAT32, 6);
        g.allReduce(wide.t(), ReduceOp.SUM);
        same("large allReduce through a transposed view", wide, reduce(everyRank(new long[] {250, 300}, DType.FLOAT32, 6), ReduceOp.SUM));
        largeInPlace(me);
        // in place through a non-contiguous view: the base sees the result at the view's positions
        Tensor base = input(me, new long[] {3, 4}, DType.FLOAT32, 5);
        Tensor view = base.t();
        g.allReduce(view, ReduceOp.SUM);
        List<Tensor> views = new ArrayList<>();
        for (int r = 0; r < size; r++) views.add(input(r, new long[] {3, 4}, DType.FLOAT32, 5));
        same("allReduce through a transposed view", base, reduce(views, ReduceOp.SUM));
        // a barrier waits for the last rank to arrive
        long start = System.nanoTime();
        if (me == 0) sleep(400);
        g.barrier();
        long ms = (System.nanoTime() - start) / 1_000_000;
        out.check("barrier waits for rank 0", ms >= 300, () -> "returned after " + ms + " ms");
    }

    private void async() {
        int me = g.rank();
        List<Tensor> ts = new ArrayList<>();
        List<Work> works = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Tensor t = input(me, new long[] {64, i + 1}, DType.FLOAT64, 30 + i);
            ts.add(t);
            works.add(g.allReduceAsync(t, ReduceOp.SUM));
        }
        Tensor b = input(me, new long[] {5}, DType.INT64, 40);
        Work bw = g.broadcastAsync(b, size - 1);
        for (int i = works.size() - 1; i >= 0; i--) works.get(i).waitFor(); // in any order
        bw.waitFor();
        bw.waitFor(); // twice is harmless
        for (int i = 0; i < 4; i++) {
            same("allReduceAsync #" + i, ts.get(i), reduce(everyRank(new long[] {64, i + 1}, DType.FLOAT64, 30 + i), ReduceOp.SUM));
            out.check("isCompleted after waitFor #" + i, works.get(i).isCompleted());
        }
        same("broadcastAsync", b, input(size - 1, new long[] {5}, DType.INT64, 40));
        g.barrierAsync().waitFor();
    }

    private void subgroups() {
        int me = g.rank();
        int[] members = size >= 3 ? new int[] {0, 2} : new int[] {1};
        ProcessGroup sub = g.newGroup(members);
        boolean member = Arrays.stream(members).anyMatch(r -> r == me);
        out.check("newGroup membership", sub.isMember() == member && sub.size() == members.length);
        if (member) {
            Tensor t = input(me, new long[] {2, 2}, DType.FLOAT32, 50);
            sub.allReduce(t, ReduceOp.SUM);
            List<Tensor> xs = new ArrayList<>();
            for (int r : members) xs.add(input(r, new long[] {2, 2}, DType.FLOAT32, 50));
            same("newGroup allReduce over " + Arrays.toString(members), t, reduce(xs, ReduceOp.SUM));
            out.check("newGroup rank", sub.rank() == Arrays.binarySearch(members, me));
            Tensor b = input(me, new long[] {3}, DType.INT64, 51);
            sub.broadcast(b, 0);
            same("newGroup broadcast from group rank 0", b, input(members[0], new long[] {3}, DType.INT64, 51));
        } else {
            out.expectThrows("non-member refused", DistributedException.class,
                    () -> sub.allReduce(Torch.zeros(2), ReduceOp.SUM), "not a member");
        }
        g.barrier();
    }

    private void errors() {
        int me = g.rank();
        int last = size - 1;
        // another shape on rank 0: every rank gets the error, naming both shapes
        Tensor shaped = me == 0 ? Torch.zeros(2, 3) : Torch.zeros(3, 2);
        out.expectThrows("shape mismatch", CollectiveMismatchException.class, () -> g.allReduce(shaped, ReduceOp.SUM),
                "rank 0: allReduce", "shape [2, 3]", "rank 1: allReduce", "shape [3, 2]");
        Tensor typed = me == last ? Torch.zeros(DType.FLOAT64, 4) : Torch.zeros(4);
        out.expectThrows("dtype mismatch", CollectiveMismatchException.class, () -> g.allReduce(typed, ReduceOp.SUM),
                "float32", "float64");
        out.expectThrows("op mismatch", CollectiveMismatchException.class,
                () -> g.allReduce(Torch.zeros(4), me == 0 ? ReduceOp.MAX : ReduceOp.SUM), "op max", "op sum");
        out.expectThrows("collective mismatch", CollectiveMismatchException.class, () -> {
            if (me == 0) g.broadcast(Torch.zeros(4), 0);
            else g.allReduce(Torch.zeros(4), ReduceOp.SUM);
        }, "broadcast", "allReduce");
        out.expectThrows("root mismatch", CollectiveMismatchException.class, () -> g.broadcast(Torch.zeros(4), me == 0 ? 0 : last),
                "root 0", "root " + last);
        // rank 1's own arguments are wrong: it says why, the others learn that it failed
        if (me == 1) {
            out.expectThrows("bad outputs list", DistributedException.class,
                    () -> g.allGather(List.of(Torch.zeros(3)), Torch.zeros(3)), "one tensor per rank", "got 1");
        } else {
            List<Tensor> outs = new ArrayList<>();
            for (int r = 0; r < size; r++) outs.add(Torch.zeros(3));
            out.expectThrows("others learn of rank 1's bad arguments", CollectiveMismatchException.class,
                    () -> g.allGather(outs, Torch.zeros(3)), "rank 1 passed arguments that failed");
        }
        out.expectThrows("root out of range", DistributedException.class, () -> g.broadcast(Torch.zeros(1), size), "root rank");
        // an error of MPI itself, through the binding's one status check: the call, the code and MPI_Error_string
        try (var buffer = io.flambeau.distributed.mpi.NativeBuffer.allocate(DType.FLOAT32, 1)) {
            out.expectThrows("MPI's own error", DistributedException.class,
                    () -> io.flambeau.distributed.mpi.Mpi.init().world().ibcast(buffer, 1, DType.FLOAT32, 99),
                    "MPI_Ibcast failed with code ", "MPI_ERR_ROOT");
        }
        // after all that, the group still works
        Tensor t = input(me, new long[] {3}, DType.FLOAT32, 60);
        g.allReduce(t, ReduceOp.SUM);
        same("group usable after errors", t, reduce(everyRank(new long[] {3}, DType.FLOAT32, 60), ReduceOp.SUM));
    }

    /** CUDA tensors (a simulated device behind cuda:0) go through the host; devices are checked. */
    private void cudaTensors() {
        io.flambeau.backend.cuda.SimCuda.install();
        io.flambeau.core.Device cuda = io.flambeau.core.Device.cuda(0);
        int me = g.rank();
        Tensor t = input(me, new long[] {2, 3}, DType.FLOAT32, 70).to(cuda);
        g.allReduce(t, ReduceOp.SUM);
        out.check("allReduce on cuda stays on cuda", t.device().equals(cuda));
        same("allReduce on cuda", t.cpu(), reduce(everyRank(new long[] {2, 3}, DType.FLOAT32, 70), ReduceOp.SUM));
        Tensor b = input(me, new long[] {4}, DType.INT64, 71).to(cuda);
        g.broadcast(b, 0);
        same("broadcast on cuda", b.cpu(), input(0, new long[] {4}, DType.INT64, 71));
        Tensor mixed = me == 0 ? Torch.zeros(3).to(cuda) : Torch.zeros(3);
        out.expectThrows("ranks on different devices", CollectiveMismatchException.class, () -> g.allReduce(mixed, ReduceOp.SUM),
                "float32 on cuda:0", "float32 on cpu");
        if (me == 1) {
            List<Tensor> cpuOuts = new ArrayList<>();
            for (int r = 0; r < size; r++) cpuOuts.add(Torch.zeros(3));
            out.expectThrows("outputs on another device", io.flambeau.core.DeviceException.class,
                    () -> g.allGather(cpuOuts, Torch.zeros(3).to(cuda)), "outputs[0] is on cpu", "cuda:0");
        } else {
            List<Tensor> outs = new ArrayList<>();
            for (int r = 0; r < size; r++) outs.add(Torch.zeros(3).to(cuda));
            out.expectThrows("others learn of rank 1's device error", CollectiveMismatchException.class,
                    () -> g.allGather(outs, Torch.zeros(3).to(cuda)), "rank 1 passed arguments that failed");
        }
    }

    private void timeout() {
        ProcessGroup sub = g.newGroup(Duration.ofSeconds(2), allRanks());
        if (g.rank() == 0) {
            long start = System.nanoTime();
            out.expectThrows("rank that never arrives", DistributedTimeoutException.class,
                    () -> sub.allReduce(Torch.ones(3), ReduceOp.SUM), "within 2 s", "allReduce");
            double s = (System.nanoTime() - start) / 1e9;
            out.check("timeout after about 2 s", s >= 1.9 && s < 30, () -> s + " s");
            out.expectThrows("unusable after the timeout", DistributedException.class, sub::barrier, "unusable");
        }
        g.barrier();
    }

    private void destroy() {
        ProcessGroup sub = g.newGroup(allRanks());
        sub.destroy();
        out.expectThrows("sub-group used after destroy", DistributedException.class, sub::barrier, "destroyed");
        Distributed.destroyProcessGroup();
        out.expectThrows("world used after destroyProcessGroup", DistributedException.class,
                () -> g.allReduce(Torch.ones(1), ReduceOp.SUM), "destroyed");
        out.expectThrows("init after destroyProcessGroup", DistributedException.class, Distributed::init,
                "cannot be initialised twice");
    }

    private int[] allRanks() {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) all[i] = i;
        return all;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
