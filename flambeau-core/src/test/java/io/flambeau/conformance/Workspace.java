package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.core.Device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The variables of one run of a {@link Program}, by name, every tensor made on {@link #device}. */
final class Workspace {
    final Device device;
    private final Map<String, Tensor> vars = new LinkedHashMap<>();

    Workspace(Device device) {
        this.device = device;
    }

    Tensor get(String name) {
        Tensor t = vars.get(name);
        if (t == null) throw new IllegalStateException("no variable " + name + " (an earlier step failed)");
        return t;
    }

    boolean has(String name) {
        return vars.containsKey(name);
    }

    void put(String name, Tensor t) {
        vars.put(name, t);
    }

    /** The names defined so far, in the order they were defined. */
    List<String> names() {
        return List.copyOf(vars.keySet());
    }
}
