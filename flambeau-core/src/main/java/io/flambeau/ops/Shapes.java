package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;

import java.util.Arrays;

/** Shape arithmetic: element counts, dense strides, dim normalisation and broadcasting. */
public final class Shapes {
    private Shapes() {}

    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /**
     * The element count of {@code shape}, or a {@link ShapeException} naming {@code op} when the
     * product does not fit a long: PyTorch's "Storage size calculation overflowed". Without this
     * check a wrapped product (such as 2^62 × 4 = 0) would make a tensor that claims no elements.
     * A shape with a size-0 dim holds nothing and never overflows.
     */
    public static long checkedNumel(String op, long[] shape) {
        for (long s : shape) if (s == 0) return 0;
        long n = 1;
        try {
            for (long s : shape) n = Math.multiplyExact(n, s);
        } catch (ArithmeticException e) {
            throw overflow(op, shape, "the element count does not fit a 64-bit integer");
        }
        return n;
    }

    /** {@link #checkedNumel} times the element size: the bytes a dense tensor of this shape needs. */
    public static long checkedBytes(String op, long[] shape, DType dtype) {
        long n = checkedNumel(op, shape);
        try {
            return Math.multiplyExact(n, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw overflow(op, shape, n + " elements of " + dtype.byteSize() + " bytes do not fit a 64-bit byte count");
        }
    }

    static ShapeException overflow(String op, long[] shape, String why) {
        return new ShapeException(op + ": Storage size calculation overflowed with sizes=" + format(shape) + " (" + why
                + "); check the sizes passed to " + op);
    }

    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long st = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = st;
            st *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** PyTorch's printing of a size: {@code [2, 3, 4]}. */
    public static String format(long[] shape) {
        return Arrays.toString(shape);
    }

    /** Wraps a possibly negative dim into {@code [0, rank)}, or throws naming the op and the valid range. */
    public static int normalizeDim(String op, long dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexException(op + ": Dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + dim + ")");
        }
        return (int) (dim < 0 ? dim + r : dim);
    }

    /** The broadcast of two shapes, or a {@link ShapeException} naming the op and both shapes. */
    public static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot be broadcast together: the size of tensor a (" + da
                        + ") must match the size of tensor b (" + db + ") at non-singleton dimension " + i);
            }
            out[i] = da == 1 ? db : da;
        }
        checkedNumel(op, out);
        return out;
    }

    /** Strides that present a tensor of {@code shape}/{@code strides} as {@code target} (stride 0 on broadcast dims). */
    public static long[] broadcastStrides(long[] shape, long[] strides, long[] target) {
        long[] out = new long[target.length];
        int shift = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - shift;
            out[i] = j < 0 || shape[j] == 1 && target[i] != 1 ? 0 : strides[j];
        }
        return out;
    }

    public static boolean same(long[] a, long[] b) {
        return Arrays.equals(a, b);
    }
}
