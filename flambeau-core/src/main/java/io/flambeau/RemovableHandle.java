package io.flambeau;

/**
 * Removes what it was returned for, such as a hook (PyTorch's {@code RemovableHandle}). Removing twice is harmless.
 *
 * <pre>{@code
 * RemovableHandle h = weight.registerPostAccumulateGradHook(g -> System.out.println(g.shape()));
 * loss.backward();   // prints the gradient's shape
 * h.remove();        // the hook runs no more
 * }</pre>
 */
public final class RemovableHandle {
    private Runnable removal;

    RemovableHandle(Runnable removal) { this.removal = removal; }

    public synchronized void remove() {
        if (removal != null) {
            removal.run();
            removal = null;
        }
    }
}
