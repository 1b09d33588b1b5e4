package io.flambeau.core;

/** Bad input data: ragged nested arrays, unsupported element types, malformed files. */
public class DataException extends FlambeauException {
    public DataException(String message) { super(message); }
    public DataException(String message, Throwable cause) { super(message, cause); }
}
