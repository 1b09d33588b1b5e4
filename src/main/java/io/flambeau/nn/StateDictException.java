package io.flambeau.nn;

import io.flambeau.core.DataException;

import java.util.List;

/**
 * A state dict that does not fit a module: missing or unexpected keys, or a tensor whose shape or
 * dtype differs from the parameter it would replace. The module is left unchanged.
 */
public class StateDictException extends DataException {
    private final List<String> keys;

    public StateDictException(String message, List<String> keys) {
        super(message);
        this.keys = List.copyOf(keys);
    }

    /** The offending keys, in the module's order (missing and mismatched ones) then the file's (unexpected ones). */
    public List<String> keys() { return keys; }
}
