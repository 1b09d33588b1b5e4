package io.flambeau.backend;

/**
 * Advanced indexing ({@code x[I, C]}, index lists, broadcast index tensors) resolved to what one
 * device kernel needs to find, for every element of the result, the element of the indexed
 * storage it reads or writes:
 *
 * <pre>
 *   offset(p) = base.offset + sum_r coord_r(p) * base.strides[r]
 *             + sum_k wrap_k(indices[k] at p) * strides[k]
 * </pre>
 * where {@code p} runs over {@link #shape} in row-major order, {@code base} steps through the
 * dims that are not indexed (stride 0 where the broadcast index dims sit), each index view is an
 * int64 tensor broadcast to {@code shape} (stride 0 on the other dims), and {@code wrap_k} adds
 * {@code sizes[k]} to a negative index. An index outside {@code [-sizes[k], sizes[k])} is an
 * {@code IndexException} naming {@code op}, dim {@code dims[k]}, the index and the size; a device
 * may report it at its next synchronisation instead of at once.
 */
public record AdvancedIndex(String op, long[] shape, View base, View[] indices, long[] sizes, long[] strides,
                            int[] dims) {

    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** The message of an out-of-bounds index, the same on every device. */
    public static String outOfBounds(String op, long index, int dim, long size) {
        return op + ": index " + index + " is out of bounds for dimension " + dim + " with size " + size
                + "; valid indices are " + (size == 0 ? "none" : "-" + size + " to " + (size - 1));
    }
}
