package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSprop, PyTorch 1.13's {@code torch.optim.RMSprop}:
 * <pre>
 *   g = grad (+ weight_decay · p)
 *   v = alpha · v + (1 − alpha) · g²
 *   avg = √(v − ḡ²) with ḡ = alpha · ḡ + (1 − alpha) · g if centered, else √v;  then avg + eps
 *   momentum > 0:  buf = momentum · buf + g / avg;  p = p − lr · buf
 *   otherwise:     p = p − lr · g / avg
 * </pre>
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false.
 *
 * <pre>{@code
 * Optimizer opt = new RMSprop(model.parameters(), RMSprop.options().lr(0.01).alpha(0.99));
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private static final Map<String, Object> DECLARED = declared();

    private static Map<String, Object> declared() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", 1e-2);
        d.put("alpha", 0.99);
        d.put("eps", 1e-8);
        d.put("weight_decay", 0.0);
        d.put("momentum", 0.0);
        d.put("centered", false);
        d.put("maximize", false);
        return d;
    }

    /** Fluent options; unset ones keep their defaults. */
    public static final class Options extends OptionSet {
        public Options lr(double lr) { put("lr", lr); return this; }
        public Options alpha(double alpha) { put("alpha", alpha); return this; }
        public Options eps(double eps) { put("eps", eps); return this; }
        public Options weightDecay(double weightDecay) { put("weight_decay", weightDecay); return this; }
        public Options momentum(double momentum) { put("momentum", momentum); return this; }
        public Options centered(boolean centered) { put("centered", centered); return this; }
        public Options maximize(boolean maximize) { put("maximize", maximize); return this; }
    }

    public static Options options() { return new Options(); }

    public RMSprop(Iterable<Parameter> params) { this(params, options()); }

    public RMSprop(Iterable<Parameter> params, double lr) { this(params, options().lr(lr)); }

    public RMSprop(Iterable<Parameter> params, Options options) { this(params, options.toMap()); }

    /** Options by PyTorch's names: {@code Map.of("lr", 0.01, "centered", true)}. */
    public RMSprop(Iterable<Parameter> params, Map<String, ?> options) { super("RMSprop", params, DECLARED, options); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr", "learning rate");
        requireNonNegative(g, "eps", "epsilon value");
        requireNonNegative(g, "momentum", "momentum value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireNonNegative(g, "alpha", "alpha value");
    }

    @Override
    protected boolean fusedUpdate(ParamGroup g, java.util.List<Parameter> params, java.util.List<ParamState> states) {
        boolean centered = g.getBoolean("centered"), momentum = g.getDouble("momentum") > 0;
        java.util.List<Runnable> undo = new java.util.ArrayList<>();
        java.util.List<Tensor[]> buffers = new java.util.ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).tensor();
            ParamState s = states.get(i);
            buffers.add(new Tensor[] {
                    Optimizer.buffer(s, "square_avg", () -> Torch.zerosLike(p), undo),
                    centered ? Optimizer.buffer(s, "grad_avg", () -> Torch.zerosLike(p), undo) : null,
                    momentum ? Optimizer.buffer(s, "momentum_buffer", () -> Torch.zerosLike(p), undo) : null});
        }
        Map<String, Double> options = Map.of("lr", g.lr(), "alpha", g.getDouble("alpha"), "eps", g.getDouble("eps"),
                "weight_decay", g.getDouble("weight_decay"), "momentum", g.getDouble("momentum"));
        return fused(io.flambeau.FusedOptimizerStep.Rule.RMSPROP, params, states, buffers, undo, options,
                flags(g, java.util.List.of("centered", "maximize")));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, ParamState state) {
        Tensor param = p.tensor();
        double alpha = g.getDouble("alpha"), momentum = g.getDouble("momentum"), lr = g.lr();
        boolean centered = g.getBoolean("centered");
        Tensor squareAvg = state.zerosBuffer("square_avg", param);
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        double weightDecay = g.getDouble("weight_decay");
        if (weightDecay != 0) d = d.add(param.mul(weightDecay));
        // addcmul's order: value · g · g
        squareAvg.mul_(alpha).add_(d.mul(1 - alpha).mul(d));
        Tensor avg;
        if (centered) {
            Tensor gradAvg = state.zerosBuffer("grad_avg", param);
            gradAvg.mul_(alpha).add_(d.mul(1 - alpha));
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(g.getDouble("eps"));
        if (momentum > 0) {
            Tensor buf = state.zerosBuffer("momentum_buffer", param);
            buf.mul_(momentum).add_(d.div(avg));
            param.sub_(buf.mul(lr));
        } else {
            param.sub_(d.mul(lr).div(avg));
        }
    }
}
