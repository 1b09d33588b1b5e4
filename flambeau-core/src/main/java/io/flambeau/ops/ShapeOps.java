package io.flambeau.ops;

import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;

import java.util.List;

/**
 * Ops that change how a tensor is seen without touching its data (views), plus the few that
 * must copy: {@code reshape} of a non-viewable layout, {@code contiguous}, {@code cat}, {@code stack}.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** Replaces one -1 by the size that keeps the element count; checks the count. */
    public static long[] inferShape(String op, long[] shape, long numel) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new ShapeException(op + ": only one dimension can be inferred");
                infer = i;
            } else if (out[i] < 0) {
                throw new ShapeException(op + ": invalid shape dimension " + out[i]);
            } else {
                known *= out[i];
            }
        }
        checkedKnown(op, shape);
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new ShapeException(op + ": shape '" + Shapes.format(shape) + "' is invalid for input of size " + numel);
            }
            out[infer] = numel / known;
        } else if (known != numel) {
            throw new ShapeException(op + ": shape '" + Shapes.format(shape) + "' is invalid for input of size " + numel);
        }
        return out;
    }

    /** The product of the given sizes (the -1 left out) must fit a long, else the overflow error. */
    private static void checkedKnown(String op, long[] shape) {
        for (long size : shape) if (size == 0) return;
        long known = 1;
        try {
            for (long size : shape) if (size != -1) known = Math.multiplyExact(known, size);
        } catch (ArithmeticException e) {
            throw Shapes.overflow(op, shape, "the product of the given sizes does not fit a 64-bit integer");
        }
    }

    /** A view with a new shape, or null when the strides do not allow one (PyTorch's computeStride). */
    static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        if (oldShape.length == 0) return Shapes.contiguousStrides(newShape);
        long numel = Shapes.numel(oldShape);
        if (numel == 0) return Shapes.contiguousStrides(newShape);
        long[] newStrides = new long[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = oldShape.length - 1; td >= 0; td--) {
            tensorNumel *= oldShape[td];
            if (td == 0 || (oldShape[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (td > 0) {
                    chunkBase = oldStrides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    public static RawTensor view(RawTensor x, long[] shape) {
        long[] s = inferShape("view", shape, x.numel());
        long[] st = viewStrides(x.shape, x.strides, s);
        if (st == null) {
            throw new ShapeException("view: size " + Shapes.format(s) + " is not compatible with input tensor's size "
                    + Shapes.format(x.shape) + " and stride " + Shapes.format(x.strides)
                    + " (at least one dimension spans across two contiguous subspaces); use reshape(...) instead");
        }
        return x.asStrided(s, st, x.offset);
    }

    /** A view when the strides allow one, else a copy, as PyTorch. */
    public static RawTensor reshape(RawTensor x, long[] shape) {
        long[] s = inferShape("reshape", shape, x.numel());
        long[] st = viewStrides(x.shape, x.strides, s);
        if (st != null) return x.asStrided(s, st, x.offset);
        RawTensor c = Elementwise.clone(x);
        return c.asStrided(s, Shapes.contiguousStrides(s), 0);
    }

    public static RawTensor contiguous(RawTensor x) {
        return x.isContiguous() ? x : Elementwise.clone(x);
    }

    public static RawTensor permute(RawTensor x, int[] dims) {
        int r = x.dim();
        if (dims.length != r) {
            throw new ShapeException("permute: number of dims don't match in permute: got " + dims.length
                    + " dims for a tensor of " + r + " dims");
        }
        long[] s = new long[r], st = new long[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shapes.normalizeDim("permute", dims[i], r);
            if (seen[d]) throw new ShapeException("permute: repeated dim " + d + " in " + java.util.Arrays.toString(dims));
            seen[d] = true;
            s[i] = x.shape[d];
            st[i] = x.strides[d];
        }
        return x.asStrided(s, st, x.offset);
    }

    public static RawTensor transpose(RawTensor x, long d0, long d1) {
        int r = x.dim();
        if (r == 0) return x;
        int a = Shapes.normalizeDim("transpose", d0, r), b = Shapes.normalizeDim("transpose", d1, r);
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** {@code t()}: transposes a 2-D tensor; 0-D and 1-D are returned as they are. */
    public static RawTensor t(RawTensor x) {
        if (x.dim() > 2) {
            throw new ShapeException("t: expects a tensor with <= 2 dimensions, but self is " + x.dim()
                    + "D; use transpose(d0, d1) or permute(...)");
        }
        return x.dim() < 2 ? x : transpose(x, 0, 1);
    }

    public static RawTensor expand(RawTensor x, long[] sizes) {
        int r = sizes.length;
        if (r < x.dim()) {
            throw new ShapeException("expand: the number of sizes provided (" + r + ") must be greater or equal to the number"
                    + " of dimensions in the tensor (" + x.dim() + ")");
        }
        long[] s = new long[r], st = new long[r];
        int shift = r - x.dim();
        for (int i = 0; i < r; i++) {
            int j = i - shift;
            long want = sizes[i];
            if (j < 0) {
                if (want < 0) throw new ShapeException("expand: -1 is not allowed in a leading, non-existing dimension");
                s[i] = want;
                st[i] = 0;
            } else {
                long have = x.shape[j];
                if (want == -1) want = have;
                if (have != want && have != 1) {
                    throw new ShapeException("expand: the expanded size of the tensor (" + want + ") must match the existing size ("
                            + have + ") at non-singleton dimension " + i + ".  Target sizes: " + Shapes.format(sizes)
                            + ".  Tensor sizes: " + Shapes.format(x.shape));
                }
                s[i] = want;
                st[i] = have == want ? x.strides[j] : 0;
            }
        }
        Shapes.checkedNumel("expand", s);
        return x.asStrided(s, st, x.offset);
    }

    public static RawTensor unsqueeze(RawTensor x, long dim) {
        int r = x.dim();
        int d = Shapes.normalizeDim("unsqueeze", dim, r + 1);
        long[] s = new long[r + 1], st = new long[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = j < r ? x.strides[j] * x.shape[j] : 1;
            } else {
                s[i] = x.shape[j];
                st[i] = x.strides[j];
                j++;
            }
        }
        return x.asStrided(s, st, x.offset);
    }

    /** Removes every dim of size 1. */
    public static RawTensor squeeze(RawTensor x) {
        int keep = 0;
        for (long s : x.shape) if (s != 1) keep++;
        long[] s = new long[keep], st = new long[keep];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (x.shape[i] != 1) {
                s[j] = x.shape[i];
                st[j++] = x.strides[i];
            }
        }
        return x.asStrided(s, st, x.offset);
    }

    /** Removes {@code dim} if its size is 1 (otherwise returns the tensor unchanged, as PyTorch). */
    public static RawTensor squeeze(RawTensor x, long dim) {
        if (x.dim() == 0) return x;
        int d = Shapes.normalizeDim("squeeze", dim, x.dim());
        if (x.shape[d] != 1) return x;
        return x.asStrided(remove(x.shape, d), remove(x.strides, d), x.offset);
    }

    public static RawTensor flatten(RawTensor x, long startDim, long endDim) {
        if (x.dim() == 0) return reshape(x, new long[] {1});
        int a = Shapes.normalizeDim("flatten", startDim, x.dim()), b = Shapes.normalizeDim("flatten", endDim, x.dim());
        if (a > b) throw new ShapeException("flatten: start_dim (" + startDim + ") cannot come after end_dim (" + endDim + ")");
        long[] s = new long[x.dim() - (b - a)];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i <= a || i > b) s[j++] = x.shape[i];
            else s[j - 1] *= x.shape[i];
        }
        return reshape(x, s);
    }

    /** {@code x[..., start:stop:step, ...]} along one dim; bounds clamp as in Python. */
    public static RawTensor slice(RawTensor x, int dim, Long start, Long stop, long step) {
        if (step <= 0) throw new IndexException("slice: step must be greater than zero, got " + step);
        long size = x.shape[dim];
        long s0 = start == null ? 0 : start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        long s1 = stop == null ? size : stop < 0 ? Math.max(stop + size, 0) : Math.min(stop, size);
        long len = s1 > s0 ? (s1 - s0 + step - 1) / step : 0;
        long[] s = x.shape.clone(), st = x.strides.clone();
        s[dim] = len;
        st[dim] = x.strides[dim] * step;
        return x.asStrided(s, st, x.offset + (len > 0 ? s0 * x.strides[dim] : 0));
    }

    /** {@code x[..., index, ...]} along one dim: drops the dim. */
    public static RawTensor select(RawTensor x, int dim, long index) {
        return select(x, dim, index, dim);
    }

    /**
     * {@link #select} where {@code dim} of x is dimension {@code sourceDim} of the tensor the user
     * indexed ({@code t[0, 3]} selects twice along dim 0 of successive views, but the 3 indexes
     * dimension 1 of t, which is what the error must say).
     */
    static RawTensor select(RawTensor x, int dim, long index, int sourceDim) {
        long size = x.shape[dim];
        if (index < -size || index >= size) {
            throw new IndexException("index " + index + " is out of bounds for dimension " + sourceDim + " with size "
                    + size);
        }
        long i = index < 0 ? index + size : index;
        return x.asStrided(remove(x.shape, dim), remove(x.strides, dim), x.offset + i * x.strides[dim]);
    }

    public static RawTensor cat(List<RawTensor> xs, long dim) {
        return join("cat", xs, dim);
    }

    /** {@code cat} for {@code op}: stack joins its unsqueezed inputs here and reports errors as its own. */
    private static RawTensor join(String op, List<RawTensor> xs, long dim) {
        if (xs.isEmpty()) throw new ShapeException(op + ": expected a non-empty list of tensors");
        RawTensor first = xs.get(0);
        int r = first.dim();
        if (r == 0) throw new ShapeException(op + ": zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.normalizeDim(op, dim, r);
        long total = 0;
        io.flambeau.core.DType dt = first.dtype();
        for (int i = 0; i < xs.size(); i++) {
            RawTensor x = xs.get(i);
            Elementwise.checkSameDevice(op, first, x);
            if (x.dim() != r) {
                throw new ShapeException(op + ": tensors must have same number of dimensions: got " + r + " and " + x.dim()
                        + " (tensor at position " + i + ")");
            }
            for (int k = 0; k < r; k++) {
                if (k != d && x.shape[k] != first.shape[k]) {
                    throw new ShapeException(op + ": sizes of tensors must match except in dimension " + d + ". Expected size "
                            + first.shape[k] + " but got size " + x.shape[k] + " for tensor number " + i + " in the list");
                }
            }
            total += x.shape[d];
            if (total < 0) { // expanded views can be huge: the sum wrapped
                throw new ShapeException("cat: Storage size calculation overflowed: the sizes along dimension " + d
                        + " add up to more than a 64-bit integer holds (at tensor number " + i + ")");
            }
            dt = io.flambeau.core.DType.promote(dt, x.dtype());
        }
        long[] s = first.shape.clone();
        s[d] = total;
        RawTensor out = RawTensor.empty("cat", s, dt, first.device());
        long at = 0;
        for (RawTensor x : xs) {
            RawTensor part = slice(out, d, at, at + x.shape[d], 1);
            out.backend().copy(x.view(), part.view());
            at += x.shape[d];
        }
        return out;
    }

    public static RawTensor stack(List<RawTensor> xs, long dim) {
        if (xs.isEmpty()) throw new ShapeException("stack: expected a non-empty list of tensors");
        long[] s0 = xs.get(0).shape;
        for (int i = 1; i < xs.size(); i++) {
            if (!Shapes.same(s0, xs.get(i).shape)) {
                throw new ShapeException("stack: expects each tensor to be equal size, but got " + Shapes.format(s0)
                        + " at entry 0 and " + Shapes.format(xs.get(i).shape) + " at entry " + i);
            }
        }
        int d = Shapes.normalizeDim("stack", dim, s0.length + 1);
        return join("stack", xs.stream().map(x -> unsqueeze(x, d)).toList(), d);
    }

    static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }
}
