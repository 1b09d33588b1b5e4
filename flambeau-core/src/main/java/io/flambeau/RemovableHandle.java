package io.flambeau;

/** Removes what it was returned for, such as a hook (PyTorch's {@code RemovableHandle}). Removing twice is harmless. */
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
