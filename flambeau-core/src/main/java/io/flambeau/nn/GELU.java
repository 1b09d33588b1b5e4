package io.flambeau.nn;

import io.flambeau.Tensor;

/** {@code x Phi(x)} elementwise, as a module: PyTorch's {@code nn.GELU(approximate="none")}, or "tanh". */
public class GELU extends Module {
    private final String approximate;

    public GELU() { this("none"); }

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new io.flambeau.core.DataException("GELU: approximate argument must be either none or tanh, got '"
                    + approximate + "'");
        }
        this.approximate = approximate;
    }

    public String approximate() { return approximate; }

    @Override
    public Tensor forward(Tensor x) { return F.gelu(input(x), approximate); }

    @Override
    protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
