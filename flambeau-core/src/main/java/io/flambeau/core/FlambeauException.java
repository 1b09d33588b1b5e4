package io.flambeau.core;

/** Root of every error Flambeau throws on purpose: catch this to catch them all. */
public class FlambeauException extends RuntimeException {
    public FlambeauException(String message) { super(message); }
    public FlambeauException(String message, Throwable cause) { super(message, cause); }
}
