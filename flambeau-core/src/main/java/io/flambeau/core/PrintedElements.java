package io.flambeau.core;

/**
 * Which elements {@code str(tensor)} shows: PyTorch 1.13's {@code get_summarized_data} with the default
 * print options (threshold 1000, edge items 3). A tensor of more than {@value #THRESHOLD} elements is
 * summarised: every dimension longer than 2 × {@value #EDGE_ITEMS} keeps only its first and last
 * {@value #EDGE_ITEMS} entries. The kept elements, in row-major order, form a tensor of
 * {@link #shownShape(long[]) the shown shape}; the element notation and width are chosen from those
 * elements only, so printing never needs the others.
 *
 * <p>Printing a tensor of any size therefore reads at most 6 elements per long dimension: the caller
 * gathers them (on the device, as one strided view) and hands them to
 * {@link TensorFormatter#formatShown(long[], DType, double[], java.util.List)}.
 */
public final class PrintedElements {
    /** Tensors with more elements than this are summarised. */
    public static final long THRESHOLD = 1000;
    /** Entries kept at each end of a summarised dimension. */
    public static final int EDGE_ITEMS = 3;

    private PrintedElements() {}

    /** Whether a tensor of this shape prints in summary (more than {@value #THRESHOLD} elements). */
    public static boolean summarizes(long[] shape) {
        return numel(shape) > THRESHOLD;
    }

    /** Whether dimension {@code axis} of a tensor of this shape shows only its edges, around {@code ...}. */
    public static boolean cutsDimension(long[] shape, int axis) {
        return summarizes(shape) && shape[axis] > 2L * EDGE_ITEMS;
    }

    /** The shape of the shown elements: {@code shape} with every cut dimension reduced to 2 × {@value #EDGE_ITEMS}. */
    public static long[] shownShape(long[] shape) {
        long[] shown = shape.clone();
        for (int axis = 0; axis < shape.length; axis++) {
            if (cutsDimension(shape, axis)) shown[axis] = 2L * EDGE_ITEMS;
        }
        return shown;
    }

    /**
     * The row-major flat index, in a dense tensor of {@code shape}, of each shown element in order.
     * Used when every element is already on the host; the result is small (at most 6 per cut dimension).
     */
    static int[] shownOffsets(long[] shape) {
        long[] shown = shownShape(shape);
        int count = Math.toIntExact(numel(shown));
        int[] out = new int[count];
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= shape[axis];
        }
        for (int i = 0; i < count; i++) {
            long rest = i, offset = 0;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                long k = rest % shown[axis];
                rest /= shown[axis];
                long index = shown[axis] == shape[axis] || k < EDGE_ITEMS ? k : shape[axis] - 2L * EDGE_ITEMS + k;
                offset += index * strides[axis];
            }
            out[i] = Math.toIntExact(offset);
        }
        return out;
    }

    /** The element count of a shape; callers pass shapes of existing tensors, whose count fits a long. */
    static long numel(long[] shape) {
        long n = 1;
        for (long size : shape) n *= size;
        return n;
    }
}
