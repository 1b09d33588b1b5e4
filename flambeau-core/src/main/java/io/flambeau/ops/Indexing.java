package io.flambeau.ops;

import io.flambeau.backend.AdvancedIndex;
import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.DeviceIndexing;
import io.flambeau.backend.View;
import io.flambeau.core.DType;
import io.flambeau.core.DeviceException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code x[...]} and {@code x[...] = v} on raw tensors.
 *
 * <p>Two steps. First the basic entries are applied left to right as views: integers select
 * (dropping the dim — PyTorch applies them before any tensor index, unlike NumPy), ranges slice,
 * {@code None} inserts a dim, the ellipsis skips dims; each tensor entry just records the dim of
 * that view it indexes (a bool mask becomes one int64 index tensor per mask dim, via nonzero,
 * read piece by piece by {@link MaskCoordinates} for a mask of any size). Without tensor entries
 * the view is the answer. Otherwise the index tensors are broadcast together, checked, wrapped,
 * and turned into one int64 tensor holding, for every element of the result, its absolute offset in the storage; one {@code take} (read) or {@code put} (write) then
 * does the work on the device.
 *
 * <p>Result shape of advanced indexing: when the indexed dims are adjacent the broadcast index
 * shape replaces them in place, otherwise it goes first, followed by the remaining dims in order.
 */
public final class Indexing {
    private Indexing() {}

    /** {@code x[items]}: a view for basic indexing, a new tensor when a tensor entry is present. */
    public static RawTensor index(RawTensor x, List<IndexItem> items) {
        Plan plan = plan("index", x, items);
        if (plan.isBasic()) {
            // x[...] and x[()] change nothing, but are still a new view (as in PyTorch), never x itself.
            RawTensor v = plan.view;
            return v != x ? v : x.asStrided(x.shape.clone(), x.strides.clone(), x.offset);
        }
        Placement at = placement("index", plan);
        if (x.backend() instanceof DeviceIndexing device && Shapes.numel(at.shape) > 0) {
            RawTensor out = RawTensor.empty("index", at.shape, x.dtype(), x.device());
            device.gather(advanced("index", plan, at), out.view());
            return out;
        }
        Gather g = gather("index", plan, at);
        RawTensor out = RawTensor.empty("index", g.shape, x.dtype(), x.device());
        if (out.numel() > 0) x.backend().take(plan.view.view(), g.offsets.view(), out.view());
        return out;
    }

    /**
     * {@code x[items] = values} (or {@code +=} with {@code accumulate}, where repeated positions add
     * up): values are broadcast to the indexed shape and converted to x's dtype.
     */
    public static void indexPut(RawTensor x, List<IndexItem> items, RawTensor values, boolean accumulate) {
        String op = "index_put_";
        values = onDeviceOf(op, x, values);
        Plan plan = plan(op, x, items);
        if (plan.isBasic()) {
            RawTensor src = Elementwise.cast(fitValues(op, values, plan.view.shape), x.dtype());
            if (accumulate) src = Elementwise.binary(op, BinaryOp.ADD, plan.view, src);
            Elementwise.copyInto(op, plan.view, src);
        } else {
            Placement at = placement(op, plan);
            RawTensor src = Elementwise.cast(fitValues(op, values, at.shape), x.dtype());
            if (src.storage == x.storage) src = Elementwise.clone(src); // x[i] = x[j]: read everything before writing
            if (x.backend() instanceof DeviceIndexing device && Shapes.numel(at.shape) > 0) {
                device.scatter(advanced(op, plan, at), Elementwise.bview(src, at.shape), accumulate);
                x.storage.bumpVersion();
                return;
            }
            Gather g = gather(op, plan, at);
            if (Shapes.numel(g.shape) > 0) {
                x.backend().put(plan.view.view(), g.offsets.view(), Elementwise.bview(src, g.shape), accumulate);
            }
        }
        x.storage.bumpVersion();
    }

    /** {@code x[items] = value}. */
    public static void indexFill(RawTensor x, List<IndexItem> items, double value) {
        String op = "index_put_";
        if (isFullMask(x, items)) {
            // x[mask] = v with a mask shaped like x: a select on the device, no need to read the mask back.
            RawTensor mask = onDeviceOf(op, x, ((IndexItem.Tensor) items.get(0)).index());
            Elementwise.copyInto(op, x, Elementwise.where(mask, Creation.scalar(value, x.dtype(), x.device()), x));
            x.storage.bumpVersion();
            return;
        }
        Plan plan = plan(op, x, items);
        if (plan.isBasic()) {
            if (plan.view.numel() > 0) Elementwise.fill(plan.view, value);
        } else {
            Placement at = placement(op, plan);
            if (x.backend() instanceof DeviceIndexing device && Shapes.numel(at.shape) > 0) {
                RawTensor v = Creation.scalar(value, x.dtype(), x.device());
                device.scatter(advanced(op, plan, at), Elementwise.bview(v, at.shape), false);
                x.storage.bumpVersion();
                return;
            }
            Gather g = gather(op, plan, at);
            if (Shapes.numel(g.shape) > 0) {
                RawTensor v = Creation.scalar(value, x.dtype(), x.device());
                x.backend().put(plan.view.view(), g.offsets.view(), Elementwise.bview(v, g.shape), false);
            }
        }
        x.storage.bumpVersion();
    }

    private static boolean isFullMask(RawTensor x, List<IndexItem> items) {
        return items.size() == 1 && items.get(0) instanceof IndexItem.Tensor(RawTensor m)
                && m.dtype() == DType.BOOL && m.dim() > 0 && Shapes.same(m.shape, x.shape);
    }

    // ---- step 1: basic indexing, recording the tensor entries ---------------------------------

    /** The view after basic indexing, and the int64 index tensors with the dims of that view they index. */
    private record Plan(RawTensor view, List<Integer> dims, List<RawTensor> indices, List<Integer> sourceDims) {
        boolean isBasic() { return dims.isEmpty(); }
    }

    private static Plan plan(String op, RawTensor x, List<IndexItem> items) {
        int consumed = 0;
        boolean ellipsis = false;
        for (IndexItem item : items) {
            switch (item) {
                case IndexItem.At a -> consumed++;
                case IndexItem.Range r -> consumed++;
                case IndexItem.Tensor(RawTensor t) -> consumed += t.dtype() == DType.BOOL ? t.dim() : 1;
                case IndexItem.Ellipsis e -> {
                    if (ellipsis) throw new IndexException(op + ": an index can only have a single ellipsis ('...')");
                    ellipsis = true;
                }
                case IndexItem.NewAxis n -> { }
            }
        }
        if (consumed > x.dim()) {
            if (x.dim() == 0) {
                throw new IndexException(op + ": invalid index of a 0-dim tensor; read its value with item() instead");
            }
            throw new IndexException(op + ": too many indices for tensor of dimension " + x.dim() + " (shape "
                    + Shapes.format(x.shape) + ", " + consumed + " dims indexed)");
        }
        RawTensor v = x;
        int d = 0; // the dim of v the next entry applies to
        int source = 0; // the dim of x it applies to, for messages
        List<Integer> dims = new ArrayList<>();
        List<RawTensor> indices = new ArrayList<>();
        List<Integer> sourceDims = new ArrayList<>(); // the dim of x each index tensor indexes, for messages
        for (IndexItem item : items) {
            switch (item) {
                case IndexItem.At(long i) -> v = ShapeOps.select(v, d, i, source++);
                case IndexItem.Range(Long start, Long stop, long step) -> {
                    v = ShapeOps.slice(v, d++, start, stop, step);
                    source++;
                }
                case IndexItem.Ellipsis e -> {
                    d += x.dim() - consumed;
                    source += x.dim() - consumed;
                }
                case IndexItem.NewAxis n -> v = ShapeOps.unsqueeze(v, d++);
                case IndexItem.Tensor(RawTensor t0) -> {
                    source += t0.dtype() == DType.BOOL ? t0.dim() : 1;
                    RawTensor t = onDeviceOf(op, x, t0);
                    if (t.dtype() == DType.BOOL && t.dim() == 0) {
                        // x[True] adds a dim of size 1 and keeps it; x[False] adds it with size 0.
                        v = ShapeOps.unsqueeze(v, d);
                        dims.add(d++);
                        indices.add(Creation.zeros(new long[] {t.toLongs()[0] != 0 ? 1 : 0}, DType.INT64, x.device()));
                        sourceDims.add(source); // a new dim: never out of bounds
                    } else if (t.dtype() == DType.BOOL) {
                        checkMask(op, t, v, d);
                        int maskSource = source - t.dim();
                        for (RawTensor coords : MaskCoordinates.of(op, t)) { // t is on x's device
                            dims.add(d++);
                            indices.add(coords);
                            sourceDims.add(maskSource++);
                        }
                    } else if (t.dtype() == DType.INT64 && t.dim() == 0) {
                        v = ShapeOps.select(v, d, t.toLongs()[0], source - 1); // a 0-dim integer tensor acts as an integer
                    } else if (t.dtype() == DType.INT64) {
                        dims.add(d++);
                        indices.add(t);
                        sourceDims.add(source - 1);
                    } else {
                        throw new IndexException(op + ": tensors used as indices must be long or bool tensors, got "
                                + t.dtype().pyName() + "; convert the index with .long()");
                    }
                }
            }
        }
        return new Plan(v, dims, indices, sourceDims);
    }

    private static void checkMask(String op, RawTensor mask, RawTensor v, int d) {
        for (int j = 0; j < mask.dim(); j++) {
            if (mask.shape[j] != v.shape[d + j]) {
                throw new IndexException(op + ": The shape of the mask " + Shapes.format(mask.shape) + " at index " + j
                        + " does not match the shape of the indexed tensor " + Shapes.format(v.shape) + " at index " + (d + j));
            }
        }
    }

    // ---- step 2: advanced indexing as absolute offsets -----------------------------------------

    /** Result shape of advanced indexing and the storage offset of each of its elements (int64, that shape). */
    private record Gather(long[] shape, RawTensor offsets) {}

    /**
     * Where the result's dims come from: the broadcast index shape, which goes in place of the indexed
     * dims when they are adjacent (first otherwise), and the result position of each remaining dim.
     */
    private record Placement(long[] bshape, long[] shape, int indexAt, int[] placeOf) {}

    private static Placement placement(String op, Plan plan) {
        RawTensor v = plan.view;
        List<Integer> dims = plan.dims;
        int count = dims.size();
        long[] bshape = plan.indices.get(0).shape;
        for (int k = 1; k < count; k++) {
            try {
                bshape = Shapes.broadcast(op, bshape, plan.indices.get(k).shape);
            } catch (ShapeException e) {
                StringBuilder shapes = new StringBuilder();
                for (RawTensor t : plan.indices) shapes.append(shapes.isEmpty() ? "" : ", ").append(Shapes.format(t.shape));
                throw new ShapeException(op + ": shape mismatch: indexing tensors could not be broadcast together with shapes "
                        + shapes, e);
            }
        }
        int first = dims.get(0), last = dims.get(count - 1);
        boolean adjacent = last - first + 1 == count;
        int indexAt = adjacent ? first : 0;
        int rank = v.dim() - count + bshape.length;
        long[] shape = new long[rank];
        int[] placeOf = new int[v.dim()]; // result position of each remaining dim of v; -1 for indexed dims
        System.arraycopy(bshape, 0, shape, indexAt, bshape.length);
        for (int r = 0, next = 0; r < v.dim(); r++) {
            if (dims.contains(r)) {
                placeOf[r] = -1;
                continue;
            }
            if (next == indexAt) next += bshape.length;
            placeOf[r] = next;
            shape[next++] = v.shape[r];
        }
        return new Placement(bshape, shape, indexAt, placeOf);
    }

    /**
     * The one-kernel form for a device that checks indices itself: the indexed view's strides placed
     * among the result dims, each index tensor viewed at the result shape (nothing is copied or read).
     */
    private static AdvancedIndex advanced(String op, Plan plan, Placement at) {
        RawTensor v = plan.view;
        int rank = at.shape.length, count = plan.dims.size();
        long[] baseStrides = new long[rank];
        for (int r = 0; r < v.dim(); r++) if (at.placeOf[r] >= 0) baseStrides[at.placeOf[r]] = v.strides[r];
        View base = new View(v.storage, v.offset, at.shape, baseStrides);
        View[] indices = new View[count];
        long[] sizes = new long[count], strides = new long[count];
        int[] dims = new int[count];
        for (int k = 0; k < count; k++) {
            RawTensor t = plan.indices.get(k);
            long[] bs = Shapes.broadcastStrides(t.shape, t.strides, at.bshape);
            long[] placed = new long[rank];
            System.arraycopy(bs, 0, placed, at.indexAt, bs.length);
            indices[k] = new View(t.storage, t.offset, at.shape, placed);
            int dim = plan.dims.get(k);
            dims[k] = plan.sourceDims.get(k); // errors name the dim of the tensor the user indexed
            sizes[k] = v.shape[dim];
            strides[k] = v.strides[dim];
        }
        return new AdvancedIndex(op, at.shape, base, indices, sizes, strides, dims);
    }

    private static Gather gather(String op, Plan plan, Placement at) {
        RawTensor v = plan.view;
        List<Integer> dims = plan.dims;
        int count = dims.size();
        long[] bshape = at.bshape, shape = at.shape;
        int indexAt = at.indexAt, rank = shape.length;
        int[] placeOf = at.placeOf;
        if (Shapes.numel(shape) == 0) {
            checkBounds(op, plan); // PyTorch still reports bad indices when another dim is empty
            return new Gather(shape, null);
        }

        // offsets = v.offset + sum_k index_k * stride_k  (shape bshape), placed among the remaining dims
        RawTensor acc = null;
        for (int k = 0; k < count; k++) {
            int dim = dims.get(k);
            RawTensor idx = checkedIndex(op, plan.indices.get(k), plan.sourceDims.get(k), v.shape[dim]);
            RawTensor term = Elementwise.binaryScalar(op, BinaryOp.MUL, idx, v.strides[dim], false, false);
            acc = acc == null ? term : Elementwise.binary(op, BinaryOp.ADD, acc, term);
        }
        acc = Elementwise.binaryScalar(op, BinaryOp.ADD, acc, v.offset, false, false);
        if (!Shapes.same(acc.shape, bshape)) acc = Elementwise.clone(ShapeOps.expand(acc, bshape));
        acc = ShapeOps.reshape(acc, placed(bshape, indexAt, rank));
        // ... plus arange(size) * stride along each remaining dim, broadcast into place.
        for (int r = 0; r < v.dim(); r++) {
            if (placeOf[r] < 0 || v.shape[r] == 1) continue;
            RawTensor steps = Elementwise.binaryScalar(op, BinaryOp.MUL,
                    Creation.arange(0, v.shape[r], 1, v.device()), v.strides[r], false, false);
            acc = Elementwise.binary(op, BinaryOp.ADD, acc, ShapeOps.reshape(steps, placed(new long[] {v.shape[r]}, placeOf[r], rank)));
        }
        return new Gather(shape, acc);
    }

    /** A rank-{@code rank} shape of ones with {@code sizes} written from position {@code at}. */
    private static long[] placed(long[] sizes, int at, int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(sizes, 0, s, at, sizes.length);
        return s;
    }

    private static void checkBounds(String op, Plan plan) {
        for (int k = 0; k < plan.dims.size(); k++) {
            int dim = plan.dims.get(k);
            checkedIndex(op, plan.indices.get(k), plan.sourceDims.get(k), plan.view.shape[dim]);
        }
    }

    /**
     * Checks every index against the dim size (one min/max reduction read back to the host) and
     * wraps negative indices, returning the index tensor to use.
     */
    private static RawTensor checkedIndex(String op, RawTensor idx, int dim, long size) {
        if (idx.numel() == 0) return idx;
        long max = Reductions.max(idx).toLongs()[0];
        long min = Reductions.min(idx).toLongs()[0];
        long bad = max >= size ? max : min < -size ? min : Long.MIN_VALUE;
        if (bad != Long.MIN_VALUE) throw new IndexException(AdvancedIndex.outOfBounds(op, bad, dim, size));
        if (min >= 0) return idx;
        RawTensor negative = Elementwise.binaryScalar(op, BinaryOp.LT, idx, 0, false, false);
        return Elementwise.where(negative, Elementwise.binaryScalar(op, BinaryOp.ADD, idx, size, false, false), idx);
    }

    // ---- operands -------------------------------------------------------------------------------

    /**
     * An index or value tensor on x's device. Host (CPU) tensors are moved over, as PyTorch accepts
     * CPU indices for a CUDA tensor; a tensor on another accelerator is an error.
     */
    private static RawTensor onDeviceOf(String op, RawTensor x, RawTensor t) {
        if (t.device().equals(x.device())) return t;
        if (t.device().isCuda()) {
            throw new DeviceException(op + ": indices and values should be either on cpu or on the same device as the"
                    + " indexed tensor (" + x.device() + "), got one on " + t.device() + "; move it with .to(device)");
        }
        return Transfer.to(t, x.device()); // piece by piece: an index or value tensor of any size
    }

    /** Values broadcast-checked against the indexed shape; leading size-1 dims beyond its rank are dropped, as PyTorch. */
    private static RawTensor fitValues(String op, RawTensor values, long[] shape) {
        RawTensor v = values;
        while (v.dim() > shape.length && v.shape[0] == 1) v = ShapeOps.squeeze(v, 0);
        boolean fits = v.dim() <= shape.length;
        for (int i = 0; fits && i < v.dim(); i++) {
            long have = v.shape[i], want = shape[shape.length - v.dim() + i];
            fits = have == want || have == 1;
        }
        if (!fits) {
            throw new ShapeException(op + ": shape mismatch: value tensor of shape " + Shapes.format(values.shape)
                    + " cannot be broadcast to indexing result of shape " + Shapes.format(shape));
        }
        return v;
    }
}
