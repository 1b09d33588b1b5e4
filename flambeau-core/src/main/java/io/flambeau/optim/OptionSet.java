package io.flambeau.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options explicitly set on an optimizer or a parameter group, by PyTorch's names
 * ({@code "lr"}, {@code "weight_decay"}, ...). Each optimizer has a fluent subclass, e.g.
 * {@code Adam.options().lr(0.01).betas(0.9, 0.99)}. Only what was set is recorded: the rest comes
 * from the optimizer's defaults, as with PyTorch's keyword arguments and group dicts.
 *
 * <pre>{@code
 * OptionSet o = Adam.options().lr(0.01).betas(0.9, 0.99);
 * o.toMap();   // {lr=0.01, betas=[0.9, 0.99]}: only what was set
 * opt.addParamGroup(head.parameters(), Adam.options().lr(0.1));
 * }</pre>
 */
public abstract class OptionSet {
    private final Map<String, Object> values = new LinkedHashMap<>();

    protected void put(String name, Object value) { values.put(name, value); }

    /** What was set, by PyTorch's option names. */
    public Map<String, Object> toMap() { return Collections.unmodifiableMap(values); }

    @Override
    public String toString() { return values.toString(); }
}
