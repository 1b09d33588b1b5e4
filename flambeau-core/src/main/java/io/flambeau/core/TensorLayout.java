package io.flambeau.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the elements of a non-empty tensor of rank 1 or more as PyTorch's nested brackets:
 * the port of {@code _tensor_str_with_formatter} and {@code _vector_str}. It is given the
 * {@link PrintedElements shown elements} only (for a summarised tensor, the edges of its long
 * dimensions), which is also what the element formatter surveys, as in PyTorch.
 *
 * <p>A block of rank r separates its sub-blocks with a comma, r-1 newlines and an indent one past
 * its own bracket. A row packs as many elements per line as fit in 80 columns after its indent,
 * counting each as its width plus ", ". When summarising, any dimension longer than
 * 2 × {@value #EDGE_ITEMS} shows only its edges, with {@code ...} (in rows, {@code " ..."} as if
 * it were an element) in between.
 */
final class TensorLayout {
    private static final int LINE_WIDTH = 80;
    private static final int EDGE_ITEMS = PrintedElements.EDGE_ITEMS;

    private final long[] shape;
    private final int[] shownShape;
    private final int[] strides;
    private final ElementFormatter formatter;

    /**
     * @param shape the tensor's shape: non-empty, all sizes positive
     * @param floats or {@code integers} (exactly one is non-null): the {@link PrintedElements shown
     *               elements} in row-major order, laid out in {@link PrintedElements#shownShape(long[])}
     */
    TensorLayout(long[] shape, DType dtype, double[] floats, long[] integers) {
        this.shape = shape.clone();
        long[] shown = PrintedElements.shownShape(shape);
        this.shownShape = new int[shape.length];
        this.strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            this.shownShape[axis] = (int) shown[axis];
            strides[axis] = stride;
            stride *= this.shownShape[axis];
        }
        int[] every = new int[stride]; // PyTorch surveys the summarised tensor: every element given
        for (int i = 0; i < stride; i++) every[i] = i;
        this.formatter = new ElementFormatter(dtype, floats, integers, every);
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

    /** Indices into the shown elements along {@code axis}, with -1 where a cut dimension's ellipsis goes. */
    private int[] shownIndices(int axis) {
        int size = shownShape[axis];
        if (!PrintedElements.cutsDimension(shape, axis)) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        int[] edges = new int[2 * EDGE_ITEMS + 1];
        for (int i = 0; i < EDGE_ITEMS; i++) {
            edges[i] = i;
            edges[EDGE_ITEMS + 1 + i] = EDGE_ITEMS + i;
        }
        edges[EDGE_ITEMS] = -1;
        return edges;
    }
}
