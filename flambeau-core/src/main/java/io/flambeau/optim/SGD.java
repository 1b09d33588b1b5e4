package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay: PyTorch 1.13's {@code torch.optim.SGD}, same update in the same order:
 * <pre>
 *   d = grad (+ weight_decay · p)
 *   if momentum ≠ 0:  buf = d on the first step, else buf = momentum · buf + (1 − dampening) · d
 *                     d = d + momentum · buf if nesterov, else buf
 *   p = p − lr · d
 * </pre>
 * {@code lr} has no default, as in PyTorch: {@code new SGD(model.parameters(), 0.1)} or
 * {@code new SGD(params, SGD.options().lr(0.05).momentum(0.9))}.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * }</pre>
 */
public final class SGD extends Optimizer {
    private static final Map<String, Object> DECLARED = declared();

    private static Map<String, Object> declared() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", REQUIRED);
        d.put("momentum", 0.0);
        d.put("dampening", 0.0);
        d.put("weight_decay", 0.0);
        d.put("nesterov", false);
        d.put("maximize", false);
        return d;
    }

    /** Fluent options; unset ones keep their defaults. */
    public static final class Options extends OptionSet {
        public Options lr(double lr) { put("lr", lr); return this; }
        public Options momentum(double momentum) { put("momentum", momentum); return this; }
        public Options dampening(double dampening) { put("dampening", dampening); return this; }
        public Options weightDecay(double weightDecay) { put("weight_decay", weightDecay); return this; }
        public Options nesterov(boolean nesterov) { put("nesterov", nesterov); return this; }
        public Options maximize(boolean maximize) { put("maximize", maximize); return this; }
    }

    public static Options options() { return new Options(); }

    public SGD(Iterable<Parameter> params, double lr) { this(params, options().lr(lr)); }

    public SGD(Iterable<Parameter> params, Options options) { this(params, options.toMap()); }

    /** Options by PyTorch's names: {@code Map.of("lr", 0.05, "momentum", 0.9)}. */
    public SGD(Iterable<Parameter> params, Map<String, ?> options) { super("SGD", params, DECLARED, options); }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr", "learning rate");
        requireNonNegative(g, "momentum", "momentum value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        if (g.getBoolean("nesterov") && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
            throw new InvalidOptionException("nesterov", "SGD: Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    protected boolean fusedUpdate(ParamGroup g, java.util.List<Parameter> params, java.util.List<ParamState> states) {
        boolean momentum = g.getDouble("momentum") != 0;
        java.util.List<Runnable> undo = new java.util.ArrayList<>();
        java.util.List<Tensor[]> buffers = new java.util.ArrayList<>();
        int made = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).tensor();
            int before = undo.size();
            // a new buffer takes the gradient itself on this first step (the kernel's "first" flag)
            buffers.add(new Tensor[] {momentum ? Optimizer.buffer(states.get(i), "momentum_buffer",
                    () -> io.flambeau.Torch.zerosLike(p), undo) : null});
            if (undo.size() > before) made++;
        }
        if (made != 0 && made != params.size()) { // some buffers new, some not: one flag cannot say it
            undo.forEach(Runnable::run);
            return false;
        }
        Map<String, Double> options = Map.of("lr", g.lr(), "momentum", g.getDouble("momentum"),
                "dampening", g.getDouble("dampening"), "weight_decay", g.getDouble("weight_decay"));
        return fused(io.flambeau.FusedOptimizerStep.Rule.SGD, params, states, buffers, undo, options,
                flags(g, java.util.List.of("nesterov", "maximize"), made > 0 ? new String[] {"first"} : new String[0]));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, ParamState state) {
        double lr = g.lr(), momentum = g.getDouble("momentum"), dampening = g.getDouble("dampening");
        double weightDecay = g.getDouble("weight_decay");
        Tensor param = p.tensor();
        Tensor d = g.getBoolean("maximize") ? grad.neg() : grad;
        if (weightDecay != 0) d = d.add(param.mul(weightDecay));
        if (momentum != 0) {
            Tensor buf = state.get("momentum_buffer");
            if (buf == null) {
                // PyTorch starts the buffer at the gradient itself (no dampening on the first step)
                buf = d.clone();
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d.mul(1 - dampening));
            }
            d = g.getBoolean("nesterov") ? d.add(buf.mul(momentum)) : buf;
        }
        param.sub_(d.mul(lr));
    }
}
