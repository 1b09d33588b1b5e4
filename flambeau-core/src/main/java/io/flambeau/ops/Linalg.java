package io.flambeau.ops;

import io.flambeau.backend.FirstLayerGrads;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;

/**
 * Matrix products with {@code torch.matmul}'s rules, all lowered to the backend's one batched
 * primitive {@code (B,m,k)·(B,k,n)}.
 *
 * <p>Lowering: a 1-D operand gains a size-1 dim (prepended for the left, appended for the right)
 * that the result drops again; batch dims of both sides are broadcast, expanded and folded into
 * the single batch dim by {@link ShapeOps#reshape}, which copies only when the layout cannot be
 * viewed that way. A side without batch dims is passed with batch stride 0 instead of copied, and
 * when only the left side has batch dims they are folded into its rows, making one large GEMM.
 */
public final class Linalg {
    private Linalg() {}

    public static RawTensor matmul(RawTensor a, RawTensor b) {
        return product("matmul", a, b);
    }

    /** Matrix times matrix, 2-D operands only. */
    public static RawTensor mm(RawTensor a, RawTensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new ShapeException("mm: expected two 2-D tensors (matrices), got shapes " + Shapes.format(a.shape)
                    + " and " + Shapes.format(b.shape) + "; use matmul for vectors and batches");
        }
        return product("mm", a, b);
    }

    /**
     * {@code torch.addmm(bias, a, b)}: {@code bias + a·b} for matrices a (n, m) and b (m, p), the
     * bias broadcastable to (n, p); all three of one dtype, as PyTorch requires. The backend
     * starts the product from the bias (see {@code Backend.matmulBias}).
     */
    public static RawTensor addmm(RawTensor bias, RawTensor a, RawTensor b) {
        return addmm("addmm", bias, a, b, false);
    }

    private static RawTensor addmm(String op, RawTensor bias, RawTensor a, RawTensor b, boolean relu) {
        Elementwise.checkSameDevice(op, a, b);
        Elementwise.checkSameDevice(op, bias, a);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new ShapeException(op + ": mat1 and mat2 must be matrices (2-D), got shapes " + Shapes.format(a.shape)
                    + " and " + Shapes.format(b.shape));
        }
        long n = a.shape[0], m = a.shape[1], p = b.shape[1];
        if (b.shape[0] != m) {
            throw new ShapeException(op + ": mat1 and mat2 shapes cannot be multiplied (" + n + "x" + m + " and "
                    + b.shape[0] + "x" + p + ")");
        }
        checkSameDtype(op, a.dtype(), b.dtype());
        if (bias.dtype() != a.dtype()) {
            throw new DTypeException(op + ": expected self, mat1 and mat2 to have the same dtype, but got "
                    + bias.dtype() + " (self, the bias), " + a.dtype() + " and " + b.dtype()
                    + "; convert the bias with .to(" + a.dtype() + ") first");
        }
        if (a.dtype() == DType.BOOL) {
            throw new DTypeException(op + ": not implemented for 'Bool' tensors; cast them to float32 or int64 first");
        }
        long[] shape = {n, p};
        long[] full = Shapes.broadcast(op, bias.shape, shape);
        if (!java.util.Arrays.equals(full, shape)) {
            throw new ShapeException(op + ": the bias of shape " + Shapes.format(bias.shape)
                    + " cannot be broadcast to the product's shape " + Shapes.format(shape));
        }
        long[] bs = Shapes.broadcastStrides(bias.shape, bias.strides, shape);
        RawTensor out = RawTensor.empty(op, new long[] {1, n, p}, a.dtype(), a.device());
        var va = a.asStrided(new long[] {1, n, m}, new long[] {0, a.strides[0], a.strides[1]}, a.offset).view();
        var vb = b.asStrided(new long[] {1, m, p}, new long[] {0, b.strides[0], b.strides[1]}, b.offset).view();
        var vbias = bias.asStrided(new long[] {1, n, p}, new long[] {0, bs[0], bs[1]}, bias.offset).view();
        if (relu) a.backend().matmulBiasRelu(va, vb, vbias, out.view());
        else a.backend().matmulBias(va, vb, vbias, out.view());
        return ShapeOps.view(out, shape);
    }

    /**
     * {@code relu(bias + a·b)} in one buffer: the ReLU runs in place over the fresh product, which
     * nothing else can see (PyTorch's {@code _addmm_activation}). Same checks as {@link #addmm}.
     */
    public static RawTensor addmmRelu(RawTensor bias, RawTensor a, RawTensor b) {
        return addmm("addmm", bias, a, b, true);
    }

    /**
     * The bias and weight gradients of {@code relu(bias + a·b)} for the upstream g when a's own is
     * not wanted, in the backend's one fused pass ({@code FirstLayerGrads}): {bias's, shape (n), or
     * null when {@code biasWanted} is false; b's, (k, n)}. Null when the backend has no such pass
     * for these tensors; the caller then takes the unfused route, which gives the same values.
     */
    public static RawTensor[] reluLinearGrads(RawTensor g, RawTensor out, RawTensor a, boolean biasWanted) {
        if (!(a.backend() instanceof FirstLayerGrads fused) || !g.device().equals(a.device())
                || !out.device().equals(a.device()) || g.dim() != 2 || a.dim() != 2
                || !Shapes.same(g.shape, out.shape) || g.shape[0] != a.shape[0]) {
            return null;
        }
        String op = "relu_linear_backward";
        RawTensor gbias = biasWanted ? RawTensor.empty(op, new long[] {g.shape[1]}, g.dtype(), g.device()) : null;
        RawTensor gb = RawTensor.empty(op, new long[] {a.shape[1], g.shape[1]}, g.dtype(), g.device());
        if (fused.reluLinearGrads(g.view(), out.view(), a.view(), gbias == null ? null : gbias.view(), gb.view())) {
            return new RawTensor[] {gbias, gb};
        }
        if (gbias != null) gbias.storage.close();
        gb.storage.close();
        return null;
    }

    /** x's backend's {@code Backend.rowBlockBytes}: the working set for row-blocked evaluation, 0 for none. */
    public static long rowBlockBytes(RawTensor x) {
        return x.backend().rowBlockBytes();
    }

    /**
     * Products never promote, as in PyTorch ({@code expected scalar type Long but found Float},
     * {@code mat1 and mat2 must have the same dtype}): an int64 input to a float32 weight is almost
     * always a forgotten conversion, and promoting would hide it.
     */
    public static void checkSameDtype(String op, DType first, DType second) {
        if (first == second) return;
        DType floating = first.isFloating() ? first : second.isFloating() ? second : DType.FLOAT32;
        throw new DTypeException(op + ": expected both operands to have the same dtype, but got " + first.pyName()
                + " and " + second.pyName() + " (PyTorch: mat1 and mat2 must have the same dtype); convert one first,"
                + " e.g. with .float() (toFloat()) for " + floating.pyName() + " or .to(" + first.pyName() + ")");
    }

    private static RawTensor product(String op, RawTensor a, RawTensor b) {
        Elementwise.checkSameDevice(op, a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeException(op + ": both arguments to matmul need to be at least 1D, but they are " + a.dim()
                    + "D and " + b.dim() + "D (shapes " + Shapes.format(a.shape) + " and " + Shapes.format(b.shape) + ")");
        }
        checkSameDtype(op, a.dtype(), b.dtype());
        DType t = a.dtype();
        if (t == DType.BOOL) {
            throw new DTypeException(op + ": not implemented for 'Bool' tensors; cast them to float32 or int64 first");
        }
        // Matrices (..., m, k) and (..., k, n); a vector becomes a 1-row (left) or 1-column (right) matrix.
        RawTensor ma = a.dim() == 1 ? ShapeOps.unsqueeze(Elementwise.cast(a, t), 0) : Elementwise.cast(a, t);
        RawTensor mb = b.dim() == 1 ? ShapeOps.unsqueeze(Elementwise.cast(b, t), 1) : Elementwise.cast(b, t);
        int ra = ma.dim(), rb = mb.dim();
        long m = ma.shape[ra - 2], k = ma.shape[ra - 1], k2 = mb.shape[rb - 2], n = mb.shape[rb - 1];
        if (k != k2) {
            throw new ShapeException(op + ": mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + k2 + "x"
                    + n + "); got tensors of shape " + Shapes.format(a.shape) + " and " + Shapes.format(b.shape)
                    + ": the last dim of the first must equal the second-to-last dim of the second (its only dim when 1-D)");
        }
        long[] batchA = java.util.Arrays.copyOf(ma.shape, ra - 2), batchB = java.util.Arrays.copyOf(mb.shape, rb - 2);
        long[] batch;
        try {
            batch = Shapes.broadcast(op, batchA, batchB);
        } catch (ShapeException e) {
            throw new ShapeException(op + ": the batch dims of shapes " + Shapes.format(a.shape) + " and "
                    + Shapes.format(b.shape) + " cannot be broadcast together (" + Shapes.format(batchA) + " vs "
                    + Shapes.format(batchB) + ")", e);
        }
        long batchCount = Shapes.numel(batch);
        Shapes.checkedNumel(op, new long[] {batchCount, m}); // the folded rows, then the whole product
        Shapes.checkedNumel(op, new long[] {batchCount, m, n});

        RawTensor out;
        long[] foldedA = batchB.length == 0 && batchA.length > 0
                ? ShapeOps.viewStrides(ma.shape, ma.strides, new long[] {batchCount * m, k}) : null;
        if (foldedA != null) {
            RawTensor a3 = ma.asStrided(new long[] {1, batchCount * m, k}, new long[] {0, foldedA[0], foldedA[1]}, ma.offset);
            out = RawTensor.empty(op, new long[] {1, batchCount * m, n}, t, a.device());
            a.backend().matmul(a3.view(), asBatch(mb, batch, 1, k, n).view(), out.view());
        } else {
            out = RawTensor.empty(op, new long[] {batchCount, m, n}, t, a.device());
            a.backend().matmul(asBatch(ma, batch, batchCount, m, k).view(), asBatch(mb, batch, batchCount, k, n).view(),
                    out.view());
        }
        // Result: batch dims, then m unless a was a vector, then n unless b was a vector. out is dense, so this is a view.
        long[] shape = new long[batch.length + (a.dim() == 1 ? 0 : 1) + (b.dim() == 1 ? 0 : 1)];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        int at = batch.length;
        if (a.dim() != 1) shape[at++] = m;
        if (b.dim() != 1) shape[at] = n;
        return ShapeOps.reshape(out, shape);
    }

    /** {@code x} (..., r, c) presented as a rank-3 (count, r, c) operand for the given broadcast batch. */
    private static RawTensor asBatch(RawTensor x, long[] batch, long count, long r, long c) {
        int rank = x.dim();
        if (rank == 2) {
            // No batch dims of its own: every batch reads the same matrix (stride 0), no copy.
            return x.asStrided(new long[] {count, r, c}, new long[] {0, x.strides[0], x.strides[1]}, x.offset);
        }
        long[] full = java.util.Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = r;
        full[batch.length + 1] = c;
        return ShapeOps.reshape(ShapeOps.expand(x, full), new long[] {count, r, c});
    }
}
