package io.flambeau.backend.cpu;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.core.Device;

import java.util.List;

/** Makes the CPU backend known to {@link io.flambeau.backend.Backends}. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public Device.Kind kind() { return Device.Kind.CPU; }

    @Override
    public List<Device> availableDevices() { return List.of(Device.CPU); }

    @Override
    public String unavailableReason() { return ""; }

    @Override
    public Backend backend(Device device) { return CpuBackend.INSTANCE; }
}
