package io.flambeau.nn;

import io.flambeau.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A {@code List<Module>} field seen as PyTorch's {@code ModuleList}: a container whose children
 * are named by their position, so the list's parameters get names such as {@code layers.0.weight}
 * and it prints as {@code (layers): ModuleList(...)}. Made afresh at each traversal, over the live list.
 */
final class ModuleListView extends Module {
    private final List<?> modules;
    private final Module owner;

    ModuleListView(List<?> modules, Module owner) {
        this.modules = modules;
        this.owner = owner;
    }

    /**
     * True when {@code list} is a non-empty list of modules. A list mixing modules with other
     * things, or holding parameters, is refused rather than silently left out of training.
     */
    static boolean holdsModules(List<?> list, String where) {
        boolean anyModule = false, anyOther = false;
        for (Object o : list) {
            if (o instanceof Parameter) {
                throw new ModuleException(where + ": lists of parameters are not discovered automatically;"
                        + " register each one with registerParameter(name, p)");
            }
            if (o instanceof Module) anyModule = true;
            else anyOther = true;
        }
        if (anyModule && anyOther) {
            throw new ModuleException(where + ": a list field holds modules mixed with other values;"
                    + " keep the modules in a List of modules only");
        }
        return anyModule;
    }

    @Override
    void collectMembers(Map<String, Parameter> parameters, Map<String, Module> children) {
        for (int i = 0; i < modules.size(); i++) children.put(Integer.toString(i), (Module) modules.get(i));
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new ModuleException("a list of modules has no forward of its own; call its modules in your forward");
    }

    @Override
    protected String typeName() { return "ModuleList"; }

    /** A view has no lasting flag of its own: it is in the mode of the module whose field it is. */
    @Override
    public boolean isTraining() { return owner.isTraining(); }
}
