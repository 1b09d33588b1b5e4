package io.flambeau.core;

/**
 * A collective that did not complete within the process group's timeout: some rank never arrived
 * (it died, hangs, or calls collectives in another order). The group cannot be used afterwards.
 */
public class DistributedTimeoutException extends DistributedException {
    public DistributedTimeoutException(String message) { super(message); }
}
