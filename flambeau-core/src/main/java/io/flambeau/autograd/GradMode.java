package io.flambeau.autograd;

/**
 * Whether ops record the graph on this thread. {@link #disable()} returns a guard for
 * try-with-resources that restores the previous mode, like PyTorch's {@code torch.no_grad()}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Guard returned by {@link #disable()} / {@link #enable()}. */
    public static final class Guard implements AutoCloseable {
        private final boolean previous;

        private Guard(boolean value) {
            boolean[] cell = ENABLED.get();
            previous = cell[0];
            cell[0] = value;
        }

        @Override
        public void close() { ENABLED.get()[0] = previous; }
    }

    public static Guard disable() { return new Guard(false); }

    public static Guard enable() { return new Guard(true); }
}
