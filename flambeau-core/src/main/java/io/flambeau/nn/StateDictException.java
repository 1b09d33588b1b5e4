package io.flambeau.nn;

import io.flambeau.core.DataException;

import java.util.List;

/**
 * A state dict that does not fit a module: missing or unexpected keys, or a tensor whose shape or
 * dtype differs from the parameter it would replace; or a state dict file that cannot be read or
 * written (the message names the path, the cause is the I/O error). The module is left unchanged.
 *
 * <pre>{@code
 * try {
 *     new Linear(2, 3).loadStateDict(new Linear(2, 4).stateDict());
 * } catch (StateDictException e) {
 *     System.err.println(e.getMessage() + " " + e.keys());   // names weight and bias, shapes (4, 2) vs (3, 2)
 * }
 * }</pre>
 */
public class StateDictException extends DataException {
    private final List<String> keys;

    public StateDictException(String message, List<String> keys) {
        super(message);
        this.keys = List.copyOf(keys);
    }

    /** A file that could not be read or written: no keys involved, the I/O error as the cause. */
    public StateDictException(String message, Throwable cause) {
        super(message, cause);
        this.keys = List.of();
    }

    /** The offending keys, in the module's order (missing and mismatched ones) then the file's (unexpected ones). */
    public List<String> keys() { return keys; }
}
