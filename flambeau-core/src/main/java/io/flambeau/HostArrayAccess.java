package io.flambeau;

import io.flambeau.backend.Backends;
import io.flambeau.ops.RawTensor;

/**
 * Flambeau's own route to the Java array behind a dense CPU tensor, for a native library that
 * reads and writes the elements where they are (the process group's MPI all-reduce, through a
 * critical downcall) instead of a copy out and a copy back.
 *
 * <p>Not for users, and refused to them: the array stays its storage's (Memory ownership in
 * ARCHITECTURE.md), so only the action running now may touch it, and a host read still hands
 * users a fresh copy. Java without modules cannot hide a public class from other packages, so the
 * caller is checked to be one of Flambeau's own.
 *
 * <pre>{@code
 * // in the process group: MPI reduces the tensor's own elements, then AVG divides them there
 * boolean done = HostArrayAccess.inPlace(tensor, "allReduce", (array, offset, n) -> {
 *     comm.allreduceInPlace(array, offset, n, tensor.dtype(), op);
 * });
 * }</pre>
 */
public final class HostArrayAccess {
    private HostArrayAccess() {}

    /** What runs on the array: elements {@code [offset, offset + count)} of {@code array} are the tensor's, in row-major order. */
    @FunctionalInterface
    public interface Action {
        /**
         * Works on the elements in place.
         *
         * @param array the storage's own array, to touch only while this runs
         * @param offset the index of the tensor's first element in {@code array}
         * @param count the tensor's element count
         */
        void run(Object array, int offset, int count);
    }

    /**
     * Runs {@code action} on {@code t}'s own storage array (float[], double[], long[] or boolean[]
     * of its dtype) when {@code t} is a non-empty dense CPU tensor, and records an in-place write
     * (the storage's version, which autograd checks); returns false, running nothing, for a CUDA
     * tensor or a strided view. The tensor must stay open while the action runs.
     *
     * @param t the tensor whose storage array {@code action} works on
     * @param op the caller's op, named in errors
     * @param action what runs on the array
     * @return whether {@code action} ran
     * @throws IllegalCallerException when called from outside Flambeau's packages
     */
    public static boolean inPlace(Tensor t, String op, Action action) {
        FlambeauCaller.require(op, "HostArrayAccess", FlambeauCaller.WALKER.getCallerClass(),
                "read a tensor's elements with toFloatArray() and friends, which copy");
        RawTensor d = t.variable().data;
        boolean ran = Backends.of(d.storage.device()).onHostArray(op, d.view(), action::run);
        if (ran) d.storage.bumpVersion();
        return ran;
    }
}
