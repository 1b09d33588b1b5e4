package io.flambeau.ops;

import io.flambeau.backend.ReduceOp;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;

/**
 * Reductions with PyTorch's dtypes and shapes: {@code sum}, {@code mean}, {@code max}/{@code min}
 * (with and without a dim), {@code argmax}/{@code argmin}, and {@link #sumToShape}, the reduction
 * every broadcasting gradient ends with.
 *
 * <p>Each op is one {@link io.flambeau.backend.Backend#reduce} call into a fresh tensor shaped like
 * the input without the reduced dim; {@code keepdim} is a view (unsqueeze) on top of it.
 */
public final class Reductions {
    private Reductions() {}

    // ---- sum ----------------------------------------------------------------------------------

    /** Sum of all elements as a 0-dim tensor; bool and int64 sum to int64, floats keep their dtype. */
    public static RawTensor sum(RawTensor x) {
        RawTensor in = sumInput(x);
        return reduceAll(ReduceOp.SUM, in, in.dtype());
    }

    public static RawTensor sum(RawTensor x, long dim, boolean keepdim) {
        RawTensor in = sumInput(x);
        return reduceDim("sum", ReduceOp.SUM, in, dim, keepdim, in.dtype());
    }

    /** The backend sums in the input's dtype, so bools are widened first (PyTorch counts them as int64). */
    private static RawTensor sumInput(RawTensor x) {
        return x.dtype() == DType.BOOL ? Elementwise.cast(x, DType.INT64) : x;
    }

    // ---- mean ---------------------------------------------------------------------------------

    /** Mean of all elements (floating inputs only; the mean of nothing is NaN). */
    public static RawTensor mean(RawTensor x) {
        requireFloating("mean", x);
        return reduceAll(ReduceOp.MEAN, x, x.dtype());
    }

    public static RawTensor mean(RawTensor x, long dim, boolean keepdim) {
        requireFloating("mean", x);
        return reduceDim("mean", ReduceOp.MEAN, x, dim, keepdim, x.dtype());
    }

    private static void requireFloating(String op, RawTensor x) {
        if (!x.dtype().isFloating()) {
            throw new DTypeException(op + "(): could not infer output dtype. Input dtype must be either a floating point"
                    + " or complex dtype. Got: " + scalarTypeName(x.dtype()) + "; cast the input to float32 first");
        }
    }

    /** The C++ scalar-type name PyTorch's messages use. */
    static String scalarTypeName(DType t) {
        return switch (t) {
            case BOOL -> "Bool";
            case INT64 -> "Long";
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
        };
    }

    // ---- max / min ----------------------------------------------------------------------------

    /** Largest element as a 0-dim tensor; NaN wins. Empty input is an error, as in PyTorch. */
    public static RawTensor max(RawTensor x) {
        requireNonEmpty("max", x);
        return reduceAll(ReduceOp.MAX, x, x.dtype());
    }

    public static RawTensor min(RawTensor x) {
        requireNonEmpty("min", x);
        return reduceAll(ReduceOp.MIN, x, x.dtype());
    }

    /** {@code {values, indices}} along {@code dim}; indices are int64 and point at the first extreme (or first NaN). */
    public static RawTensor[] max(RawTensor x, long dim, boolean keepdim) {
        return valuesAndIndices("max", ReduceOp.MAX, ReduceOp.ARGMAX, x, dim, keepdim);
    }

    public static RawTensor[] min(RawTensor x, long dim, boolean keepdim) {
        return valuesAndIndices("min", ReduceOp.MIN, ReduceOp.ARGMIN, x, dim, keepdim);
    }

    private static RawTensor[] valuesAndIndices(String name, ReduceOp valueOp, ReduceOp indexOp, RawTensor x,
                                                long dim, boolean keepdim) {
        requireNonEmptyDim(name, x, dim);
        // Both passes resolve ties and NaN the same way (first occurrence), so values[i] == x[indices[i]].
        return new RawTensor[] {
            reduceDim(name, valueOp, x, dim, keepdim, x.dtype()),
            reduceDim(name, indexOp, x, dim, keepdim, DType.INT64)
        };
    }

    // ---- argmax / argmin ----------------------------------------------------------------------

    /** Flat (row-major) index of the first largest element, as a 0-dim int64 tensor. */
    public static RawTensor argmax(RawTensor x) {
        requireArgDType("argmax", x);
        requireNonEmpty("argmax", x);
        return reduceAll(ReduceOp.ARGMAX, x, DType.INT64);
    }

    public static RawTensor argmax(RawTensor x, long dim, boolean keepdim) {
        requireArgDType("argmax", x);
        requireNonEmptyDim("argmax", x, dim);
        return reduceDim("argmax", ReduceOp.ARGMAX, x, dim, keepdim, DType.INT64);
    }

    public static RawTensor argmin(RawTensor x) {
        requireArgDType("argmin", x);
        requireNonEmpty("argmin", x);
        return reduceAll(ReduceOp.ARGMIN, x, DType.INT64);
    }

    public static RawTensor argmin(RawTensor x, long dim, boolean keepdim) {
        requireArgDType("argmin", x);
        requireNonEmptyDim("argmin", x, dim);
        return reduceDim("argmin", ReduceOp.ARGMIN, x, dim, keepdim, DType.INT64);
    }

    private static void requireArgDType(String op, RawTensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new DTypeException(op + "(): not implemented for 'Bool' tensors; cast to int64 first");
        }
    }

    private static void requireNonEmpty(String op, RawTensor x) {
        if (x.numel() == 0) {
            throw new ShapeException(op + "(): Expected reduction dim to be specified for input.numel() == 0 (input shape "
                    + Shapes.format(x.shape) + "). Specify the reduction dim with the 'dim' argument.");
        }
    }

    private static void requireNonEmptyDim(String op, RawTensor x, long dim) {
        int d = Shapes.normalizeDim(op, dim, x.dim());
        if (x.dim() > 0 && x.shape[d] == 0) {
            throw new IndexException(op + "(): Expected reduction dim " + d + " to have non-zero size (input shape "
                    + Shapes.format(x.shape) + ")");
        }
    }

    // ---- sumToShape ---------------------------------------------------------------------------

    /**
     * Sums {@code x} down to {@code shape}, a shape that broadcasts to x's: the leading dims x has in
     * excess are summed away and dims where {@code shape} has size 1 are summed keeping the dim.
     * Returns {@code x} itself when the shapes already match.
     */
    public static RawTensor sumToShape(RawTensor x, long[] shape) {
        if (Shapes.same(x.shape, shape)) return x;
        int lead = x.dim() - shape.length;
        if (lead < 0 || !Shapes.same(Shapes.broadcast("sum_to_size", shape, x.shape), x.shape)) {
            throw new ShapeException("sum_to_size: size " + Shapes.format(shape) + " is not expandable to size "
                    + Shapes.format(x.shape) + "; the target must broadcast to the tensor's shape");
        }
        RawTensor r = x;
        if (lead > 0) {
            // One reduction for all leading dims: fold them into one (a view when the layout allows).
            long folded = 1;
            for (int i = 0; i < lead; i++) folded *= x.shape[i];
            long[] s = new long[shape.length + 1];
            s[0] = folded;
            System.arraycopy(x.shape, lead, s, 1, shape.length);
            r = sum(ShapeOps.reshape(x, s), 0, false);
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1 && r.shape[i] != 1) r = sum(r, i, true);
        }
        return r;
    }

    // ---- shared plumbing ----------------------------------------------------------------------

    private static RawTensor reduceAll(ReduceOp op, RawTensor x, DType outType) {
        RawTensor out = RawTensor.empty(new long[0], outType, x.device());
        x.backend().reduce(op, x.view(), -1, out.view());
        return out;
    }

    private static RawTensor reduceDim(String name, ReduceOp op, RawTensor x, long dim, boolean keepdim, DType outType) {
        int d = Shapes.normalizeDim(name, dim, x.dim());
        if (x.dim() == 0) return reduceAll(op, x, outType); // dim 0 / -1 of a scalar: stays 0-dim, keepdim or not
        RawTensor out = RawTensor.empty(ShapeOps.remove(x.shape, d), outType, x.device());
        x.backend().reduce(op, x.view(), d, out.view());
        return keepdim ? ShapeOps.unsqueeze(out, d) : out;
    }
}
