package io.flambeau.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the elements of a non-empty tensor of rank 1 or more as PyTorch's nested brackets:
 * the port of {@code _tensor_str_with_formatter}, {@code _vector_str} and {@code get_summarized_data}.
 *
 * <p>A block of rank r separates its sub-blocks with a comma, r-1 newlines and an indent one past
 * its own bracket. A row packs as many elements per line as fit in 80 columns after its indent,
 * counting each as its width plus ", ". When summarising, any dimension longer than
 * 2 × {@value #EDGE_ITEMS} shows only its edges, with {@code ...} (in rows, {@code " ..."} as if
 * it were an element) in between.
 */
final class TensorLayout {
    private static final int LINE_WIDTH = 80;
    private static final int EDGE_ITEMS = 3;

    private final int[] shape;
    private final int[] strides;
    private final boolean summarize;
    private final ElementFormatter formatter;

    /** @param shape non-empty, all sizes positive; exactly one of floats and integers is non-null */
    TensorLayout(long[] shape, DType dtype, double[] floats, long[] integers, boolean summarize) {
        this.shape = new int[shape.length];
        this.strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            this.shape[axis] = (int) shape[axis];
            strides[axis] = stride;
            stride *= this.shape[axis];
        }
        this.summarize = summarize;
        List<Integer> shown = new ArrayList<>();
        collectShown(0, 0, shown);
        this.formatter = new ElementFormatter(dtype, floats, integers,
                shown.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The bracketed text, for a tensor whose opening bracket sits at column {@code indent}. */
    String render(int indent) {
        return block(0, 0, indent);
    }

    private String block(int axis, int offset, int indent) {
        int rank = shape.length - axis;
        if (rank == 1) return row(offset, indent);
        List<String> slices = new ArrayList<>();
        for (int i : shownIndices(axis)) {
            slices.add(i < 0 ? "..." : block(axis + 1, offset + i * strides[axis], indent + 1));
        }
        String separator = "," + "\n".repeat(rank - 1) + " ".repeat(indent + 1);
        return "[" + String.join(separator, slices) + "]";
    }

    private String row(int offset, int indent) {
        int axis = shape.length - 1;
        List<String> items = new ArrayList<>();
        for (int i : shownIndices(axis)) {
            items.add(i < 0 ? " ..." : formatter.format(offset + i * strides[axis]));
        }
        int elementLength = formatter.width() + 2; // the element and its ", "
        int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, elementLength));
        List<String> lines = new ArrayList<>();
        for (int start = 0; start < items.size(); start += perLine) {
            lines.add(String.join(", ", items.subList(start, Math.min(items.size(), start + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** Flat indices of every element that will be printed, which the formatter surveys. */
    private void collectShown(int axis, int offset, List<Integer> out) {
        for (int i : shownIndices(axis)) {
            if (i < 0) continue;
            int child = offset + i * strides[axis];
            if (axis == shape.length - 1) out.add(child);
            else collectShown(axis + 1, child, out);
        }
    }

    /** Indices shown along {@code axis}, with -1 where the ellipsis goes. */
    private int[] shownIndices(int axis) {
        int size = shape[axis];
        if (!summarize || size <= 2 * EDGE_ITEMS) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        int[] edges = new int[2 * EDGE_ITEMS + 1];
        for (int i = 0; i < EDGE_ITEMS; i++) {
            edges[i] = i;
            edges[EDGE_ITEMS + 1 + i] = size - EDGE_ITEMS + i;
        }
        edges[EDGE_ITEMS] = -1;
        return edges;
    }
}
