package io.flambeau.backend.cuda;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes CUDA devices known to {@link io.flambeau.backend.Backends}. On first use it looks for a
 * {@link CudaApiFactory} (a binding to the driver), initialises it and counts the devices; when
 * that fails at any point, no device is available and {@link #unavailableReason()} says why
 * (every binding tried, with its own reason). One {@link CudaBackend} per device, made on demand.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** What probing found: the API and device count, or why there is none. */
    private record Probe(CudaApi api, int devices, String reason) {}

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

    private static Probe find() {
        List<CudaApiFactory> factories = new ArrayList<>();
        try {
            ServiceLoader.load(CudaApiFactory.class).forEach(factories::add);
        } catch (java.util.ServiceConfigurationError e) {
            return new Probe(null, 0, "no CUDA binding available: " + e.getMessage());
        }
        if (factories.isEmpty()) {
            return new Probe(null, 0, "no CUDA binding available (no " + CudaApiFactory.class.getName() + " on the class path)");
        }
        String chosen = System.getProperty("flambeau.cuda.binding");
        if (chosen != null && !chosen.isBlank()) {
            factories.removeIf(f -> !f.name().equalsIgnoreCase(chosen.trim()));
            if (factories.isEmpty()) {
                return new Probe(null, 0, "flambeau.cuda.binding=" + chosen + " names no CUDA binding on the class path");
            }
        }
        factories.sort(Comparator.comparingInt(CudaApiFactory::priority));
        List<String> reasons = new ArrayList<>();
        for (CudaApiFactory f : factories) {
            try {
                CudaApi api = f.create();
                api.init();
                int n = api.deviceCount();
                if (n > 0) return new Probe(api, n, "");
                reasons.add(f.name() + ": the driver reports no CUDA device");
            } catch (RuntimeException | LinkageError e) {
                reasons.add(f.name() + ": " + e.getMessage());
            }
        }
        return new Probe(null, 0, "no usable CUDA binding (" + String.join("; ", reasons) + ")");
    }
}
