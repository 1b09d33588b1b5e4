package io.flambeau.core;

/** Misuse of autograd: backward on a non-scalar, a graph freed twice, a saved tensor modified in place. */
public class AutogradException extends FlambeauException {
    public AutogradException(String message) { super(message); }
    public AutogradException(String message, Throwable cause) { super(message, cause); }
}
