package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.Linalg;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.ShapeOps;

/** Differentiable matrix products in every {@code torch.matmul} form. */
public final class LinalgFunctions {
    private LinalgFunctions() {}

    /** {@code bias + a·b} for matrices; the gradients of a matrix product plus the bias summed to its shape. */
    public static Variable addmm(Variable bias, Variable a, Variable b) {
        RawTensor out = Linalg.addmm(bias.data, a.data, b.data);
        if (!Graph.needsGrad(bias, a, b)) return new Variable(out);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad(), gbias = bias.requiresGrad();
        // each operand is saved only when the other's gradient needs it
        SavedTensor x = gb ? new SavedTensor(a.data) : null, y = ga ? new SavedTensor(b.data) : null;
        long[] biasShape = bias.data.shape;
        return Graph.record("AddmmBackward0", out, g -> addmmGrads("AddmmBackward0", g, biasShape, x, y, gbias),
                bias, a, b);
    }

    /**
     * The gradients of {@code bias + a·b} for the upstream g: bias's summed to its shape, g·bᵀ and
     * aᵀ·g. Each operand is saved only when the other's gradient is wanted, so a missing one means
     * that gradient is not computed (null).
     */
    private static RawTensor[] addmmGrads(String node, RawTensor g, long[] biasShape, SavedTensor a, SavedTensor b,
                                          boolean gbias) {
        return new RawTensor[] {
            gbias ? GradientMath.sumTo(g, biasShape) : null,
            b != null ? Linalg.matmul(g, ShapeOps.t(b.get(node))) : null,
            a != null ? Linalg.matmul(ShapeOps.t(a.get(node)), g) : null,
        };
    }

    /**
     * {@code relu(bias + a·b)}, one node for both ops: the product's buffer is reused for the ReLU,
     * and the backward masks the incoming gradient by the saved result before the product's
     * rules. Named after the outer op, as PyTorch shows the output of a Linear + ReLU.
     */
    public static Variable addmmRelu(Variable bias, Variable a, Variable b) {
        RawTensor out = Linalg.addmmRelu(bias.data, a.data, b.data);
        if (!Graph.needsGrad(bias, a, b)) return new Variable(out);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad(), gbias = bias.requiresGrad();
        SavedTensor x = gb ? new SavedTensor(a.data) : null, y = ga ? new SavedTensor(b.data) : null;
        SavedTensor result = new SavedTensor(out);
        long[] biasShape = bias.data.shape;
        String node = "ReluBackward0";
        return Graph.record(node, out, g -> {
            RawTensor saved = result.get(node);
            if (x != null && y == null) { // a network's first layer: the data needs no gradient
                RawTensor[] fused = firstLayerGrads(g, saved, x.get(node), biasShape, gbias);
                if (fused != null) return fused;
            }
            return addmmGrads(node, Elementwise.binary("backward", BinaryOp.THRESHOLD_BACKWARD, g, saved),
                    biasShape, x, y, gbias);
        }, bias, a, b);
    }

    /**
     * addmmRelu's gradients {bias's, null, b's} from the backend's fused pass, which never writes
     * the masked gradient; null when the bias is neither a row (n) nor (1, n), or the backend has
     * no such pass for these tensors.
     */
    private static RawTensor[] firstLayerGrads(RawTensor g, RawTensor out, RawTensor a, long[] biasShape,
                                               boolean gbias) {
        long n = out.shape[out.dim() - 1];
        boolean row = biasShape.length == 1 && biasShape[0] == n;
        boolean rowMatrix = biasShape.length == 2 && biasShape[0] == 1 && biasShape[1] == n;
        if (gbias && !row && !rowMatrix) return null;
        RawTensor[] grads = Linalg.reluLinearGrads(g, out, a, gbias);
        if (grads == null) return null;
        RawTensor biasGrad = grads[0] != null && rowMatrix ? ShapeOps.view(grads[0], biasShape) : grads[0];
        return new RawTensor[] {biasGrad, null, grads[1]};
    }

    public static Variable matmul(Variable a, Variable b) {
        RawTensor out = Linalg.matmul(a.data, b.data);
        if (!Graph.needsGrad(a, b)) return new Variable(out);
        SavedTensor x = new SavedTensor(a.data), y = new SavedTensor(b.data);
        boolean ga = a.requiresGrad(), gb = b.requiresGrad();
        return Graph.record("MmBackward0", out, g -> {
            RawTensor xv = x.get("MmBackward0"), yv = y.get("MmBackward0");
            // lift 1-D operands to matrices, as the forward did, then use the 2-D rules with broadcasting
            RawTensor x2 = xv.dim() == 1 ? ShapeOps.unsqueeze(xv, 0) : xv;
            RawTensor y2 = yv.dim() == 1 ? ShapeOps.unsqueeze(yv, 1) : yv;
            RawTensor g2 = g;
            if (xv.dim() == 1) g2 = ShapeOps.unsqueeze(g2, g2.dim() - (yv.dim() == 1 ? 0 : 1));
            if (yv.dim() == 1) g2 = ShapeOps.unsqueeze(g2, g2.dim());
            RawTensor gx = null, gy = null;
            if (ga) {
                RawTensor d = Linalg.matmul(g2, ShapeOps.transpose(y2, -1, -2));
                gx = ShapeOps.reshape(GradientMath.sumTo(d, x2.shape), xv.shape);
            }
            if (gb) {
                RawTensor d = Linalg.matmul(ShapeOps.transpose(x2, -1, -2), g2);
                gy = ShapeOps.reshape(GradientMath.sumTo(d, y2.shape), yv.shape);
            }
            return new RawTensor[] {gx, gy};
        }, a, b);
    }
}
