package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.CudaBackend;

import java.util.function.Supplier;

/**
 * A test class's {@code cuda:0} through the FFM binding and the loopback driver, kernels running on
 * the simulated device's interpreter: one device of 1 GiB and a CUDA 13.0 driver while the class
 * runs; {@link #close} puts the loopback back to "no device", so that nothing else in the test JVM
 * finds a GPU it did not ask for.
 */
record LoopbackDevice(CheckedCudaApi api, CudaBackend backend) {
    /** Configures the loopback, opens the binding {@code binding} makes and installs a backend over it. */
    static LoopbackDevice open(Supplier<CheckedCudaApi> binding) {
        Loopback.require();
        Loopback.configure(1, 13000, 1L << 30);
        Loopback.execute(SimulatorExecutor.create());
        CheckedCudaApi api = binding.get();
        try {
            return new LoopbackDevice(api, CudaBackendUnderTest.install(api));
        } catch (RuntimeException | Error e) {
            api.close();
            throw e;
        }
    }

    /** Removes what {@link #open} installed; {@code device} may be null when opening failed. */
    static void close(LoopbackDevice device) {
        try {
            if (device != null) {
                CudaBackendUnderTest.remove(device.backend);
                device.api.close();
            }
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }
}
