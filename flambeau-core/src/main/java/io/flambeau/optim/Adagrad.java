package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adagrad, PyTorch 1.13's {@code torch.optim.Adagrad} (dense gradients):
 * <pre>
 *   g = grad (+ weight_decay · p)
 *   clr = lr / (1 + (step − 1) · lr_decay)
 *   sum = sum + g²                      (sum starts at initial_accumulator_value)
 *   p = p − clr · g / (√sum + eps)
 * </pre>
 * Defaults: lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10.
 *
 * <pre>{@code
 * Optimizer opt = new Adagrad(model.parameters(), Adagrad.options().lr(0.01));
 * }</pre>
 */
public final class Adagrad extends Optimizer {
    private static final Map<String, Object> DECLARED = declared();

    private static Map<String, Object> declared() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", 1e-2);
        d.put("lr_decay", 0.0);
        d.put("weight_decay", 0.0);
        d.put("initial_accumulator_value", 0.0);
        d.put("eps", 1e-10);
        d.put("maximize", false);
        return d;
    }

    /** Fluent options; unset ones keep their defaults. */
    public static final class Options extends OptionSet {
        public Options lr(double lr) { put("lr", lr); return this; }
        public Options lrDecay(double lrDecay) { put("lr_decay", lrDecay); return this; }
        public Options weightDecay(double weightDecay) { put("weight_decay", weightDecay); return this; }
        public Options initialAccumulatorValue(double value) { put("initial_accumulator_value", value); return this; }
        public Options eps(double eps) { put("eps", eps); return this; }
        public Options maximize(boolean maximize) { put("maximize", maximize); return this; }
    }

    public static Options options() { return new Options(); }

    public Adagrad(Iterable<Parameter> params) { this(params, options()); }

    public Adagrad(Iterable<Parameter> params, double lr) { this(params, options().lr(lr)); }

    public Adagrad(Iterable<Parameter> params, Options options) { this(params, options.toMap()); }

    /** Options by PyTorch's names: {@code Map.of("lr", 0.5, "lr_decay", 0.01)}. */
    public Adagrad(Iterable<Parameter> params, Map<String, ?> options) { super("Adagrad", params, DECLARED, options); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr", "learning rate");
        requireNonNegative(g, "lr_decay", "lr_decay value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireNonNegative(g, "initial_accumulator_value", "initial_accumulator_value value");
        requireNonNegative(g, "eps", "epsilon value");
    }

    @Override
    protected boolean fusedUpdate(ParamGroup g, java.util.List<Parameter> params, java.util.List<ParamState> states) {
        java.util.List<Runnable> undo = new java.util.ArrayList<>();
        java.util.List<Tensor[]> buffers = new java.util.ArrayList<>();
        double init = g.getDouble("initial_accumulator_value");
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).tensor();
            buffers.add(new Tensor[] {Optimizer.buffer(states.get(i), "sum",
                    () -> Torch.full(p.shape().toArray(), init, p.dtype(), p.device()), undo)});
        }
        Map<String, Double> options = Map.of("lr", g.lr(), "lr_decay", g.getDouble("lr_decay"),
                "weight_decay", g.getDouble("weight_decay"), "eps", g.getDouble("eps"));
        return fused(io.flambeau.FusedOptimizerStep.Rule.ADAGRAD, params, states, buffers, undo, options,
                flags(g, java.util.List.of("maximize")));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, ParamState state) {
        Tensor param = p.tensor();
        Tensor sum = state.get("sum");
        if (sum == null) {
            sum = Torch.full(param.shape().toArray(), g.getDouble("initial_accumulator_value"), param.dtype(), param.device());
            state.put("sum", sum);
        }
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        double weightDecay = g.getDouble("weight_decay");
        if (weightDecay != 0) d = d.add(param.mul(weightDecay));
        double clr = g.lr() / (1 + (state.step() - 1) * g.getDouble("lr_decay"));
        sum.add_(d.mul(d));
        Tensor std = sum.sqrt().add_(g.getDouble("eps"));
        param.sub_(d.mul(clr).div(std));
    }
}
