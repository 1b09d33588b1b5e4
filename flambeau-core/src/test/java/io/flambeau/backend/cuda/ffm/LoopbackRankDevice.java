package io.flambeau.backend.cuda.ffm;

/**
 * The loopback {@code cuda:0} (FFM binding, loopback driver, kernels on the simulated device) for a
 * process that is not a JUnit test: a rank started by mpirun in the distributed tests. Device
 * pointers of the loopback are host addresses, which is what lets the loopback NCCL carry them.
 * The loopback libraries must already be built ({@link #build()} in the test JVM that starts the
 * ranks), so that ranks never compile them concurrently.
 */
public final class LoopbackRankDevice implements AutoCloseable {
    private final LoopbackDevice device;

    private LoopbackRankDevice(LoopbackDevice device) { this.device = device; }

    /** Builds the loopback libraries when needed; returns their folder (a JUnit assumption skips the caller without them). */
    public static java.nio.file.Path build() { return LoopbackLibrary.require(); }

    /** Opens {@code cuda:0} over the loopback in this process. */
    public static LoopbackRankDevice open() {
        return new LoopbackRankDevice(LoopbackDevice.open(FfmCudaApiFactory::openNew));
    }

    @Override
    public void close() { LoopbackDevice.close(device); }
}
