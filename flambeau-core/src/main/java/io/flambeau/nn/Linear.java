package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;

/**
 * {@code y = x · weightᵀ + bias}, PyTorch's {@code nn.Linear}: weight of shape (out, in), bias of
 * shape (out); inputs of shape (..., in) give outputs of shape (..., out).
 *
 * <p>Initialisation is PyTorch's: weight and bias both uniform on [−1/√in, 1/√in], drawn with
 * {@link Torch#rand} (weight first, then bias), so {@link Torch#manualSeed} makes it repeatable.
 * Parameters are created on {@link Torch#defaultDevice()}.
 *
 * <pre>{@code
 * Linear fc = new Linear(2, 100);
 * Tensor y = fc.forward(Torch.randn(300, 2));   // shape (300, 100)
 * Parameter w = fc.weight();                    // shape (100, 2)
 * }</pre>
 */
public class Linear extends Module {
    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(long inFeatures, long outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new ModuleException("Linear: feature counts must be >= 0, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        // PyTorch's bound, with its convention of an empty range when there are no inputs
        double bound = inFeatures > 0 ? 1.0 / Math.sqrt(inFeatures) : 0.0;
        this.weight = new Parameter(uniform(bound, outFeatures, inFeatures));
        this.bias = bias ? new Parameter(uniform(bound, outFeatures)) : null;
    }

    /** U(−bound, bound) as {@code rand * 2·bound − bound}. */
    private static Tensor uniform(double bound, long... shape) {
        try (var ignored = Torch.noGrad()) {
            return Torch.rand(shape).mul(2 * bound).sub(bound);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(input(x), weight.tensor(), bias == null ? null : bias.tensor());
    }

    /** {@code relu(forward(x))} in one op; {@link Sequential} uses it for a Linear followed by a ReLU. */
    Tensor forwardRelu(Tensor x) {
        return F.linearRelu(input(x), weight.tensor(), bias == null ? null : bias.tensor());
    }

    /** The (out, in) weight. */
    public Parameter weight() { return weight; }

    /** The (out) bias, or null for {@code bias=false}. */
    public Parameter bias() { return bias; }

    public long inFeatures() { return inFeatures; }

    public long outFeatures() { return outFeatures; }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
