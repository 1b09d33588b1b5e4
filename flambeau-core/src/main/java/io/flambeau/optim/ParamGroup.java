package io.flambeau.optim;

import io.flambeau.nn.Parameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters sharing one set of hyper-parameters: PyTorch's {@code param_groups[i]}.
 * Every option of the optimizer is present, by PyTorch's name, so a group can be inspected and
 * changed during training ({@code group.set("lr", 0.01)}, a hand-made schedule); changes are
 * checked as at construction.
 *
 * <pre>{@code
 * ParamGroup g = opt.paramGroups().get(0);
 * double lr = g.lr();
 * g.set("lr", lr * 0.5);   // checked as at construction
 * }</pre>
 */
public final class ParamGroup {
    private final Optimizer owner;
    private final List<Parameter> params;
    private final Map<String, Object> options;

    ParamGroup(Optimizer owner, List<Parameter> params, Map<String, Object> options) {
        this.owner = owner;
        this.params = List.copyOf(params);
        this.options = new LinkedHashMap<>(options);
        // pairs are arrays: give the group its own copies, not the declared defaults'
        this.options.replaceAll((k, v) -> v instanceof double[] d ? d.clone() : v);
    }

    public List<Parameter> params() { return params; }

    /** Every option by name: numbers as {@code Double}, flags as {@code Boolean}, pairs (betas) as {@code double[]}. */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    public double lr() { return getDouble("lr"); }

    public double getDouble(String name) { return (Double) require(name); }

    public boolean getBoolean(String name) { return (Boolean) require(name); }

    /** A copy of a pair option such as {@code betas}. */
    public double[] getDoubles(String name) { return ((double[]) require(name)).clone(); }

    /** Changes one option; an unknown name or an invalid value is refused and leaves the group as it was. */
    public ParamGroup set(String name, Object value) {
        Object previous = require(name);
        options.put(name, owner.convert(name, value));
        try {
            owner.validate(this);
        } catch (RuntimeException e) {
            options.put(name, previous);
            throw e;
        }
        return this;
    }

    private Object require(String name) {
        Object v = options.get(name);
        if (v == null) throw new OptimizerException(owner.name() + " has no option '" + name + "'; its options are " + options.keySet());
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParamGroup(").append(params.size()).append(" parameters");
        options.forEach((k, v) -> sb.append(", ").append(k).append('=')
                .append(v instanceof double[] d ? java.util.Arrays.toString(d) : v));
        return sb.append(')').toString();
    }
}
