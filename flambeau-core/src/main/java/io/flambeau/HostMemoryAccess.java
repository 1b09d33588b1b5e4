package io.flambeau;

import io.flambeau.backend.Backends;
import io.flambeau.ops.RawTensor;

/**
 * Flambeau's own route to the native memory behind a dense off-heap CPU tensor (a storage above
 * {@code flambeau.cpu.offHeapAbove} elements), for a native library that reads and writes the
 * elements where they are (the process group's MPI collectives) instead of a copy out and a copy
 * back: the sibling of {@link HostArrayAccess} for the off-heap form.
 *
 * <p>Not for users, and refused to them, for the same reason as {@link HostArrayAccess}: the
 * memory stays its storage's (Memory ownership in ARCHITECTURE.md), so only the action running
 * now may touch it. Java without modules cannot hide a public class from other packages, so the
 * caller is checked to be one of Flambeau's own. (Users who want an address read
 * {@link Tensor#dataPtr()}.)
 *
 * <pre>{@code
 * // in the process group: MPI reduces the tensor's own off-heap elements
 * boolean done = HostMemoryAccess.inPlace(tensor, "allReduce", true, (address, count) -> {
 *     NativeBuffer elements = NativeBuffer.over(address, count, tensor.dtype());
 *     ... comm.iallreduce(null, elements, ...) ...
 * });
 * }</pre>
 */
public final class HostMemoryAccess {
    private HostMemoryAccess() {}

    /** What runs on the memory: {@code count} elements from {@code address} are the tensor's, in row-major order. */
    @FunctionalInterface
    public interface Action {
        /**
         * Works on the elements in place.
         *
         * @param address the native address of the tensor's first element, to use only while this runs
         * @param count the tensor's element count (bool: one byte each)
         */
        void run(long address, long count);
    }

    /**
     * Runs {@code action} on {@code t}'s own off-heap memory when {@code t} is a non-empty dense CPU
     * tensor whose storage lives off the Java heap, and, when {@code writes}, records an in-place
     * write (the storage's version, which autograd checks); returns false, running nothing, for a
     * tensor in a Java array, a CUDA tensor or a strided view. The tensor must stay open while the
     * action runs.
     *
     * @param t the tensor whose memory {@code action} works on
     * @param op the caller's op, named in errors
     * @param writes whether {@code action} may write the elements
     * @param action what runs on the memory
     * @return whether {@code action} ran
     * @throws IllegalCallerException when called from outside Flambeau's packages
     */
    public static boolean inPlace(Tensor t, String op, boolean writes, Action action) {
        checkCaller(op, FlambeauCaller.WALKER.getCallerClass());
        RawTensor d = t.variable().data;
        long size = t.dtype().byteSize();
        boolean ran = Backends.of(d.storage.device()).withHostAddress(op, d.view(),
                (address, bytes) -> action.run(address, bytes / size));
        if (ran && writes) d.storage.bumpVersion();
        return ran;
    }

    /**
     * Whether {@link #inPlace} would run its action on {@code t} (a non-empty dense CPU tensor in
     * off-heap memory), so that a caller can choose its route before committing to one.
     *
     * @param t the tensor asked about
     * @param op the caller's op, named in errors
     * @return whether {@code t}'s elements are a dense run of off-heap memory
     * @throws IllegalCallerException when called from outside Flambeau's packages
     */
    public static boolean applies(Tensor t, String op) {
        checkCaller(op, FlambeauCaller.WALKER.getCallerClass());
        if (t == null || t.device().isCuda()) return false;
        RawTensor d = t.variable().data;
        return Backends.of(d.storage.device()).withHostAddress(op, d.view(), (address, bytes) -> {});
    }

    private static void checkCaller(String op, Class<?> caller) {
        FlambeauCaller.require(op, "HostMemoryAccess", caller,
                "read a tensor's address with dataPtr(), or its elements with toFloatArray() and friends, which copy");
    }
}
