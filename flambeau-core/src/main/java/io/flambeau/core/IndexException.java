package io.flambeau.core;

/** An index, slice or dim outside the tensor's bounds, or an index tensor of the wrong kind. */
public class IndexException extends FlambeauException {
    public IndexException(String message) { super(message); }
    public IndexException(String message, Throwable cause) { super(message, cause); }
}
