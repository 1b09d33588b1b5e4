package io.flambeau.core;

/**
 * The words of one error, said the same way wherever it is found: a class target outside
 * {@code [0, C)} (PyTorch's {@code Target -1 is out of bounds.}), checked on the host by the
 * classification losses and inside the fused loss kernels on a GPU.
 */
public final class ClassTargetMessage {
    /** For losses without an ignore index. */
    public static final long NO_IGNORE = Long.MIN_VALUE;

    private ClassTargetMessage() {}

    /** {@code op: Target v is out of bounds (targets[row]): ...}. */
    public static String outOfBounds(String op, long target, long row, long classes, long ignoreIndex) {
        return op + ": Target " + target + " is out of bounds (targets[" + row + "]): class indices"
                + " must lie in [0, " + classes + ") for scores with " + classes + " classes"
                + (ignoreIndex == NO_IGNORE ? "" : ", or equal ignoreIndex (" + ignoreIndex + ")")
                + "; negative targets are not counted from the end";
    }
}
