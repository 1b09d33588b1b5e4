package io.flambeau.backend.cuda;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes CUDA devices known to {@link io.flambeau.backend.Backends}. On first use it asks
 * {@link CudaAvailability} for a binding to the driver (a {@code CudaApiFactory} service) with a
 * device; when there is none, {@link #unavailableReason()} is the binding's reason line (no driver,
 * driver too old, no device); when there is, {@link #availabilityNote()} says whether matrix
 * products fall back to the PTX GEMM. One {@link CudaBackend} per device, made on demand.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** What probing found: the API and device count, or why there is none. */
    private record Probe(CudaApi api, int devices, String reason, String note) {}

    private volatile Probe probe;
    private final ConcurrentHashMap<Integer, CudaBackend> backends = new ConcurrentHashMap<>();

    @Override
    public Device.Kind kind() { return Device.Kind.CUDA; }

    @Override
    public List<Device> availableDevices() {
        Probe p = probe();
        List<Device> list = new ArrayList<>();
        for (int i = 0; i < p.devices; i++) list.add(Device.cuda(i));
        return List.copyOf(list);
    }

    @Override
    public String unavailableReason() { return probe().reason; }

    @Override
    public String availabilityNote() { return probe().note; }

    @Override
    public Backend backend(Device device) {
        Probe p = probe();
        if (!device.isCuda() || device.index() >= p.devices) {
            throw new DeviceException("device " + device + " cannot be used: "
                    + (p.devices == 0 ? p.reason : "only " + p.devices + " CUDA device(s) found"));
        }
        return backends.computeIfAbsent(device.index(), i -> new CudaBackend(p.api, i));
    }

    private Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (this) {
                if (probe == null) probe = find();
                p = probe;
            }
        }
        return p;
    }

    /** The bindings' own availability check: its reason line when CUDA is unusable, its note when usable. */
    private static Probe find() {
        CudaAvailability a = CudaAvailability.probe();
        return a.usable() ? new Probe(a.api(), a.deviceCount(), "", a.note()) : new Probe(null, 0, a.reasonLine(), "");
    }
}
