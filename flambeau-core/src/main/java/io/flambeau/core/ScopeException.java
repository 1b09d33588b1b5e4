package io.flambeau.core;

/**
 * Misuse of a {@code Scope}: closing one while a scope opened inside it is still open, or using a
 * scope from a thread other than the one that opened it.
 */
public class ScopeException extends FlambeauException {
    public ScopeException(String message) { super(message); }
}
