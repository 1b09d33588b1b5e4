package io.flambeau.nn;

import io.flambeau.core.FlambeauException;

/**
 * A module that is put together wrongly: a bad or duplicate member name, a cycle, an unreadable field.
 *
 * <pre>{@code
 * try {
 *     model.registerModule("fc", new Linear(2, 3));   // a name already taken
 * } catch (ModuleException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class ModuleException extends FlambeauException {
    public ModuleException(String message) { super(message); }
    public ModuleException(String message, Throwable cause) { super(message, cause); }
}
