package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.Backends;
import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.core.Device;

/**
 * Puts the CUDA backend over a given {@link CudaApi} behind {@code cuda:0}, so that the golden suite
 * and the doctor's backend checks run on exactly the binding under test. Registered explicitly, so
 * the CUDA provider (which probes once and caches what it found) is never consulted for it.
 */
final class CudaBackendUnderTest {
    private CudaBackendUnderTest() {}

    /** A CudaBackend for device 0 of {@code api}, registered as {@code cuda:0}. */
    static CudaBackend install(CudaApi api) {
        CudaBackend backend = new CudaBackend(api, 0);
        Backends.register(Device.cuda(0), backend);
        return backend;
    }

    /** Unregisters {@code cuda:0} and closes the backend (its allocator, stream and context). */
    static void remove(CudaBackend backend) {
        Backends.unregister(Device.cuda(0));
        backend.close();
    }
}
