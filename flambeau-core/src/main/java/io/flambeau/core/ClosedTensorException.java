package io.flambeau.core;

/** Use of a tensor whose memory was released (closed, or its Scope ended). */
public class ClosedTensorException extends FlambeauException {
    public ClosedTensorException(String message) { super(message); }
    public ClosedTensorException(String message, Throwable cause) { super(message, cause); }
}
