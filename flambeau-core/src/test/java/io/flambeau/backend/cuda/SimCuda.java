package io.flambeau.backend.cuda;

import io.flambeau.backend.Backends;
import io.flambeau.backend.cuda.ffm.FfmCudaApiFactory;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Assumptions;

/**
 * Puts a simulated GPU behind {@code cuda:0} for tests: a {@link SimulatedCuda} (PTX interpreter,
 * host memory as device memory, cuBLAS-contract GEMM) driving a real {@link CudaBackend}. One shared
 * instance per JVM, so kernels parsed once serve every test class.
 *
 * <p>With {@code -Dflambeau.test.cuda=gpu} (the suites listed in {@code flambeau-core/gpu-suites.txt},
 * run by {@code bench/gpu-check}) {@link #install()} puts this machine's GPU there instead, through the
 * FFM binding and the system's driver, so the same suites run on hardware; tests that need the
 * simulator itself ({@link #simulator()}, {@link #fresh}) then skip with that reason.
 */
public final class SimCuda {
    /** Whether {@link #install()} gives the machine's GPU rather than the simulator. */
    public static final boolean ON_GPU = "gpu".equals(System.getProperty("flambeau.test.cuda"));
    private static SimulatedCuda sim;
    private static CudaBackend backend;

    private SimCuda() {}

    /** The shared simulated device (the real GPU under {@link #ON_GPU}), registered as {@code cuda:0}. */
    public static synchronized CudaBackend install() {
        if (backend == null) {
            if (ON_GPU) {
                backend = realGpu();
            } else {
                sim = new SimulatedCuda(SimulatedCudaConfig.builder().totalMemory(1L << 30).build());
                backend = new CudaBackend(sim, 0);
            }
        }
        Backends.register(Device.cuda(0), backend);
        return backend;
    }

    private static CudaBackend realGpu() {
        try {
            return new CudaBackend(new FfmCudaApiFactory().create(), 0);
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("flambeau.test.cuda=gpu, but no usable GPU: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    /** The simulator behind {@link #install()} (its counters: launches, allocations). */
    public static synchronized SimulatedCuda simulator() {
        needsTheSimulator();
        install();
        return sim;
    }

    /** A separate device with its own configuration, not registered anywhere; close it after use. */
    public static CudaBackend fresh(SimulatedCudaConfig config) {
        needsTheSimulator();
        return new CudaBackend(new SimulatedCuda(config), 0);
    }

    private static void needsTheSimulator() {
        Assumptions.assumeFalse(ON_GPU, "needs the simulated device itself (its configuration, counters or faults):"
                + " not run on a real GPU");
    }
}
