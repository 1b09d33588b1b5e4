package io.flambeau.demo;

/** A command line {@link Main} cannot run: unknown demo, unknown option, missing or bad value. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
