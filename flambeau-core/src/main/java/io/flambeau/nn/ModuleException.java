package io.flambeau.nn;

import io.flambeau.core.FlambeauException;

/** A module that is put together wrongly: a bad or duplicate member name, a cycle, an unreadable field. */
public class ModuleException extends FlambeauException {
    public ModuleException(String message) { super(message); }
    public ModuleException(String message, Throwable cause) { super(message, cause); }
}
