package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.FusedLosses;
import io.flambeau.Torch;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;

/**
 * Functional forms of layers, activations and losses ({@code torch.nn.functional}). Built only
 * from public tensor ops, so their gradients come from autograd and they run on every device.
 *
 * <pre>{@code
 * Tensor scores = F.linear(x, weight, bias);
 * Tensor loss = F.crossEntropy(scores, targets);   // targets: int64 classes
 * Tensor probs = F.softmax(scores, 1);
 * }</pre>
 */
public final class F {
    private F() {}

    /**
     * {@code relu(linear(x, weight, bias))}, fused where {@link #linear} takes its one-product
     * form: the ReLU then reuses the product's buffer (see {@link Tensor#addmmRelu}).
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        if (!fusable(x, weight, bias)) return relu(linear(x, weight, bias));
        checkFeatures(x, weight);
        checkDtypes(x, weight, bias);
        return onRows(x, weight, rows -> bias.addmmRelu(rows, weight.t()));
    }

    private static boolean fusable(Tensor x, Tensor weight, Tensor bias) {
        return bias != null && x.dim() >= 1 && weight.dim() == 2 && bias.dim() == 1
                && x.dtype() == weight.dtype() && bias.dtype() == weight.dtype();
    }

    /** PyTorch's lowering of a linear layer: (..., in) folded to rows, one product, the leading dims restored. */
    private static Tensor onRows(Tensor x, Tensor weight, java.util.function.UnaryOperator<Tensor> product) {
        if (x.dim() == 2) return product.apply(x);
        long[] outShape = java.util.Arrays.copyOf(x.shape().toArray(), x.dim());
        outShape[x.dim() - 1] = weight.shape().get(0);
        return product.apply(x.reshape(-1, x.shape().get(-1))).reshape(outShape);
    }

    /** An int64 input to a float32 layer is refused, as PyTorch does, rather than promoted. */
    private static void checkDtypes(Tensor x, Tensor weight, Tensor bias) {
        if (x.dtype() != weight.dtype()) {
            throw new DTypeException("linear: the input is " + x.dtype().pyName() + " but the weight is "
                    + weight.dtype().pyName() + " (PyTorch: mat1 and mat2 must have the same dtype); convert the input"
                    + " first, e.g. x.float() (toFloat()) for a float32 layer, or x.to(" + weight.dtype().pyName() + ")");
        }
        if (bias != null && bias.dtype() != weight.dtype()) {
            throw new DTypeException("linear: the bias is " + bias.dtype().pyName() + " but the weight is "
                    + weight.dtype().pyName() + "; give both the same dtype, e.g. with .to(" + weight.dtype().pyName() + ")");
        }
    }

    private static void checkFeatures(Tensor x, Tensor weight) {
        if (x.shape().get(-1) != weight.shape().get(-1)) {
            throw new ShapeException("linear: input has " + x.shape().get(-1) + " features (shape "
                    + java.util.Arrays.toString(x.shape().toArray()) + ") but the weight expects " + weight.shape().get(-1)
                    + " (weight shape " + java.util.Arrays.toString(weight.shape().toArray()) + ")");
        }
    }

    /** {@code x · weightᵀ + bias} for x of shape (..., in), weight (out, in), bias (out) or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        checkFeatures(x, weight);
        checkDtypes(x, weight, bias);
        if (fusable(x, weight, bias)) return onRows(x, weight, rows -> Torch.addmm(bias, rows, weight.t()));
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) { return x.leakyRelu(negativeSlope); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    /** {@code torch.nn.functional.gelu(x)}: the exact form, {@code x Phi(x)}. */
    public static Tensor gelu(Tensor x) { return x.gelu(); }

    /** {@code torch.nn.functional.gelu(x, approximate=...)}: "none" or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) { return x.gelu(approximate); }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    /** A missing input or a dim out of range, reported as the softmax's own error rather than the max inside it. */
    private static void checkSoftmaxInput(String op, Tensor x, long dim) {
        if (x == null) throw new io.flambeau.core.DataException(op + "(): argument 'input' must be a Tensor, not null");
        long r = Math.max(x.dim(), 1);
        if (dim < -r || dim >= r) {
            throw new io.flambeau.core.IndexException(op + ": Dimension out of range (expected to be in range of [" + (-r)
                    + ", " + (r - 1) + "], but got " + dim + ")");
        }
    }

    /** {@code log(softmax(x))} along {@code dim}, computed stably as {@code x - max - log(sum(exp(x - max)))}. */
    public static Tensor logSoftmax(Tensor x, long dim) {
        checkSoftmaxInput("log_softmax", x, dim);
        Tensor shifted = x.sub(x.max(dim, true).values().detach());
        return shifted.sub(shifted.exp().sum(dim, true).log());
    }

    public static Tensor softmax(Tensor x, long dim) {
        checkSoftmaxInput("softmax", x, dim);
        Tensor e = x.sub(x.max(dim, true).values().detach()).exp();
        return e.div(e.sum(dim, true));
    }

    /** PyTorch's default {@code ignore_index} of {@code cross_entropy}: targets equal to it are left out. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    /**
     * Mean negative log-likelihood of the target classes: scores (N, C), targets int64 (N), each a
     * class in [0, C) or {@link #DEFAULT_IGNORE_INDEX} (−100), which is left out, as PyTorch's
     * {@code cross_entropy}.
     */
    public static Tensor crossEntropy(Tensor scores, Tensor targets) {
        return crossEntropy(scores, targets, DEFAULT_IGNORE_INDEX);
    }

    /**
     * PyTorch's {@code cross_entropy(scores, targets, ignore_index=ignoreIndex)}: the mean over the
     * targets that are not {@code ignoreIndex} (NaN when all are, as PyTorch); ignored rows get a
     * zero gradient. Any other target outside [0, C) is an {@link io.flambeau.core.IndexException}.
     */
    public static Tensor crossEntropy(Tensor scores, Tensor targets, long ignoreIndex) {
        String op = "cross_entropy";
        checkClassification(op, scores, targets);
        long n = scores.shape().get(0);
        // on a GPU: fused kernels that check the targets themselves, nothing waits for the host
        if (FusedLosses.available(scores, targets) && n > 0) return FusedLosses.crossEntropy(scores, targets, ignoreIndex);
        long kept = ClassTargets.check(op, targets, scores.shape().get(1), ignoreIndex);
        Tensor rows = Torch.arange(0L, n, 1L, scores.device());
        Tensor logp = logSoftmax(scores, 1);
        if (kept == n) return logp.get(rows, targets).mean().neg();
        // ignored targets pick class 0, weighted 0; the rest share the mean
        Tensor keep = targets.ne((double) ignoreIndex);
        Tensor picked = logp.get(rows, Torch.where(keep, targets, Torch.zerosLike(targets)));
        return picked.mul(keep.to(scores.dtype())).sum().div((double) kept).neg();
    }

    /** PyTorch's {@code multi_margin_loss} (p=1, margin=1): mean over samples of Σ_{j≠y} max(0, 1 − s_y + s_j) / C. */
    public static Tensor multiMarginLoss(Tensor scores, Tensor targets) {
        return multiMarginLoss(scores, targets, 1.0);
    }

    public static Tensor multiMarginLoss(Tensor scores, Tensor targets, double margin) {
        checkClassification("multi_margin_loss", scores, targets);
        long n = scores.shape().get(0), c = scores.shape().get(1);
        ClassTargets.check("multi_margin_loss", targets, c, ClassTargets.NO_IGNORE);
        Tensor correct = scores.get(Torch.arange(0L, n, 1L, scores.device()), targets).unsqueeze(1);
        Tensor terms = scores.sub(correct).add(margin).clampMin(0);
        // the j = y term is max(0, margin) = margin for every sample: take it back out
        return terms.sum(1).sub(Math.max(0, margin)).div((double) c).mean();
    }

    /**
     * The course's hinge error (§5.5): Σ over samples and classes of max(0, S[j] − (S[cat] − δ)),
     * with δ the margin (δ = 0: the plain hinge; the j = cat terms then contribute δ each).
     */
    public static Tensor marginHinge(Tensor scores, Tensor categories, double delta) {
        checkClassification("margin_hinge", scores, categories);
        if (FusedLosses.available(scores, categories)) return FusedLosses.marginHinge(scores, categories, delta);
        long n = scores.shape().get(0);
        ClassTargets.check("margin_hinge", categories, scores.shape().get(1), ClassTargets.NO_IGNORE);
        Tensor correct = scores.get(Torch.arange(0L, n, 1L, scores.device()), categories).unsqueeze(1);
        return scores.sub(correct.sub(delta)).clampMin(0).sum();
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return input.sub(target).square().mean();
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return input.sub(target).abs().mean();
    }

    private static void checkClassification(String op, Tensor scores, Tensor targets) {
        if (scores.dim() != 2 || targets.dim() != 1 || scores.shape().get(0) != targets.shape().get(0)) {
            throw new ShapeException(op + ": expects scores of shape (N, C) and targets of shape (N), got "
                    + java.util.Arrays.toString(scores.shape().toArray()) + " and "
                    + java.util.Arrays.toString(targets.shape().toArray()));
        }
        if (!targets.device().equals(scores.device())) {
            throw new io.flambeau.core.DeviceException(op + ": expected all tensors to be on the same device, but found"
                    + " at least two devices, " + scores.device() + " (scores) and " + targets.device()
                    + " (targets); move the targets with .to(scores.device())");
        }
        if (targets.dtype() != io.flambeau.core.DType.INT64) {
            throw new DTypeException(op + ": targets must be int64 class indices, got " + targets.dtype());
        }
    }
}
