package io.flambeau.nn;

import io.flambeau.Tensor;

/**
 * {@code x} for x ≥ 0, {@code negativeSlope · x} below, as a module (PyTorch's default slope 0.01).
 *
 * <pre>{@code
 * Module act = new LeakyReLU(0.2);
 * Tensor y = act.forward(Torch.tensor(new float[] {-1, 2}));   // tensor([-0.2000,  2.0000])
 * }</pre>
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() { return negativeSlope; }

    @Override
    public Tensor forward(Tensor x) { return F.leakyRelu(input(x), negativeSlope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + PythonRepr.of(negativeSlope); }
}
