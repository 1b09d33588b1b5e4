package io.flambeau.ops;

import io.flambeau.backend.BinaryOp;

/**
 * Gradient accumulation into a leaf's existing {@code .grad}, for autograd: the layer above the ops
 * reaches the backend only through this package ({@link RawTensor#backend()} is not public).
 */
public final class Accumulation {
    private Accumulation() {}

    /**
     * {@code into += incoming}, elementwise into {@code into}'s own memory. Both have one shape and
     * one dtype (autograd made them so); {@code into} is the leaf's dense gradient buffer.
     */
    public static void addInto(RawTensor into, RawTensor incoming) {
        into.backend().binary(BinaryOp.ADD, into.view(), incoming.view(), into.view());
    }
}
