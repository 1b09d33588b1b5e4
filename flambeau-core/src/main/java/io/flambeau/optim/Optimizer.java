package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Base of the optimizers: PyTorch's {@code torch.optim.Optimizer}.
 *
 * <p><b>Options.</b> Each optimizer declares its options with PyTorch's names and defaults
 * ({@code "lr"}, {@code "weight_decay"}, ...). The options given to the constructor, as a fluent
 * {@link OptionSet} ({@code Adam.options().lr(0.01)}) or as a map, override those defaults and
 * become the optimizer's {@link #defaults()}; a group added later with {@link #addParamGroup}
 * starts from these and overrides what it sets. Values are checked when a group is made or
 * changed: out-of-range values are {@link InvalidOptionException}s naming the option.
 *
 * <p><b>Steps.</b> {@link #step()} walks the groups and, for each parameter that has a gradient,
 * calls {@link #update} inside {@code Torch.noGrad()}: updates are in-place tensor ops on the
 * parameter, so they run on whatever device it lives. Per-parameter {@link ParamState} buffers are
 * created on the parameter's device and follow it if the model is moved.
 *
 * <p><b>Fused updates.</b> On a device that fuses them (CUDA; the CPU for Adam and AdamW, one pass
 * per parameter), the parameters of a group that share a
 * device and a step count are updated together by {@link #fusedUpdate}: one kernel launch for the
 * whole group (PyTorch's {@code fused=True}), with the same arithmetic, operation for operation, as
 * {@link #update}; elsewhere, or when the device declines, each parameter goes through
 * {@link #update}. The fused update also works inside a CUDA graph capture, where its step count
 * lives on the device and advances with each replay (the host's {@link ParamState#step()} counts
 * the captured step once); the hyper-parameters are those of the capture.
 *
 * <p><b>Zeroing.</b> {@link #zeroGrad()} sets the gradients to none, PyTorch 2's default: no kernel
 * runs, and the next backward writes fresh gradients instead of adding to zeros.
 * {@code zeroGrad(false)} fills them with zeros in place (PyTorch's {@code set_to_none=False}).
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), Adam.options().lr(1e-3));
 * for (int step = 0; step < 100; step++) {
 *     opt.zeroGrad();
 *     Tensor loss = F.mseLoss(model.forward(x), y);
 *     loss.backward();
 *     opt.step();
 * }
 * opt.paramGroups().get(0).set("lr", 1e-4);   // a hand-made schedule
 * }</pre>
 */
public abstract class Optimizer {
    /** Marks an option without default that must be given (SGD's learning rate, as in PyTorch). */
    protected static final Object REQUIRED = new Object() {
        @Override
        public String toString() { return "<required parameter>"; }
    };

    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Parameter, ParamState> state = new IdentityHashMap<>();

    /**
     * @param name           the optimizer's name, for messages
     * @param params         the parameters of the first group
     * @param declared       every option with its default value (a Double, Boolean, double[] or {@link #REQUIRED})
     * @param options        the options set by the caller, overriding the declared defaults
     */
    protected Optimizer(String name, Iterable<Parameter> params, Map<String, Object> declared, Map<String, ?> options) {
        this.name = name;
        this.defaults = new LinkedHashMap<>(declared);
        options.forEach((key, value) -> defaults.put(key, convert(key, value)));
        addParamGroup(params, Map.of());
    }

    public final String name() { return name; }

    /** The options a new group starts from: the declared defaults overridden by the constructor's options. */
    public final Map<String, Object> defaults() { return Collections.unmodifiableMap(defaults); }

    public final List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /** Adds a group of parameters using the optimizer's defaults. */
    public final ParamGroup addParamGroup(Iterable<Parameter> params) { return addParamGroup(params, Map.of()); }

    /** Adds a group of parameters with its own options: {@code addParamGroup(head.parameters(), SGD.options().lr(0.01))}. */
    public final ParamGroup addParamGroup(Iterable<Parameter> params, OptionSet options) {
        return addParamGroup(params, options.toMap());
    }

    /** Adds a group with options by PyTorch's names ({@code Map.of("lr", 0.01)}); the rest come from {@link #defaults()}. */
    public final ParamGroup addParamGroup(Iterable<Parameter> params, Map<String, ?> options) {
        List<Parameter> list = new ArrayList<>();
        Set<Parameter> inGroup = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter p : params) {
            if (p == null) throw new OptimizerException(name + ": a parameter in the list is null");
            if (!inGroup.add(p)) throw new OptimizerException(name + ": a parameter group contains the same parameter twice");
            for (ParamGroup g : groups) {
                for (Parameter q : g.params()) {
                    if (q == p) throw new OptimizerException(name + ": some parameters appear in more than one parameter group");
                }
            }
            list.add(p);
        }
        if (list.isEmpty()) throw new OptimizerException(name + ": got an empty parameter list");
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        options.forEach((key, value) -> merged.put(key, convert(key, value)));
        merged.forEach((key, value) -> {
            if (value == REQUIRED) {
                throw new OptimizerException(name + ": option '" + key + "' is required and has no default; set it"
                        + " (e.g. " + name + ".options()." + camelCase(key) + "(...))");
            }
        });
        ParamGroup group = new ParamGroup(this, list, merged);
        validate(group);
        groups.add(group);
        return group;
    }

    /** Checks the type of an option's value against its declaration and normalises it (Double, Boolean, double[]). */
    final Object convert(String key, Object value) {
        if (!defaults.containsKey(key)) {
            throw new OptimizerException(name + ": unknown option '" + key + "'; the options are " + defaults.keySet());
        }
        Object declared = defaults.get(key);
        if (value == null) throw new OptimizerException(name + ": option '" + key + "' cannot be null");
        if (declared instanceof Boolean) {
            if (value instanceof Boolean b) return b;
        } else if (declared instanceof double[] pair) {
            double[] v = switch (value) {
                case double[] d -> d.clone();
                case float[] f -> { double[] d = new double[f.length]; for (int i = 0; i < f.length; i++) d[i] = f[i]; yield d; }
                case List<?> l when l.stream().allMatch(e -> e instanceof Number) ->
                        l.stream().mapToDouble(e -> ((Number) e).doubleValue()).toArray();
                default -> null;
            };
            if (v != null && v.length == pair.length) return v;
        } else if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new OptimizerException(name + ": option '" + key + "' expects " + describe(declared) + ", got " + value
                + " (" + value.getClass().getSimpleName() + ")");
    }

    private static String describe(Object declared) {
        if (declared instanceof Boolean) return "a boolean";
        if (declared instanceof double[] d) return "a pair of " + d.length + " numbers";
        return "a number";
    }

    private static String camelCase(String key) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '_') up = true;
            else { sb.append(up ? Character.toUpperCase(c) : c); up = false; }
        }
        return sb.toString();
    }

    // ---- stepping ----------------------------------------------------------------------------

    /**
     * Sets every parameter's gradient to none (PyTorch 2's default, {@code set_to_none=True}): no kernel
     * runs, and gradients backward allocated are released for the next backward to reuse (clone one
     * read before this call to keep it).
     */
    public void zeroGrad() { zeroGrad(true); }

    /** Zeroes the gradients in place, or clears them when {@code setToNone}. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) for (Parameter p : g.params()) p.zeroGrad(setToNone);
    }

    /** One update of every parameter that has a gradient; parameters without one are left alone. */
    public final void step() {
        try (var ignored = Torch.noGrad()) {
            for (int gi = 0; gi < groups.size(); gi++) {
                ParamGroup group = groups.get(gi);
                // parameters with a gradient, batched by device and step count for the fused update
                Map<List<Object>, List<Parameter>> batches = new LinkedHashMap<>();
                Map<Parameter, Integer> index = new java.util.IdentityHashMap<>();
                for (int pi = 0; pi < group.params().size(); pi++) {
                    Parameter p = group.params().get(pi);
                    if (p.tensor().isClosed()) throw released(p, gi, pi, "was released", null);
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    if (grad.isClosed()) {
                        throw released(p, gi, pi, "has a gradient that was released (to drop a gradient, use"
                                + " clearGrad() or zeroGrad(true) instead of closing it)", null);
                    }
                    ParamState s = state.computeIfAbsent(p, k -> new ParamState());
                    s.follow(p.device());
                    s.incrementStep();
                    index.put(p, pi);
                    batches.computeIfAbsent(List.of(p.device(), s.step()), k -> new ArrayList<>()).add(p);
                }
                for (List<Parameter> batch : batches.values()) {
                    List<ParamState> states = batch.stream().map(state::get).toList();
                    if (io.flambeau.FusedOptimizerStep.available(batch.get(0).device()) && fusedUpdate(group, batch, states)) {
                        continue;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        Parameter p = batch.get(i);
                        try {
                            update(p, p.grad(), group, states.get(i));
                        } catch (ClosedTensorException e) {
                            throw released(p, gi, index.get(p),
                                    "needs a tensor (its state or an input of the update) that was released", e);
                        }
                    }
                }
            }
        }
    }

    /** A step that met released memory: names the optimizer, the parameter and what to change. */
    private ClosedTensorException released(Parameter p, int group, int index, String what, Throwable cause) {
        String which = p.name() != null ? "'" + p.name() + "'" : "number " + index;
        return new ClosedTensorException(name + ".step: parameter " + which + " (group " + group + ", shape " + p.shape()
                + ") " + what + " (by close(), or by the end of the Scope it was created in). Parameters, their"
                + " gradients and optimizer state must outlive every per-step Scope: create the model and the optimizer"
                + " before opening the scope (or inside Scope.outside(...)), and open the scope around the whole step",
                cause);
    }

    /**
     * Updates {@code params} (same device, same step count, each with a gradient) in one fused call,
     * creating missing state buffers as {@link #update} would; returns false, with the state as it
     * was, when the device declines. This default declines.
     */
    protected boolean fusedUpdate(ParamGroup group, List<Parameter> params, List<ParamState> states) { return false; }

    /**
     * The fused call shared by the optimizers: {@code buffers[i]} are parameter i's state buffers in
     * the rule's order; {@code undo} drops the buffers made for this call, run if the device declines.
     */
    final boolean fused(io.flambeau.FusedOptimizerStep.Rule rule, List<Parameter> params, List<ParamState> states,
                        List<Tensor[]> buffers, List<Runnable> undo, Map<String, Double> options, Set<String> flags) {
        List<Tensor> tensors = params.stream().map(Parameter::tensor).toList();
        List<Tensor> grads = params.stream().map(Parameter::grad).toList();
        boolean done = io.flambeau.FusedOptimizerStep.apply(params.get(0).device(), rule, tensors, grads, buffers,
                states.get(0).step(), options, flags);
        if (!done) undo.forEach(Runnable::run);
        return done;
    }

    /** State buffer {@code name} of {@code s}, created from {@code initial} (and recorded in {@code undo}) when missing. */
    static Tensor buffer(ParamState s, String name, Supplier<Tensor> initial, List<Runnable> undo) {
        Tensor b = s.get(name);
        if (b == null) {
            b = initial.get();
            s.put(name, b);
            undo.add(() -> s.remove(name));
        }
        return b;
    }

    /** The flags among {@code names} that are set in {@code group}, plus {@code extra}. */
    static Set<String> flags(ParamGroup group, List<String> names, String... extra) {
        Set<String> set = new java.util.HashSet<>(List.of(extra));
        for (String n : names) if (group.getBoolean(n)) set.add(n);
        return set;
    }

    /** Evaluates {@code closure} (which computes the loss and calls backward) with gradients on, then steps; returns its loss. */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var ignored = Torch.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** What the optimizer keeps for {@code p}, or null before its first update. */
    public final ParamState state(Parameter p) { return state.get(p); }

    /**
     * Updates one parameter in place. Runs under no-grad with {@code state.step()} already counting
     * this update; {@code grad} is the parameter's current gradient (do not modify it).
     */
    protected abstract void update(Parameter p, Tensor grad, ParamGroup group, ParamState state);

    /** Throws an {@link InvalidOptionException} naming the first option of {@code group} out of range. */
    protected abstract void validate(ParamGroup group);

    /** {@code value >= 0} (NaN fails), else an error in PyTorch's words: "Invalid learning rate: -0.1". */
    protected final void requireNonNegative(ParamGroup group, String option, String what) {
        double v = group.getDouble(option);
        if (!(v >= 0)) throw new InvalidOptionException(option, name + ": Invalid " + what + ": " + v + " (must be >= 0)");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            groups.get(i).options().forEach((k, v) -> sb.append("\n    ").append(k).append(": ")
                    .append(v instanceof double[] d ? java.util.Arrays.toString(d) : v));
        }
        return sb.append("\n)").toString();
    }
}
