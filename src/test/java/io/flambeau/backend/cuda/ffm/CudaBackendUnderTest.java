package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.Backend;
import io.flambeau.backend.Backends;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Assumptions;

/**
 * Puts the CUDA backend over a given {@link CudaApi} behind {@code cuda:0}, so the golden suite runs
 * on it. Found by name because the backend (branch wip-cuda) merges into main separately: until
 * then the tests that need it are skipped, saying so.
 */
final class CudaBackendUnderTest {
    static final String BACKEND = "io.flambeau.backend.cuda.CudaBackend";

    private CudaBackendUnderTest() {}

    /** A CudaBackend for device 0 of {@code api}, registered as {@code cuda:0}. */
    static Backend install(CudaApi api) {
        Backend backend;
        try {
            backend = (Backend) Class.forName(BACKEND).getConstructor(CudaApi.class, int.class).newInstance(api, 0);
        } catch (ClassNotFoundException e) {
            Assumptions.abort("the CUDA backend (" + BACKEND + ", branch wip-cuda) is not on the class path yet");
            throw new AssertionError(e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot construct " + BACKEND + "(CudaApi, int): " + e, e);
        }
        Backends.register(Device.cuda(0), backend);
        return backend;
    }

    /**
     * Like {@link #install}, or null when the backend is not on the class path (then no CUDA
     * provider is either, and nothing can reach {@code cuda:0}).
     */
    static Backend installIfPresent(CudaApi api) {
        try {
            Class.forName(BACKEND);
        } catch (ClassNotFoundException e) {
            return null;
        }
        return install(api);
    }

    /** Unregisters {@code cuda:0} and closes the backend (its allocator, stream and context). */
    static void remove(Backend backend) throws Exception {
        Backends.unregister(Device.cuda(0));
        if (backend instanceof AutoCloseable c) c.close();
    }
}
