package io.flambeau.nn;

import io.flambeau.Tensor;

/**
 * {@code x Phi(x)} elementwise, as a module: PyTorch's {@code nn.GELU(approximate="none")}, or
 * {@code "tanh"} for {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
 *
 * <pre>{@code
 * Module model = new Sequential(new Linear(2, 100), new GELU(), new Linear(100, 3));
 * Module fast = new GELU("tanh");          // prints GELU(approximate='tanh')
 * }</pre>
 */
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
