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
        long[] s = a.data.shape;
        Graph.Rule rule = g -> {
            RawTensor z = Creation.zeros(s, g.dtype(), g.device());
            Indexing.indexPut(z, items, g, true);
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
        Graph.recordInPlace("IndexPutBackward0", a, g -> {
            RawTensor kept = Elementwise.clone(g);
            Indexing.indexFill(kept, items, 0);
            return new RawTensor[] {kept, G.sumTo(Indexing.index(g, items), vs)};
        }, values);
    }

    /** {@code a[items] = value} in place. */
    public static void indexFill(Variable a, List<IndexItem> items, double value) {
        InPlace.checkAllowed("index_fill_", a);
        Indexing.indexFill(a.data, items, value);
        Graph.recordInPlace("IndexFillBackward0", a, g -> {
            RawTensor kept = Elementwise.clone(g);
            Indexing.indexFill(kept, items, 0);
            return new RawTensor[] {kept};
        });
    }

}
