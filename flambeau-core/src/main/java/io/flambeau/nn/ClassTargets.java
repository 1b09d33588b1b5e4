package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.core.IndexException;

/**
 * The one check of class targets for the classification losses: every target must be a class
 * index in {@code [0, C)}, or the loss's ignore index where it has one. Without it a target of −1
 * would be wrapped like a negative index and silently give the loss of the last class.
 *
 * <p>The targets are read back to the host (one transfer of N longs, a synchronisation on the
 * GPU), the way the indexing ops check their bounds; the check lives here alone so that it can
 * move into a device kernel that reports at the next synchronisation.
 */
final class ClassTargets {
    /** For losses without an ignore index. */
    static final long NO_IGNORE = io.flambeau.core.ClassTargetMessage.NO_IGNORE;

    private ClassTargets() {}

    /**
     * Throws PyTorch's {@code Target -1 is out of bounds.} (an {@link IndexException} naming the
     * op, the value and the valid range) for the first bad target; returns how many targets are
     * not {@code ignoreIndex}.
     */
    static long check(String op, Tensor targets, long classes, long ignoreIndex) {
        long[] t = targets.toLongArray();
        long kept = 0;
        for (int i = 0; i < t.length; i++) {
            long v = t[i];
            if (v == ignoreIndex) continue;
            if (v < 0 || v >= classes) {
                throw new IndexException(io.flambeau.core.ClassTargetMessage.outOfBounds(op, v, i, classes, ignoreIndex));
            }
            kept++;
        }
        return kept;
    }
}
