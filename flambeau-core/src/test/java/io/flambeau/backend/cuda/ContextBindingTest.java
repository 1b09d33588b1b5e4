package io.flambeau.backend.cuda;

import io.flambeau.backend.Storage;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's context stays usable on a thread where another seam over the same driver bound or
 * unbound contexts. On a real GPU a probe that opens a binding and closes it (a test's GPU
 * condition, the doctor) unbinds the calling thread; a backend that remembered what it had bound
 * itself then failed every call with CUDA_ERROR_INVALID_CONTEXT.
 */
class ContextBindingTest {
    /** A second seam over the same simulated driver, as a second FFM binding shares libcuda. */
    private static CheckedCudaApi secondSeam(SimulatedCuda driver) {
        return CheckedCudaApi.of(new CountingCudaApi(driver));
    }

    private static boolean boundHere(CudaBackend backend) {
        return backend.context().checked.isBoundHere(backend.contextHandle());
    }

    @Test
    void aProbeOpenedAndClosedOnTheSameThreadLeavesTheBackendUsable() {
        SimulatedCuda driver = new SimulatedCuda();
        driver.init();
        CudaBackend backend = new CudaBackend(driver, 0);
        try {
            backend.allocate(DType.FLOAT32, 16).close();
            secondSeam(driver).close(); // unbinds this thread, as FfmCudaApiFactory.openNew().close() does
            assertFalse(boundHere(backend), "the probe's close unbound this thread");
            Storage s = backend.allocate(DType.FLOAT32, 16);
            s.close();
            assertTrue(boundHere(backend), "rebound once; later calls bind nothing");
        } finally {
            backend.close();
        }
    }

    @Test
    void anotherSeamsBindOnThisThreadIsUndoneBeforeTheBackendsNextCall() {
        SimulatedCuda driver = new SimulatedCuda();
        driver.init();
        CudaBackend backend = new CudaBackend(driver, 0);
        CheckedCudaApi other = secondSeam(driver);
        try {
            other.ctxSetCurrent(other.primaryCtxRetain(0));
            other.ctxSetCurrent(0);
            backend.allocate(DType.FLOAT32, 16).close();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    backend.allocate(DType.FLOAT32, 16).close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join();
            assertNull(failure.get(), "another thread binds the context for itself");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            other.primaryCtxRelease(0);
            other.close();
            backend.close();
        }
    }
}
