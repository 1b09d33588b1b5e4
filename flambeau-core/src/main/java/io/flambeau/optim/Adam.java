package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam, PyTorch 1.13's {@code torch.optim.Adam}: weight decay is an L2 term added to the gradient
 * ({@code g = grad + weight_decay · p}), then the moment update of {@link AdamMoments}.
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false.
 *
 * <pre>{@code new Adam(model.parameters(), Adam.options().lr(0.01).betas(0.9, 0.99))}</pre>
 */
public final class Adam extends Optimizer {
    private static final Map<String, Object> DECLARED = declared(0.0);

    static Map<String, Object> declared(double weightDecay) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", 1e-3);
        d.put("betas", new double[] {0.9, 0.999});
        d.put("eps", 1e-8);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", false);
        d.put("maximize", false);
        return d;
    }

    /**
     * Fluent options of Adam and {@link AdamW} (one type: they take the same options, by PyTorch's
     * names); unset ones keep the defaults of the optimizer they are given to.
     */
    public static final class Options extends OptionSet {
        public Options lr(double lr) { put("lr", lr); return this; }
        public Options betas(double beta1, double beta2) { put("betas", new double[] {beta1, beta2}); return this; }
        public Options eps(double eps) { put("eps", eps); return this; }
        public Options weightDecay(double weightDecay) { put("weight_decay", weightDecay); return this; }
        public Options amsgrad(boolean amsgrad) { put("amsgrad", amsgrad); return this; }
        public Options maximize(boolean maximize) { put("maximize", maximize); return this; }
    }

    public static Options options() { return new Options(); }

    public Adam(Iterable<Parameter> params) { this(params, options()); }

    public Adam(Iterable<Parameter> params, double lr) { this(params, options().lr(lr)); }

    public Adam(Iterable<Parameter> params, Options options) { this(params, options.toMap()); }

    /** Options by PyTorch's names: {@code Map.of("lr", 0.1, "betas", new double[] {0.8, 0.99})}. */
    public Adam(Iterable<Parameter> params, Map<String, ?> options) { super("Adam", params, DECLARED, options); }

    @Override
    protected void validate(ParamGroup g) { AdamMoments.validate(this, g); }

    @Override
    protected boolean fusedUpdate(ParamGroup g, java.util.List<Parameter> params, java.util.List<ParamState> states) {
        return AdamMoments.fused(this, g, params, states, false);
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, ParamState state) {
        Tensor param = p.tensor();
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        double weightDecay = g.getDouble("weight_decay");
        if (weightDecay != 0) d = d.add(param.mul(weightDecay));
        AdamMoments.apply(param, d, state, g.lr(), g.getDoubles("betas"), g.getDouble("eps"), g.getBoolean("amsgrad"));
    }
}
