package io.flambeau.core;

/** A dtype the op cannot take, or a combination PyTorch refuses. */
public class DTypeException extends FlambeauException {
    public DTypeException(String message) { super(message); }
    public DTypeException(String message, Throwable cause) { super(message, cause); }
}
