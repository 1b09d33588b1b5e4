package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the JCuda binding tests: the FFM binding tests' loopback driver, reached by JCuda's JNI
 * libraries. The pom points {@code flambeau.cuda.libraryPath} at the loopback's folder, so
 * {@link JCudaApi#open()} loads its {@code libcuda.so.1} and {@code libcublas.so.12} by absolute path
 * before JCuda's JNI libraries, whose {@code NEEDED} entries the dynamic linker then satisfies by soname.
 *
 * <p>Before each test: one 256 MiB device, a CUDA 13.0 driver, device 0's primary context current.
 * After it: the loopback back to "no device". Skipped, with the reason, when the loopback cannot be
 * built (no gcc or cuda.h).
 */
abstract class JCudaLoopbackFixture {
    protected JCudaApi api;
    protected long context;

    @BeforeEach
    void openLoopback() {
        LoopbackAccess.require();
        LoopbackAccess.configure(1, 13000, LoopbackAccess.DEFAULT_MEMORY);
        api = JCudaApi.open();
        context = api.primaryCtxRetain(0);
        api.ctxSetCurrent(context);
    }

    @AfterEach
    void closeLoopback() {
        LoopbackAccess.configure(0, 13000, LoopbackAccess.DEFAULT_MEMORY); // forgets contexts, memory, hooks
    }
}
