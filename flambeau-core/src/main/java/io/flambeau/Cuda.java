package io.flambeau;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.Backends;
import io.flambeau.backend.CountedDevice;
import io.flambeau.backend.ExternalMemory;
import io.flambeau.backend.GraphCapture;
import io.flambeau.backend.MemoryPool;
import io.flambeau.backend.Storage;
import io.flambeau.core.CudaGraphException;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.DeviceException;
import io.flambeau.core.Ownership;
import io.flambeau.core.ShapeException;
import io.flambeau.ops.RawTensor;

import java.util.Arrays;

/**
 * CUDA devices from the public API, after PyTorch's {@code torch.cuda}: availability, device count,
 * memory statistics of the caching allocator, and synchronisation.
 *
 * <p>"Allocated" memory is what live tensors hold; "reserved" adds the blocks the allocator keeps
 * cached for reuse instead of returning them to the driver. {@link #emptyCache} returns the cached
 * blocks (it does not free live tensors: use {@link Scope} or {@link Tensor#close()} for that).
 *
 * <p>Asynchrony: every op queues its kernels on the device's one stream and returns at once. The
 * host waits for the device only where it must receive data: {@link Tensor#item()},
 * {@code toArray}-style reads, printing, boolean-mask indexing (whose result size depends on the
 * mask) and {@link #synchronize}. Tensor factories on a device ({@code arange}, {@code full},
 * {@code zeros}, {@code ones}, {@code eye}, random draws) are written there by kernels.
 *
 * <p>Checks that need the data happen in the kernels. An index out of bounds in advanced indexing
 * (reads, writes, their gradients) or a class index out of range in {@code F.marginHinge} is kept
 * in a small device error record (the first violation only); the next synchronisation point
 * listed above reads it and throws the {@link io.flambeau.core.IndexException} the CPU would have
 * thrown at the op (naming the op, the dim, the index and the size), adding that it surfaced at
 * that later synchronisation. The record is then cleared, so the device stays usable. Elements read
 * through a bad index are 0 until then; a write through one is skipped.
 *
 * <p>{@link #counters} counts what a device was asked to do, the way to profile one's own loop.
 *
 * <p>Interop with other CUDA libraries (JCuda, cuDNN bindings, ...): {@link #wrap} makes a tensor
 * over device memory allocated elsewhere without copying; {@link Tensor#dataPtr()},
 * {@link #stream} and {@link #context} hand Flambeau's memory, queue and context to them. Handles are
 * {@code long}s; {@code io.flambeau.backend.cuda.jcuda.JCudaInterop} (artifact {@code flambeau-jcuda})
 * converts them to JCuda's types.
 *
 * <pre>{@code
 * if (Cuda.isAvailable()) {
 *     Tensor x = Torch.randn(1024, 1024).cuda();
 *     Tensor y = x.matmul(x);                 // queued on the device's stream
 *     Cuda.synchronize();                     // wait for it
 *     System.out.println(Cuda.memoryAllocated() + " bytes held by live tensors");
 * }
 * }</pre>
 */
public final class Cuda {
    private Cuda() {}

    /** Whether at least one CUDA device can be used. */
    public static boolean isAvailable() { return deviceCount() > 0; }

    /** Number of usable CUDA devices (0 without a driver, a GPU or a CUDA binding). */
    public static int deviceCount() {
        BackendProvider p = Backends.provider(Device.Kind.CUDA);
        return p == null ? 0 : p.availableDevices().size();
    }

    /** Why no CUDA device can be used ("" when one can). */
    public static String unavailableReason() {
        BackendProvider p = Backends.provider(Device.Kind.CUDA);
        return p == null ? "no CUDA backend on the class path" : p.unavailableReason();
    }

    public static long memoryAllocated(Device device) { return pool(device).memoryAllocated(); }

    public static long memoryReserved(Device device) { return pool(device).memoryReserved(); }

    public static long maxMemoryAllocated(Device device) { return pool(device).maxMemoryAllocated(); }

    public static void resetPeakMemoryStats(Device device) { pool(device).resetPeakMemoryStats(); }

    public static void emptyCache(Device device) { pool(device).emptyCache(); }

    /** Waits until every queued operation of {@code device} has finished. */
    public static void synchronize(Device device) { backend(device).synchronize(); }

    /**
     * What {@code device} has been asked to do since it was opened, counted at the driver boundary
     * (whichever binding or the simulated device is underneath): kernel launches by kernel name, GEMM
     * calls, host↔device copies, host synchronisations, driver allocations. Take a snapshot before
     * and after the code to profile and print their difference:
     * {@code Cuda.counters(d).minus(before)}. The counts are exact, so a test may assert them.
     */
    public static DeviceCounters counters(Device device) {
        if (backend(device) instanceof CountedDevice c) return c.counters();
        throw new DeviceException(device + " does not count its work");
    }

    public static long memoryAllocated() { return memoryAllocated(Device.cuda(0)); }

    public static long memoryReserved() { return memoryReserved(Device.cuda(0)); }

    public static void emptyCache() { emptyCache(Device.cuda(0)); }

    public static void synchronize() { synchronize(Device.cuda(0)); }

    /**
     * Captures the device work of {@code step} as a {@link CudaGraph}, to replay it as one launch.
     * {@code step}'s Java code runs once now; its device work runs at each {@link CudaGraph#replay()}.
     * See {@link CudaGraph} for what a step may do. On the CPU, or on a device that cannot capture,
     * this is a {@link CudaGraphException}.
     */
    public static CudaGraph capture(Device device, Runnable step) {
        if (!device.isCuda()) {
            throw new CudaGraphException("Cuda.capture: CUDA graphs capture work queued on a CUDA device, got " + device
                    + "; on the CPU run the step directly");
        }
        if (!(Backends.of(device) instanceof GraphCapture g)) {
            throw new CudaGraphException("Cuda.capture: " + device + " cannot capture CUDA graphs");
        }
        return new CudaGraph(g.capture(step));
    }

    /**
     * A tensor over device memory that Flambeau did not allocate, without copying it.
     *
     * <p>{@code strides} are in elements (row-major dense is {@code shape[d+1] * strides[d+1]}),
     * non-negative; the memory must hold every element they reach, belong to {@code device}'s
     * primary context (what the runtime API's {@code cudaMalloc} and {@code cuDevicePrimaryCtxRetain}
     * use; a context from {@code cuCtxCreate} is another one) and be aligned to the dtype's size.
     * With {@link Ownership#BORROWED} the caller frees the memory, after the tensor's last use
     * ({@link #synchronize} first: Flambeau's work is asynchronous); with {@link Ownership#OWNED}
     * Flambeau frees it when the tensor is closed or its {@link Scope} ends.
     */
    public static Tensor wrap(long devicePtr, long[] shape, long[] strides, DType dtype, Device device,
                              Ownership ownership) {
        if (shape.length != strides.length) {
            throw new ShapeException("Cuda.wrap: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " have different lengths");
        }
        long extent = 1; // elements from the first to one past the last one the strides reach
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new ShapeException("Cuda.wrap: shape " + Arrays.toString(shape) + " and strides "
                        + Arrays.toString(strides) + " must be non-negative");
            }
            if (shape[d] == 0) empty = true;
        }
        try {
            for (int d = 0; d < shape.length && !empty; d++) {
                extent = Math.addExact(extent, Math.multiplyExact(shape[d] - 1, strides[d]));
            }
            io.flambeau.ops.Shapes.checkedNumel("Cuda.wrap", shape);
            if (!empty) Math.multiplyExact(extent, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new ShapeException("Cuda.wrap: Storage size calculation overflowed with sizes=" + Arrays.toString(shape)
                    + " and strides " + Arrays.toString(strides) + ": the memory they reach does not fit a 64-bit size");
        }
        if (devicePtr == 0) throw new DeviceException("Cuda.wrap: the device pointer is null");
        if (devicePtr % dtype.byteSize() != 0) {
            throw new DeviceException("Cuda.wrap: device pointer 0x" + Long.toHexString(devicePtr) + " is not aligned to "
                    + dtype.byteSize() + " bytes, which " + dtype + " elements need");
        }
        Storage storage = external(device).wrap(devicePtr, dtype, empty ? 0 : extent, ownership);
        return Tensor.of(RawTensor.over(storage, 0, shape, strides));
    }

    /** {@link #wrap} for dense row-major memory. */
    public static Tensor wrap(long devicePtr, long[] shape, DType dtype, Device device, Ownership ownership) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(1, shape[d]);
        }
        return wrap(devicePtr, shape, strides, dtype, device, ownership);
    }

    /**
     * The native stream ({@code CUstream}) all of {@code device}'s work is queued on. Another library
     * that enqueues its work on it runs in order with Flambeau's, without synchronising the host.
     */
    public static long stream(Device device) { return external(device).streamHandle(); }

    /** The native context ({@code CUcontext}) of {@code device}: its primary context. */
    public static long context(Device device) { return external(device).contextHandle(); }

    private static ExternalMemory external(Device device) {
        if (backend(device) instanceof ExternalMemory e) return e;
        throw new DeviceException(device + " cannot share device memory with other libraries");
    }

    private static Backend backend(Device device) {
        if (!device.isCuda()) throw new DeviceException("expected a CUDA device, got " + device);
        return Backends.of(device);
    }

    private static MemoryPool pool(Device device) {
        if (backend(device) instanceof MemoryPool p) return p;
        throw new DeviceException(device + " has no caching allocator to report on");
    }
}
