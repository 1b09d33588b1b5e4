package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CuDeviceAttribute;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.core.Device;

/**
 * One device's primary context and the single stream all of Flambeau's work for it is queued on.
 *
 * <p>The driver binds a context per thread, so every entry point calls {@link #makeCurrent()}
 * first; it only calls {@code cuCtxSetCurrent} when this thread last bound another context (or
 * none), which keeps the common single-threaded case free of driver calls. What the thread last
 * bound is asked of the checked seam ({@link CheckedCudaApi#isBoundHere}), which sees every bind
 * and unbind on the driver, another seam's too (a probe that opens and closes a binding unbinds
 * the thread).
 */
final class CudaContext implements AutoCloseable {

    /**
     * The binding behind the checked seam: whatever binding the backend was given (from a factory,
     * or a simulated device in tests), it is used only through this one.
     */
    final CheckedCudaApi checked;
    /** Every call of this context goes through this counting wrapper (see {@link #counters()}), then the checks. */
    final CountingCudaApi api;
    final int ordinal;
    final Device device;
    final long context;
    final long stream;
    final String name;
    final int multiprocessors;
    final int maxThreadsPerBlock;
    final int computeCapability;
    private volatile boolean closed;

    CudaContext(CudaApi api, int ordinal) {
        this.checked = CheckedCudaApi.of(api);
        this.api = new CountingCudaApi(checked);
        this.ordinal = ordinal;
        this.device = Device.cuda(ordinal);
        this.context = this.api.primaryCtxRetain(ordinal);
        makeCurrent();
        this.stream = this.api.streamCreate();
        this.name = this.api.deviceName(ordinal);
        this.multiprocessors = Math.max(1, this.api.deviceAttribute(CuDeviceAttribute.MULTIPROCESSOR_COUNT, ordinal));
        this.maxThreadsPerBlock = Math.max(32, this.api.deviceAttribute(CuDeviceAttribute.MAX_THREADS_PER_BLOCK, ordinal));
        this.computeCapability = 10 * this.api.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MAJOR, ordinal)
                + this.api.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MINOR, ordinal);
    }

    /** Binds the primary context to the calling thread (a no-op when it already is). */
    void makeCurrent() {
        if (!checked.isBoundHere(context)) api.ctxSetCurrent(context);
    }

    /** Waits for everything queued on the stream. */
    void synchronize() {
        makeCurrent();
        api.streamSynchronize(stream);
    }

    boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        makeCurrent();
        api.streamSynchronize(stream);
        api.streamDestroy(stream);
        api.ctxSetCurrent(0);
        api.primaryCtxRelease(ordinal);
    }

    @Override
    public String toString() { return device + " (" + name + ")"; }
}
