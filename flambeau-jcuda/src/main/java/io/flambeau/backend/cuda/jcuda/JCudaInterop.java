package io.flambeau.backend.cuda.jcuda;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.Ownership;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.runtime.cudaStream_t;

/**
 * Flambeau tensors and JCuda code side by side, without copies: JCuda's handle types for a tensor's
 * memory and for the stream and context Flambeau works in, and tensors over memory JCuda allocated.
 * The {@code long}-handle forms are on {@link Cuda} and {@link Tensor#dataPtr()}; this class only
 * converts them to and from JCuda's objects.
 *
 * <p>Ordering: Flambeau queues work on {@link #stream(Device)} and returns. JCuda work on that same
 * stream runs after it, in order; work on another stream, or on the host, must wait first
 * ({@link Cuda#synchronize(Device)} or {@code cuStreamSynchronize(stream(device))}). Make
 * {@link #context(Device)} current ({@code cuCtxSetCurrent}) on a thread before JCuda driver calls
 * that touch Flambeau's memory.
 *
 * <p>Errors: the JCuda binding switches JCuda's exceptions off and checks status codes itself; code
 * that turns them on ({@code JCudaDriver.setExceptionsEnabled(true)}) makes failing calls of the
 * binding throw JCuda's {@code CudaException} instead of Flambeau's.
 */
public final class JCudaInterop {
    private JCudaInterop() {}

    /** The address of the tensor's first element as a {@code CUdeviceptr} (valid while the tensor is open). */
    public static CUdeviceptr pointer(Tensor tensor) { return JCudaHandles.devicePointer(tensor.dataPtr()); }

    /** The stream all of {@code device}'s Flambeau work is queued on, for driver-API calls. */
    public static CUstream stream(Device device) { return JCudaHandles.stream(Cuda.stream(device)); }

    /** The same stream for runtime-API libraries (JCublas2's {@code cublasSetStream}, JCudnn, ...). */
    public static cudaStream_t runtimeStream(Device device) { return JCudaHandles.runtimeStream(Cuda.stream(device)); }

    /** {@code device}'s primary context, which Flambeau's memory belongs to. */
    public static CUcontext context(Device device) { return JCudaHandles.context(Cuda.context(device)); }

    /**
     * A tensor over memory JCuda allocated on {@code device} (in its primary context), not copied; see
     * {@link Cuda#wrap(long, long[], long[], DType, Device, Ownership)} for strides and ownership.
     */
    public static Tensor wrap(CUdeviceptr pointer, long[] shape, long[] strides, DType dtype, Device device,
                              Ownership ownership) {
        return Cuda.wrap(JCudaHandles.value(pointer), shape, strides, dtype, device, ownership);
    }

    /** {@link #wrap(CUdeviceptr, long[], long[], DType, Device, Ownership)} for dense row-major memory. */
    public static Tensor wrap(CUdeviceptr pointer, long[] shape, DType dtype, Device device, Ownership ownership) {
        return Cuda.wrap(JCudaHandles.value(pointer), shape, dtype, device, ownership);
    }
}
