package io.flambeau.autograd;

import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.IndexItem;
import io.flambeau.ops.Indexing;
import io.flambeau.ops.RawTensor;

import java.util.List;

/** Differentiable indexing: reads are gathers (scatter-add back), writes are in-place puts. */
public final class IndexFunctions {
    private IndexFunctions() {}

    public static Variable index(Variable a, List<IndexItem> items) {
        RawTensor out = Indexing.index(a.data, items);
        if (!Graph.needsGrad(a)) {
            return out.storage == a.data.storage ? Graph.recordView("IndexBackward0", out, null, a) : new Variable(out);
        }
        long[] s = a.data.shape;
        List<Object> saved = saveIndices(items);
        Graph.Rule rule = g -> {
            RawTensor z = Creation.zeros(s, g.dtype(), g.device());
            Indexing.indexPut(z, savedIndices(saved, "IndexBackward0"), g, true);
            return new RawTensor[] {z};
        };
        return out.storage == a.data.storage
                ? Graph.recordView("IndexBackward0", out, rule, a)
                : Graph.record("IndexBackward0", out, rule, a);
    }

    /** {@code a[items] = values} in place. */
    public static void indexPut(Variable a, List<IndexItem> items, Variable values) {
        InPlace.checkAllowed("index_put_", a, values);
        Indexing.indexPut(a.data, items, values.data, false);
        long[] vs = values.data.shape;
        if (!Graph.needsGrad(a, values)) return;
        List<Object> saved = saveIndices(items);
        boolean gSelf = a.requiresGrad(), gValues = values.requiresGrad();
        Graph.recordInPlace("IndexPutBackward0", a, g -> {
            List<IndexItem> at = savedIndices(saved, "IndexPutBackward0");
            RawTensor kept = null;
            if (gSelf) {
                kept = Elementwise.clone(g);
                Indexing.indexFill(kept, at, 0);
            }
            return new RawTensor[] {kept, gValues ? GradientMath.sumTo(Indexing.index(g, at), vs) : null};
        }, values);
    }

    /** {@code a[items] = value} in place. */
    public static void indexFill(Variable a, List<IndexItem> items, double value) {
        InPlace.checkAllowed("index_fill_", a);
        Indexing.indexFill(a.data, items, value);
        if (!Graph.needsGrad(a)) return;
        List<Object> saved = saveIndices(items);
        Graph.recordInPlace("IndexFillBackward0", a, g -> {
            RawTensor kept = Elementwise.clone(g);
            Indexing.indexFill(kept, savedIndices(saved, "IndexFillBackward0"), 0);
            return new RawTensor[] {kept};
        });
    }

    /** Index items with their index tensors saved (version-checked) for backward. */
    private static List<Object> saveIndices(List<IndexItem> items) {
        List<Object> saved = new java.util.ArrayList<>(items.size());
        for (IndexItem item : items) {
            saved.add(item instanceof IndexItem.Tensor t ? new SavedTensor(t.index()) : item);
        }
        return saved;
    }

    private static List<IndexItem> savedIndices(List<Object> saved, String node) {
        List<IndexItem> items = new java.util.ArrayList<>(saved.size());
        for (Object o : saved) items.add(o instanceof SavedTensor t ? new IndexItem.Tensor(t.get(node)) : (IndexItem) o);
        return items;
    }

}
