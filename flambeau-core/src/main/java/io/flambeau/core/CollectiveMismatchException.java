package io.flambeau.core;

/**
 * Ranks of one process group called a collective with arguments that cannot go together: another
 * collective, another shape, dtype, device, reduction or root. Every rank of the group gets it,
 * with what each rank passed.
 */
public class CollectiveMismatchException extends DistributedException {
    public CollectiveMismatchException(String message) { super(message); }
}
