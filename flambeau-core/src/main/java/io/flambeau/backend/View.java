package io.flambeau.backend;

import io.flambeau.core.DType;

/**
 * The operand of a kernel: a storage seen through an offset, a shape and element strides.
 * A stride of 0 repeats an element (broadcasting); strides may be any non-negative value.
 */
public record View(Storage storage, long offset, long[] shape, long[] strides) {

    /** A dense row-major view of {@code shape} from the start of {@code s} (the array is the view's). */
    public static View dense(Storage s, long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return new View(s, 0, shape, strides);
    }

    public DType dtype() { return storage.dtype(); }

    public int rank() { return shape.length; }

    public long numel() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** True when elements are laid out densely in row-major order from {@code offset}. */
    public boolean isContiguous() {
        return isContiguous(shape, strides);
    }

    /**
     * Dense row-major layout test shared by every tensor type: size-1 dims may have any stride, and
     * a tensor with no elements is contiguous whatever its strides (as in PyTorch; its own strides
     * skip the empty dimension, so comparing them would call a fresh empty tensor strided).
     */
    public static boolean isContiguous(long[] shape, long[] strides) {
        for (long s : shape) if (s == 0) return true;
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }
}
