package io.flambeau.distributed;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * One rank of the off-heap collectives test (run under mpirun by DistributedOffHeapTest with
 * {@code -Dflambeau.cpu.offHeapAbove=16}, so every tensor of more than 16 elements lives off the
 * Java heap, and {@code -Dflambeau.distributed.chunkElements=1000}, so all-reduces and broadcasts
 * of more elements are issued as several MPI calls): every collective, every dtype, into and out
 * of dense slices with an offset and strided views, against the single-process reference
 * ({@link CollectiveChecks#input}, {@link CollectiveChecks#reduce}), with the neighbours of each
 * view left as they were; then the exact counts of the route: a blocking all-reduce or broadcast
 * of a dense off-heap tensor hands MPI the tensor's own address (one call per chunk, no staging
 * copy), and so do all-gather into and reduce-scatter of dense off-heap tensors that are apart,
 * while a strided view, overlapping tensors or the async form are staged.
 */
public final class OffHeapCollectiveChecks {
    private static final long CHUNK = 1000;
    private static final long R = 6, C = 10; // 60 elements: off the heap, one chunk

    private final ProcessGroup g;
    private final RankChecks out;
    private final int size;
    private final int me;
    private final List<Placed> placed = new ArrayList<>();

    private OffHeapCollectiveChecks(ProcessGroup g, RankChecks out) {
        this.g = g;
        this.out = out;
        this.size = g.size();
        this.me = g.rank();
    }

    public static void main(String[] args) {
        ProcessGroup g = Distributed.init();
        RankChecks out = new RankChecks(g.rank());
        out.check("chunk size is the forced one", Chunks.ELEMENTS == CHUNK, () -> "chunkElements " + Chunks.ELEMENTS);
        boolean onHeap = args.length > 0 && args[0].equals("on-heap");
        Tensor probe = Torch.zeros(DType.FLOAT32, 17);
        out.check("a 17-element tensor lives " + (onHeap ? "in an array" : "off the heap"), (addressOf(probe) == 0) == onHeap,
                () -> "address " + addressOf(probe));
        OffHeapCollectiveChecks c = new OffHeapCollectiveChecks(g, out);
        if (!onHeap) {
            out.run("collectives on views", c::views);
            out.run("route counts", c::routeCounts);
            out.run("past 2^31-1 elements", c::pastAnIntCount);
        }
        out.run("chunked", c::chunked);
        if (onHeap) out.run("chunked in arrays", c::chunkedInArrays);
        g.barrier();
        Distributed.destroyProcessGroup();
        out.done();
    }

    private static long addressOf(Tensor t) {
        try {
            return t.dataPtr();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * A view of {@code shape} (2-D) holding {@code value}, in a base with neighbours: rows 1 .. of a
     * base with a row more on each side (dense, with an offset), or every second column (strided).
     */
    private record Placed(String what, Tensor base, Tensor before, Tensor view, boolean dense) {
        Tensor neighbours(Tensor of) {
            long rows = view.shape().get(0);
            return dense ? Torch.cat(List.of(of.get(Index.slice(0, 1)), of.get(Index.slice(rows + 1, rows + 2))))
                    : of.get(Index.all(), Index.slice(1L, null, 2));
        }
    }

    private Tensor place(String what, Tensor value, boolean dense) {
        long rows = value.shape().get(0), cols = value.shape().get(1);
        Tensor base = CollectiveChecks.input(me, dense ? new long[] {rows + 2, cols} : new long[] {rows, 2 * cols},
                value.dtype(), 77);
        Tensor view = dense ? base.get(Index.slice(1, rows + 1)) : base.get(Index.all(), Index.slice(null, null, 2));
        view.copy_(value);
        placed.add(new Placed(what, base, base.clone(), view, dense));
        return view;
    }

    private void same(String name, Tensor actual, Tensor expected) {
        out.check(name, actual.dtype() == expected.dtype() && actual.shape().equals(expected.shape()) && actual.equal(expected),
                () -> "got " + actual + " expected " + expected);
    }

    private List<Tensor> everyRank(long[] shape, DType dt, int salt) {
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < size; r++) all.add(CollectiveChecks.input(r, shape, dt, salt));
        return all;
    }

    private void views() {
        long[] shape = {R, C};
        long[] stacked = {size * R, C};
        for (DType dt : DType.values()) {
            for (boolean dense : new boolean[] {true, false}) {
                String what = dt.pyName() + (dense ? " dense slice" : " strided view");
                for (ReduceOp op : ReduceOp.values()) {
                    if (dt == DType.BOOL && op == ReduceOp.AVG) continue;
                    Tensor t = place("allReduce " + op + " " + what, CollectiveChecks.input(me, shape, dt, 1), dense);
                    g.allReduce(t, op);
                    same("allReduce " + op + " " + what, t, CollectiveChecks.reduce(everyRank(shape, dt, 1), op));
                }
                for (int root = 0; root < size; root++) {
                    Tensor t = place("broadcast " + what, CollectiveChecks.input(me, shape, dt, 2), dense);
                    g.broadcast(t, root);
                    same("broadcast from " + root + " " + what, t, CollectiveChecks.input(root, shape, dt, 2));
                }
                Tensor in = place("allGather input " + what, CollectiveChecks.input(me, shape, dt, 3), dense);
                List<Tensor> outs = new ArrayList<>();
                for (int r = 0; r < size; r++) outs.add(place("allGather output " + what, Torch.zeros(dt, shape), dense));
                g.allGather(outs, in);
                for (int r = 0; r < size; r++) same("allGather[" + r + "] " + what, outs.get(r), CollectiveChecks.input(r, shape, dt, 3));
                Tensor into = place("allGatherIntoTensor output " + what, Torch.zeros(dt, stacked), dense);
                g.allGatherIntoTensor(into, in);
                same("allGatherIntoTensor " + what, into, Torch.cat(everyRank(shape, dt, 3)));
                ReduceOp op = dt == DType.BOOL ? ReduceOp.PRODUCT : ReduceOp.SUM;
                List<Tensor> mine = new ArrayList<>();
                for (int j = 0; j < size; j++) mine.add(place("reduceScatter input " + what, CollectiveChecks.input(me, shape, dt, 10 + j), dense));
                List<Tensor> column = new ArrayList<>();
                for (int r = 0; r < size; r++) column.add(CollectiveChecks.input(r, shape, dt, 10 + me));
                Tensor result = place("reduceScatter output " + what, Torch.zeros(dt, shape), dense);
                g.reduceScatter(result, mine, op);
                same("reduceScatter " + op + " " + what, result, CollectiveChecks.reduce(column, op));
                Tensor whole = place("reduceScatterTensor input " + what, Torch.cat(mine), dense);
                Tensor result2 = place("reduceScatterTensor output " + what, Torch.zeros(dt, shape), dense);
                g.reduceScatterTensor(result2, whole, op);
                same("reduceScatterTensor " + op + " " + what, result2, CollectiveChecks.reduce(column, op));
                int dst = size - 1;
                List<Tensor> gathered = null;
                if (me == dst) {
                    gathered = new ArrayList<>();
                    for (int r = 0; r < size; r++) gathered.add(place("gather output " + what, Torch.zeros(dt, shape), dense));
                }
                g.gather(place("gather input " + what, CollectiveChecks.input(me, shape, dt, 4), dense), gathered, dst);
                if (me == dst) {
                    for (int r = 0; r < size; r++) same("gather[" + r + "] " + what, gathered.get(r), CollectiveChecks.input(r, shape, dt, 4));
                }
                List<Tensor> pieces = null;
                if (me == 0) {
                    pieces = new ArrayList<>();
                    for (int j = 0; j < size; j++) pieces.add(place("scatter input " + what, CollectiveChecks.input(0, shape, dt, 20 + j), dense));
                }
                Tensor piece = place("scatter output " + what, Torch.zeros(dt, shape), dense);
                g.scatter(piece, pieces, 0);
                same("scatter " + what, piece, CollectiveChecks.input(0, shape, dt, 20 + me));
            }
        }
        for (Placed p : placed) {
            out.check("a view's base is off the heap: " + p.what(), addressOf(p.base()) != 0, () -> "no address");
            same("neighbours untouched: " + p.what(), p.neighbours(p.base()), p.neighbours(p.before()));
        }
    }

    /**
     * Exact counts: MPI calls made on tensors' own memory (OffHeapCollectives), the address the last
     * one got, and staging copies (TensorStaging), around each collective.
     */
    private void routeCounts() {
        for (DType dt : DType.values()) {
            // 60 elements: the non-blocking route; 70,000: the large-tensor route (blocking MPI_Allreduce, 70 chunks)
            for (long[] shape : new long[][] {{R, C}, {70, 1000}}) {
                long n = shape[0] * shape[1];
                long chunks = (n + CHUNK - 1) / CHUNK;
                String what = dt.pyName() + " " + n;
                Tensor base = CollectiveChecks.input(me, new long[] {shape[0] + 2, shape[1]}, dt, 5);
                Tensor t = base.get(Index.slice(1, shape[0] + 1));
                Tensor value = t.clone();
                ReduceOp op = dt == DType.BOOL ? ReduceOp.SUM : ReduceOp.AVG;
                expectDirect("allReduce " + op + " of a dense off-heap slice " + what, t, chunks, () -> g.allReduce(t, op));
                List<Tensor> all = new ArrayList<>();
                for (int r = 0; r < size; r++) {
                    all.add(CollectiveChecks.input(r, new long[] {shape[0] + 2, shape[1]}, dt, 5).get(Index.slice(1, shape[0] + 1)));
                }
                same("allReduce " + op + " in place " + what, t, CollectiveChecks.reduce(all, op));
                t.copy_(value);
                expectDirect("broadcast of a dense off-heap slice " + what, t, chunks, () -> g.broadcast(t, size - 1));
                same("broadcast in place " + what, t, all.get(size - 1));
            }
            // all-gather into / reduce-scatter of dense off-heap tensors: one MPI call, MPI writes the output's memory
            Tensor in = CollectiveChecks.input(me, new long[] {R, C}, dt, 13);
            Tensor into = Torch.zeros(dt, size * R, C);
            expectDirect("allGatherIntoTensor of dense off-heap tensors " + dt.pyName(), into, 1,
                    () -> g.allGatherIntoTensor(into, in));
            same("allGatherIntoTensor in place " + dt.pyName(), into, Torch.cat(everyRank(new long[] {R, C}, dt, 13)));
            Tensor whole = CollectiveChecks.input(me, new long[] {size * R, C}, dt, 14);
            Tensor part = Torch.zeros(dt, R, C);
            ReduceOp rop = dt == DType.BOOL ? ReduceOp.SUM : ReduceOp.AVG;
            expectDirect("reduceScatterTensor " + rop + " of dense off-heap tensors " + dt.pyName(), part, 1,
                    () -> g.reduceScatterTensor(part, whole, rop));
            List<Tensor> mine = new ArrayList<>();
            for (Tensor w : everyRank(new long[] {size * R, C}, dt, 14)) mine.add(w.get(Index.slice(me * R, (me + 1) * R)));
            same("reduceScatterTensor " + rop + " in place " + dt.pyName(), part, CollectiveChecks.reduce(mine, rop));
            // the input a slice of the output (PyTorch's in-place all-gather): MPI must not get overlapping buffers, so staged
            Tensor gathered = Torch.zeros(dt, size * R, C);
            Tensor own = gathered.get(Index.slice(me * R, (me + 1) * R));
            own.copy_(CollectiveChecks.input(me, new long[] {R, C}, dt, 15));
            long calls = OffHeapCollectives.MPI_CALLS.get();
            g.allGatherIntoTensor(gathered, own);
            out.check("allGatherIntoTensor from a slice of its output is staged " + dt.pyName(),
                    OffHeapCollectives.MPI_CALLS.get() == calls, () -> "MPI calls on the tensors' memory");
            same("allGatherIntoTensor from a slice of its output " + dt.pyName(), gathered,
                    Torch.cat(everyRank(new long[] {R, C}, dt, 15)));
            if (dt == DType.FLOAT32) autogradSeesTheWrite();
            // a strided view and the async form are staged: one copy in and one out, no MPI call on the tensor's memory
            Tensor wide = CollectiveChecks.input(me, new long[] {R, 2 * C}, dt, 6);
            Tensor even = wide.get(Index.all(), Index.slice(null, null, 2));
            expectStaged("allReduce of a strided off-heap view " + dt.pyName(), () -> g.allReduce(even, ReduceOp.MAX));
            Tensor dense = CollectiveChecks.input(me, new long[] {R, C}, dt, 7);
            expectStaged("allReduceAsync of a dense off-heap tensor " + dt.pyName(),
                    () -> g.allReduceAsync(dense, ReduceOp.MAX).waitFor());
            same("allReduceAsync result " + dt.pyName(), dense, CollectiveChecks.reduce(everyRank(new long[] {R, C}, dt, 7), ReduceOp.MAX));
        }
    }

    /**
     * The in-place write is recorded (the storage's version), as for any in-place op: a tensor that
     * autograd saved and a collective then overwrote makes backward refuse, not give a wrong gradient.
     */
    private void autogradSeesTheWrite() {
        Tensor x = CollectiveChecks.input(me, new long[] {R, C}, DType.FLOAT32, 19).requiresGrad_();
        Tensor saved = x.detach();
        Tensor y = saved.mul(x).sum(); // saves the detached tensor, which shares x's off-heap storage
        expectDirect("allReduce of a tensor autograd saved", saved, 1, () -> g.allReduce(saved, ReduceOp.SUM));
        out.expectThrows("backward after a collective overwrote a saved tensor", io.flambeau.core.AutogradException.class,
                y::backward);
    }

    /**
     * Views of 2^31+1 elements that take no memory (one element expanded): what cannot be chunked
     * or staged is a typed error on every rank, naming the calls that take such a tensor.
     */
    private void pastAnIntCount() {
        long n = (1L << 31) + 1;
        Tensor big = Torch.zeros(DType.FLOAT32, 1).expand(n);
        out.expectThrows("allReduce of a strided view past 2^31-9 elements", io.flambeau.core.DistributedException.class,
                () -> g.allReduce(big, ReduceOp.SUM), "2147483649", "contiguous", "chunks");
        out.expectThrows("allReduceAsync past 2^31-9 elements", io.flambeau.core.DistributedException.class,
                () -> g.allReduceAsync(big, ReduceOp.SUM).waitFor(), "allReduceAsync", "blocking allReduce");
        out.expectThrows("broadcast of a strided view past 2^31-9 elements", io.flambeau.core.DistributedException.class,
                () -> g.broadcast(big, 0), "2147483649", "contiguous");
        List<Tensor> outs = new ArrayList<>();
        for (int r = 0; r < size; r++) outs.add(Torch.zeros(DType.FLOAT32, 1).expand(n));
        out.expectThrows("allGather past 2^31-1 elements", io.flambeau.core.DistributedException.class,
                () -> g.allGather(outs, big), "2^31-1", "allReduce and broadcast", "chunks");
        out.expectThrows("allGatherIntoTensor past 2^31-1 elements", io.flambeau.core.DistributedException.class,
                () -> g.allGatherIntoTensor(Torch.zeros(DType.FLOAT32, 1).expand(n * size), big), "2^31-1", "chunks");
        Tensor t = CollectiveChecks.input(me, new long[] {R, C}, DType.FLOAT32, 18);
        g.allReduce(t, ReduceOp.SUM);
        same("the group still works after those errors", t, CollectiveChecks.reduce(everyRank(new long[] {R, C}, DType.FLOAT32, 18),
                ReduceOp.SUM));
    }

    private void expectDirect(String name, Tensor t, long chunks, Runnable collective) {
        long calls = OffHeapCollectives.MPI_CALLS.get();
        long copies = TensorStaging.COPIES.get();
        collective.run();
        long madeCalls = OffHeapCollectives.MPI_CALLS.get() - calls;
        long madeCopies = TensorStaging.COPIES.get() - copies;
        long lastChunk = t.dataPtr() + (chunks - 1) * CHUNK * t.dtype().byteSize();
        out.check(name + ": " + chunks + " MPI calls on the tensor's memory", madeCalls == chunks, () -> madeCalls + " calls");
        out.check(name + ": no staging copy", madeCopies == 0, () -> madeCopies + " copies");
        out.check(name + ": MPI got the tensor's own address", OffHeapCollectives.lastAddress == lastChunk,
                () -> "last call at " + OffHeapCollectives.lastAddress + ", its chunk is at " + lastChunk);
    }

    private void expectStaged(String name, Runnable collective) {
        long calls = OffHeapCollectives.MPI_CALLS.get();
        long copies = TensorStaging.COPIES.get();
        collective.run();
        long madeCalls = OffHeapCollectives.MPI_CALLS.get() - calls;
        long madeCopies = TensorStaging.COPIES.get() - copies;
        out.check(name + ": no MPI call on its memory", madeCalls == 0, () -> madeCalls + " calls");
        out.check(name + ": copied in and out", madeCopies == 2, () -> madeCopies + " copies");
    }

    /**
     * In Java arrays (the on-heap run), the large-tensor route reduces the storage's own array, or a
     * strided view's dense copy, in 70 blocking MPI calls of 1000 elements; the neighbours keep their values.
     */
    private void chunkedInArrays() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            long[] shape = {72, 1000};
            Tensor base = CollectiveChecks.input(me, shape, dt, 16);
            Tensor before = base.clone();
            Tensor rows = base.get(Index.slice(1, 71));
            long calls = OffHeapCollectives.MPI_CALLS.get();
            g.allReduce(rows, ReduceOp.AVG);
            out.check("chunked in an array: no off-heap route " + dt.pyName(), OffHeapCollectives.MPI_CALLS.get() == calls);
            List<Tensor> all = new ArrayList<>();
            for (Tensor t : everyRank(shape, dt, 16)) all.add(t.get(Index.slice(1, 71)));
            same("chunked allReduce AVG of an array slice " + dt.pyName(), rows, CollectiveChecks.reduce(all, ReduceOp.AVG));
            same("chunked allReduce leaves the rows around " + dt.pyName(),
                    Torch.cat(List.of(base.get(Index.slice(0, 1)), base.get(Index.slice(71, 72)))),
                    Torch.cat(List.of(before.get(Index.slice(0, 1)), before.get(Index.slice(71, 72)))));
            Tensor wide = CollectiveChecks.input(me, new long[] {70, 2000}, dt, 17);
            Tensor even = wide.get(Index.all(), Index.slice(null, null, 2));
            g.allReduce(even, ReduceOp.MAX);
            List<Tensor> evens = new ArrayList<>();
            for (Tensor t : everyRank(new long[] {70, 2000}, dt, 17)) evens.add(t.get(Index.all(), Index.slice(null, null, 2)));
            same("chunked allReduce MAX of a strided array view " + dt.pyName(), even, CollectiveChecks.reduce(evens, ReduceOp.MAX));
        }
    }

    /**
     * Tensors of a few thousand elements, reduced and broadcast in chunks of 1000 on every route
     * (dense off-heap, strided staged, async staged), against the single-process reference; an
     * uneven last chunk included.
     */
    private void chunked() {
        for (DType dt : DType.values()) {
            for (long[] shape : new long[][] {{3, 1000}, {5, 501}}) {
                String what = dt.pyName() + " " + shape[0] * shape[1];
                for (ReduceOp op : ReduceOp.values()) {
                    if (dt == DType.BOOL && op == ReduceOp.AVG) continue;
                    Tensor t = CollectiveChecks.input(me, shape, dt, 8);
                    g.allReduce(t, op);
                    same("chunked allReduce " + op + " " + what, t, CollectiveChecks.reduce(everyRank(shape, dt, 8), op));
                    Tensor a = CollectiveChecks.input(me, shape, dt, 9);
                    g.allReduceAsync(a, op).waitFor();
                    same("chunked allReduceAsync " + op + " " + what, a, CollectiveChecks.reduce(everyRank(shape, dt, 9), op));
                }
                Tensor base = CollectiveChecks.input(me, new long[] {shape[0], 2 * shape[1]}, dt, 10);
                Tensor before = base.clone();
                Tensor odd = base.get(Index.all(), Index.slice(1L, null, 2));
                g.allReduce(odd, ReduceOp.SUM);
                List<Tensor> odds = new ArrayList<>();
                for (Tensor b : everyRank(new long[] {shape[0], 2 * shape[1]}, dt, 10)) {
                    odds.add(b.get(Index.all(), Index.slice(1L, null, 2)));
                }
                same("chunked allReduce of a strided view " + what, odd, CollectiveChecks.reduce(odds, ReduceOp.SUM));
                same("chunked allReduce leaves the columns between " + what, base.get(Index.all(), Index.slice(null, null, 2)),
                        before.get(Index.all(), Index.slice(null, null, 2)));
                for (int root = 0; root < size; root++) {
                    Tensor t = CollectiveChecks.input(me, shape, dt, 11);
                    g.broadcast(t, root);
                    same("chunked broadcast from " + root + " " + what, t, CollectiveChecks.input(root, shape, dt, 11));
                    Tensor s = CollectiveChecks.input(me, new long[] {shape[0], 2 * shape[1]}, dt, 12)
                            .get(Index.all(), Index.slice(null, null, 2));
                    g.broadcastAsync(s, root).waitFor();
                    same("chunked broadcastAsync of a strided view from " + root + " " + what, s,
                            CollectiveChecks.input(root, new long[] {shape[0], 2 * shape[1]}, dt, 12)
                                    .get(Index.all(), Index.slice(null, null, 2)));
                }
            }
        }
    }
}
