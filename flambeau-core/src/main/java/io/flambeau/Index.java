package io.flambeau;

import io.flambeau.core.IndexException;
import io.flambeau.ops.IndexItem;

import java.util.ArrayList;
import java.util.List;

/**
 * Index expressions for {@link Tensor#get} and {@link Tensor#set}, in PyTorch's vocabulary.
 *
 * <p>Each item may be: an {@code Integer}/{@code Long} (select, negative counts from the end), a
 * {@link #slice} or a Python-style string ({@code "1:"}, {@code ":"}, {@code "0:6:2"},
 * {@code "::-1"} is refused as in PyTorch, {@code "..."}, {@code "None"}, {@code "-1"}), an int64
 * {@link Tensor} of indices or a bool {@link Tensor} mask, or a {@code long[]}/{@code int[]}
 * (index list) or {@code boolean[]} (mask). A single string may hold a whole expression:
 * {@code t.get(":, 0:6:2")}.
 *
 * <pre>{@code
 * Tensor t = Torch.arange(12L).reshape(3, 4);
 * Tensor row = t.get(1);                          // t[1]
 * Tensor cols = t.get(":, 0:4:2");                // t[:, 0:4:2]
 * Tensor tail = t.get(Index.all(), Index.from(2)); // t[:, 2:]
 * }</pre>
 */
public final class Index {
    private Index() {}

    /** {@code start:stop:step}; null parts are omitted, as in Python. */
    public static IndexItem slice(Long start, Long stop, long step) {
        return new IndexItem.Range(start, stop, step);
    }

    public static IndexItem slice(long start, long stop) {
        return new IndexItem.Range(start, stop, 1);
    }

    /** {@code start:} */
    public static IndexItem from(long start) {
        return new IndexItem.Range(start, null, 1);
    }

    /** {@code :stop} */
    public static IndexItem to(long stop) {
        return new IndexItem.Range(null, stop, 1);
    }

    /** {@code :} */
    public static IndexItem all() {
        return new IndexItem.Range(null, null, 1);
    }

    /** {@code ...} */
    public static IndexItem ellipsis() {
        return new IndexItem.Ellipsis();
    }

    /** {@code None}: a new axis of size 1. */
    public static IndexItem newAxis() {
        return new IndexItem.NewAxis();
    }

    /** Converts user items to the ops layer's vocabulary, on the device of the indexed tensor. */
    static List<IndexItem> parse(Object[] items, io.flambeau.core.Device device) {
        List<IndexItem> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof String s && s.contains(",")) {
                for (String part : s.split(",")) out.add(parseOne(part.trim(), device));
            } else {
                out.add(parseOne(item, device));
            }
        }
        return out;
    }

    private static IndexItem parseOne(Object item, io.flambeau.core.Device device) {
        return switch (item) {
            case null -> new IndexItem.NewAxis();
            case IndexItem i -> i;
            case Integer i -> new IndexItem.At(i);
            case Long l -> new IndexItem.At(l);
            // CPU indices move to the indexed tensor's device, as PyTorch accepts them; indices on a GPU
            // are left where they are for the ops layer to refuse unless they are on that tensor's device
            case Tensor t -> new IndexItem.Tensor(t.variable().data.device().equals(device) || t.device().isCuda()
                    ? t.variable().data : t.to(device).variable().data);
            case long[] a -> new IndexItem.Tensor(Torch.tensor(a).to(device).variable().data);
            case int[] a -> new IndexItem.Tensor(Torch.tensor(a).to(device).variable().data);
            case boolean[] a -> new IndexItem.Tensor(Torch.tensor(a).to(device).variable().data);
            case String s -> parseString(s.trim());
            default -> throw new IndexException("index: unsupported index item of type " + item.getClass().getSimpleName()
                    + "; use integers, slices (\"1:3\", Index.slice), \"...\", \"None\", index tensors or masks");
        };
    }

    private static IndexItem parseString(String s) {
        if (s.equals("...")) return new IndexItem.Ellipsis();
        if (s.equals("None")) return new IndexItem.NewAxis();
        try {
            if (!s.contains(":")) return new IndexItem.At(Long.parseLong(s));
            String[] p = s.split(":", -1);
            if (p.length > 3) throw new NumberFormatException();
            Long start = p[0].isBlank() ? null : Long.parseLong(p[0].trim());
            Long stop = p[1].isBlank() ? null : Long.parseLong(p[1].trim());
            long step = p.length == 3 && !p[2].isBlank() ? Long.parseLong(p[2].trim()) : 1;
            if (step <= 0) {
                throw new IndexException("index '" + s + "': step must be greater than zero (negative steps are not"
                        + " supported, as in PyTorch; use flip instead)");
            }
            return new IndexItem.Range(start, stop, step);
        } catch (NumberFormatException e) {
            throw new IndexException("index: cannot parse '" + s + "'; expected an integer, start:stop:step, '...' or 'None'");
        }
    }
}
