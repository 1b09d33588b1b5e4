package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base class of every layer and model: PyTorch's {@code nn.Module}.
 *
 * <p>The course's standard form (§5.4) carries over directly:
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = new Linear(2, 30);
 *     final Linear fc2 = new Linear(30, 3);
 *     public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x))); }
 * }
 * }</pre>
 *
 * <p><b>Members.</b> Fields holding a {@link Parameter}, a {@code Module} or a {@code List} of
 * modules are found by reflection (see {@link MemberFields} for the order); members can also be
 * added explicitly with {@link #registerParameter} and {@link #registerModule}, after the fields.
 * A {@code List} field named {@code layers} behaves as PyTorch's {@code ModuleList}: its modules
 * are named {@code layers.0}, {@code layers.1}, ... Null fields are skipped. Members are looked up
 * on every traversal, so reassigning a field is seen. A {@code transient} field is never a
 * member (the way to hold a reference to a module owned elsewhere).
 *
 * <p><b>Order and names</b> follow PyTorch: modules in pre-order, each module's own parameters
 * before its children's; names are dotted paths ({@code fc1.weight}, {@code 0.bias}); a parameter
 * or module shared by two paths is listed once, under its first name.
 */
public abstract class Module {
    private final LinkedHashMap<String, Object> registered = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor x);

    /** {@code x}, or a typed error naming this module's forward when it is null (PyTorch: a TypeError). */
    protected final Tensor input(Tensor x) {
        if (x == null) {
            throw new io.flambeau.core.DataException(getClass().getSimpleName()
                    + ".forward(): argument 'input' must be a Tensor, not null");
        }
        return x;
    }

    // ---- explicit registration ---------------------------------------------------------------

    /** Adds a parameter under {@code name} (null: a declared but absent parameter, as PyTorch's {@code None}). */
    public Parameter registerParameter(String name, Parameter parameter) {
        register(name, parameter);
        return parameter;
    }

    /** Adds a child module under {@code name} (null: a declared but absent child). */
    public <M extends Module> M registerModule(String name, M module) {
        if (module == this) throw new ModuleException("registerModule('" + name + "'): a module cannot contain itself");
        register(name, module);
        return module;
    }

    private void register(String name, Object member) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new ModuleException("member name '" + name + "' is not allowed: names must be non-empty and contain no '.'");
        }
        if (registered.containsKey(name)) {
            throw new ModuleException("a member named '" + name + "' is already registered in " + typeName());
        }
        registered.put(name, member);
    }

    // ---- members -----------------------------------------------------------------------------

    /** This module's direct parameters and children, by name, in registration order. */
    void collectMembers(Map<String, Parameter> parameters, Map<String, Module> children) {
        for (Field f : MemberFields.of(getClass())) {
            Object value = MemberFields.read(f, this);
            switch (value) {
                case null -> { }
                case Parameter p -> addMember(f.getName(), p, parameters, children);
                case Module m -> addMember(f.getName(), m, parameters, children);
                case List<?> list when ModuleListView.holdsModules(list, getClass().getSimpleName() + "." + f.getName()) ->
                        addMember(f.getName(), new ModuleListView(list, this), parameters, children);
                default -> { }
            }
        }
        registered.forEach((name, member) -> {
            if (member != null) addMember(name, member, parameters, children);
        });
    }

    private void addMember(String name, Object member, Map<String, Parameter> parameters, Map<String, Module> children) {
        Object previous = parameters.containsKey(name) ? parameters.get(name) : children.get(name);
        if (previous != null) {
            if (previous == member) return; // a field that was also registered explicitly
            throw new ModuleException(typeName() + " has two different members named '" + name + "'");
        }
        if (member instanceof Parameter p) parameters.put(name, p);
        else children.put(name, (Module) member);
    }

    /** The direct children, by name, in order. */
    public final Map<String, Module> namedChildren() {
        Map<String, Module> children = new LinkedHashMap<>();
        collectMembers(new LinkedHashMap<>(), children);
        return Collections.unmodifiableMap(children);
    }

    public final List<Module> children() { return List.copyOf(namedChildren().values()); }

    /** This module and all its descendants in pre-order, each once, by dotted path ("" for this one). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        visit("", Collections.newSetFromMap(new IdentityHashMap<>()), Collections.newSetFromMap(new IdentityHashMap<>()),
                (prefix, module, params) -> out.put(prefix, module));
        return Collections.unmodifiableMap(out);
    }

    public final List<Module> modules() { return List.copyOf(namedModules().values()); }

    /** Every learnable parameter, each once, by dotted name ({@code "fc1.weight"}), in PyTorch's order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        visit("", Collections.newSetFromMap(new IdentityHashMap<>()), Collections.newSetFromMap(new IdentityHashMap<>()),
                (prefix, module, params) -> params.forEach((name, p) -> {
                    if (seen.add(p)) {
                        out.put(join(prefix, name), p);
                        p.nameIfUnnamed(join(prefix, name));
                    }
                }));
        return Collections.unmodifiableMap(out);
    }

    /** Every learnable parameter, each once: what an optimizer is built from. */
    public final List<Parameter> parameters() { return List.copyOf(namedParameters().values()); }

    /** Every parameter under every path, shared ones repeated (the key set of a state dict). */
    private Map<String, Parameter> allNamedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        visit("", null, Collections.newSetFromMap(new IdentityHashMap<>()),
                (prefix, module, params) -> params.forEach((name, p) -> out.put(join(prefix, name), p)));
        return out;
    }

    private interface Visitor {
        void accept(String prefix, Module module, Map<String, Parameter> ownParameters);
    }

    /**
     * Pre-order walk. {@code seen} (null: visit shared modules under every path) drops modules
     * already visited; {@code path} holds the modules on the way down, to report cycles.
     */
    private void visit(String prefix, Set<Module> seen, Set<Module> path, Visitor visitor) {
        if (seen != null && !seen.add(this)) return;
        if (!path.add(this)) {
            throw new ModuleException("module cycle: " + typeName() + " at '" + prefix + "' contains itself");
        }
        Map<String, Parameter> params = new LinkedHashMap<>();
        Map<String, Module> children = new LinkedHashMap<>();
        collectMembers(params, children);
        visitor.accept(prefix, this, params);
        children.forEach((name, child) -> child.visit(join(prefix, name), seen, path, visitor));
        path.remove(this);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ---- training state ----------------------------------------------------------------------

    /** Sets training mode on this module and every descendant; returns this module. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    public Module train() { return train(true); }

    /** Evaluation mode: {@code train(false)}. */
    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** Sets every parameter's gradient to none (PyTorch 2's {@code zero_grad()}, set_to_none=True): no kernel runs. */
    public void zeroGrad() { zeroGrad(true); }

    /** Zeroes the gradients in place, or clears them when {@code setToNone}. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) p.zeroGrad(setToNone);
    }

    // ---- devices -----------------------------------------------------------------------------

    /**
     * Moves every parameter (and its gradient) to {@code device}, in place: the {@link Parameter}
     * objects stay the same, so an optimizer built before the move keeps working. Returns this module.
     */
    public Module to(Device device) {
        for (Parameter p : parameters()) p.moveTo(device);
        return this;
    }

    public Module to(String device) { return to(Torch.device(device)); }

    // ---- state dicts and files ---------------------------------------------------------------

    /**
     * Every parameter by name, in order. As in PyTorch, the tensors are detached views of the
     * parameters: they share memory with the model, so clone them to keep a snapshot.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        allNamedParameters().forEach((name, p) -> out.put(name, p.tensor().detach()));
        return out;
    }

    /**
     * Copies the tensors of {@code state} into the parameters (across devices if need be). Strict:
     * the keys must be exactly this module's, with the same shapes and dtypes; otherwise a
     * {@link StateDictException} lists every problem and no parameter is modified.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Parameter> expected = allNamedParameters();
        List<String> errors = new ArrayList<>();
        List<String> badKeys = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String key : expected.keySet()) if (!state.containsKey(key)) missing.add(key);
        List<String> unexpected = new ArrayList<>();
        for (String key : state.keySet()) if (!expected.containsKey(key)) unexpected.add(key);
        if (!missing.isEmpty()) errors.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
        if (!unexpected.isEmpty()) errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        badKeys.addAll(missing);
        for (var e : expected.entrySet()) {
            Tensor value = state.get(e.getKey());
            if (value == null) {
                if (state.containsKey(e.getKey())) {
                    errors.add("null tensor for " + e.getKey() + ".");
                    badKeys.add(e.getKey());
                }
                continue;
            }
            Parameter p = e.getValue();
            if (!value.shape().equals(p.shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + value.shape()
                        + " from checkpoint, the shape in current model is " + p.shape() + ".");
                badKeys.add(e.getKey());
            } else if (value.dtype() != p.dtype()) {
                errors.add("dtype mismatch for " + e.getKey() + ": copying a param of dtype " + value.dtype()
                        + " from checkpoint, the dtype in current model is " + p.dtype() + ".");
                badKeys.add(e.getKey());
            }
        }
        badKeys.addAll(unexpected);
        if (!errors.isEmpty()) {
            throw new StateDictException("Error(s) in loading state_dict for " + typeName() + ":\n\t"
                    + String.join("\n\t", errors), badKeys);
        }
        try (var ignored = Torch.noGrad()) {
            expected.forEach((key, p) -> p.tensor().copy_(state.get(key)));
        }
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }

    /** Writes {@link #stateDict()} to {@code file} in the format of {@link StateDictFile}. */
    public void save(Path file) { StateDictFile.write(file, stateDict()); }

    /**
     * Reads a file written by {@link #save} into this module. The whole file is read and checked
     * (checksum, then keys, shapes and dtypes) before any parameter changes: a truncated, corrupted
     * or mismatched file is a {@link io.flambeau.core.DataException} and leaves the model as it was.
     */
    public void load(Path file) { loadStateDict(StateDictFile.read(file)); }

    // ---- printing ----------------------------------------------------------------------------

    /** The module's own settings for its printed form ({@code "in_features=2, out_features=3, bias=True"}). */
    protected String extraRepr() { return ""; }

    /** The name printed for this module: the class's simple name (its superclass's for an anonymous class). */
    protected String typeName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) c = c.getSuperclass();
        return c.getSimpleName();
    }

    /** PyTorch's module repr: {@code Linear(in_features=2, out_features=3, bias=True)}, children one per line. */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n"));
        List<String> childLines = new ArrayList<>();
        Map<String, Module> children = new LinkedHashMap<>();
        collectMembers(new LinkedHashMap<>(), children);
        children.forEach((name, child) -> childLines.add("(" + name + "): " + indentAfterFirstLine(child.toString())));
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extraLines.size() == 1 && childLines.isEmpty()) {
            sb.append(extraLines.getFirst());
        } else if (!extraLines.isEmpty() || !childLines.isEmpty()) {
            List<String> lines = new ArrayList<>(extraLines);
            lines.addAll(childLines);
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    private static String indentAfterFirstLine(String s) {
        return s.replace("\n", "\n  ");
    }
}
