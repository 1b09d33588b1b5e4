package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.nn.Parameter;

import java.util.Map;

/**
 * AdamW, PyTorch 1.13's {@code torch.optim.AdamW}: decoupled weight decay, applied to the
 * parameter before the moment update ({@code p = p · (1 − lr · weight_decay)}), then the update of
 * {@link AdamMoments} with the raw gradient. Defaults as {@link Adam} but weight_decay 1e-2.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(0.01));
 * }</pre>
 */
public final class AdamW extends Optimizer {
    private static final Map<String, Object> DECLARED = Adam.declared(1e-2);

    /**
     * Fluent options: the same type as {@link Adam}'s (the two take the same options); unset ones keep
     * AdamW's defaults, weight_decay 1e-2 among them.
     */
    public static Adam.Options options() { return new Adam.Options(); }

    public AdamW(Iterable<Parameter> params) { this(params, options()); }

    public AdamW(Iterable<Parameter> params, double lr) { this(params, options().lr(lr)); }

    public AdamW(Iterable<Parameter> params, Adam.Options options) { this(params, options.toMap()); }

    /** Options by PyTorch's names: {@code Map.of("lr", 0.1, "weight_decay", 0.1)}. */
    public AdamW(Iterable<Parameter> params, Map<String, ?> options) { super("AdamW", params, DECLARED, options); }

    @Override
    protected void validate(ParamGroup g) { AdamMoments.validate(this, g); }

    @Override
    protected boolean fusedUpdate(ParamGroup g, java.util.List<Parameter> params, java.util.List<ParamState> states) {
        return AdamMoments.fused(this, g, params, states, true);
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, ParamState state) {
        Tensor param = p.tensor();
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        param.mul_(1 - g.lr() * g.getDouble("weight_decay"));
        AdamMoments.apply(param, d, state, g.lr(), g.getDoubles("betas"), g.getDouble("eps"), g.getBoolean("amsgrad"));
    }
}
