package io.flambeau.backend;

import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Registry of backends by device, filled from {@link BackendProvider} services. */
public final class Backends {
    private static final List<BackendProvider> PROVIDERS = load();
    private static final ConcurrentHashMap<Device, Backend> CACHE = new ConcurrentHashMap<>();

    private Backends() {}

    private static List<BackendProvider> load() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        return List.copyOf(list);
    }

    public static List<BackendProvider> providers() { return PROVIDERS; }

    public static BackendProvider provider(Device.Kind kind) {
        for (BackendProvider p : PROVIDERS) if (p.kind() == kind) return p;
        return null;
    }

    /** The backend that owns {@code device}; a clear error when it cannot be used. */
    public static Backend of(Device device) {
        Backend b = CACHE.get(device);
        if (b != null) return b;
        return CACHE.computeIfAbsent(device, Backends::create);
    }

    /** Installs a backend for a device explicitly (tests use it to put a simulated GPU behind cuda:N). */
    public static void register(Device device, Backend backend) {
        CACHE.put(device, backend);
    }

    /** Forgets an explicitly registered backend. */
    public static void unregister(Device device) {
        CACHE.remove(device);
    }

    private static Backend create(Device device) {
        BackendProvider p = provider(device.kind());
        if (p == null) {
            throw new DeviceException("no backend for device " + device + " is on the class path");
        }
        if (!p.availableDevices().contains(device)) {
            // devices of this kind that do work (found by the provider, or installed explicitly):
            // when there are some, the device asked for simply does not exist — the provider's
            // reason (no driver, say) would contradict the working ones
            List<Device> working = new ArrayList<>(p.availableDevices());
            for (Device d : CACHE.keySet()) if (d.kind() == device.kind() && !working.contains(d)) working.add(d);
            working.sort(java.util.Comparator.comparing(Device::toString));
            String why = working.isEmpty() ? p.unavailableReason() : "there is no such device";
            throw new DeviceException("device " + device + " cannot be used"
                    + (why.isEmpty() ? "" : ": " + why)
                    + "; available devices: " + working + " (use cpu, or check with the doctor command)");
        }
        return p.backend(device);
    }
}
