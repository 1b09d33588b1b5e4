package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the binding tests: before each test, a loopback with one 256 MiB device and a CUDA 13.0
 * driver, a fresh {@link CheckedCudaApi} over it with device 0's primary context current; after it,
 * the binding closed and the loopback back to "no device", so that nothing else in the test JVM
 * finds a GPU it did not ask for. Skipped, with the reason, when the loopback cannot be built.
 */
abstract class LoopbackFixture {
    protected CheckedCudaApi api;
    protected long context;

    @BeforeEach
    void openLoopback() {
        Loopback.require();
        Loopback.configure(1, 13000, Loopback.DEFAULT_MEMORY);
        api = FfmCudaApiFactory.openNew();
        context = api.primaryCtxRetain(0);
        api.ctxSetCurrent(context);
    }

    @AfterEach
    void closeLoopback() {
        try {
            if (api != null) api.close();
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }
}
