package io.flambeau.core;

/** Shapes that do not fit the op: broadcasting, reshape, matmul, cat/stack. */
public class ShapeException extends FlambeauException {
    public ShapeException(String message) { super(message); }
    public ShapeException(String message, Throwable cause) { super(message, cause); }
}
