package io.flambeau;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.Backends;
import io.flambeau.backend.MemoryPool;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

/**
 * CUDA devices from the public API, after PyTorch's {@code torch.cuda}: availability, device count,
 * memory statistics of the caching allocator, and synchronisation.
 *
 * <p>"Allocated" memory is what live tensors hold; "reserved" adds the blocks the allocator keeps
 * cached for reuse instead of returning them to the driver. {@link #emptyCache} returns the cached
 * blocks (it does not free live tensors: use {@link Scope} or {@link Tensor#close()} for that).
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

    public static long memoryAllocated() { return memoryAllocated(Device.cuda(0)); }

    public static long memoryReserved() { return memoryReserved(Device.cuda(0)); }

    public static void emptyCache() { emptyCache(Device.cuda(0)); }

    public static void synchronize() { synchronize(Device.cuda(0)); }

    private static Backend backend(Device device) {
        if (!device.isCuda()) throw new DeviceException("expected a CUDA device, got " + device);
        return Backends.of(device);
    }

    private static MemoryPool pool(Device device) {
        if (backend(device) instanceof MemoryPool p) return p;
        throw new DeviceException(device + " has no caching allocator to report on");
    }
}
