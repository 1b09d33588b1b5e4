package io.flambeau.backend.cuda;

import io.flambeau.backend.Backends;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.Device;

/**
 * Puts a simulated GPU behind {@code cuda:0} for tests: a {@link SimulatedCuda} (PTX interpreter,
 * host memory as device memory, cuBLAS-contract GEMM) driving a real {@link CudaBackend}. One shared
 * instance per JVM, so kernels parsed once serve every test class.
 */
public final class SimCuda {
    private static SimulatedCuda sim;
    private static CudaBackend backend;

    private SimCuda() {}

    /** The shared simulated device, registered as {@code cuda:0}. */
    public static synchronized CudaBackend install() {
        if (backend == null) {
            sim = new SimulatedCuda(SimulatedCudaConfig.builder().totalMemory(1L << 30).build());
            backend = new CudaBackend(sim, 0);
        }
        Backends.register(Device.cuda(0), backend);
        return backend;
    }

    /** The simulator behind {@link #install()} (its counters: launches, allocations). */
    public static synchronized SimulatedCuda simulator() {
        install();
        return sim;
    }

    /** A separate device with its own configuration, not registered anywhere; close it after use. */
    public static CudaBackend fresh(SimulatedCudaConfig config) {
        return new CudaBackend(new SimulatedCuda(config), 0);
    }
}
