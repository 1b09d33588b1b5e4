package io.flambeau.backend;

import io.flambeau.core.Device;

import java.util.List;

/**
 * How a backend makes itself known: found through {@link java.util.ServiceLoader}, so the
 * layers above never name a concrete backend.
 */
public interface BackendProvider {
    /** The device kind this provider serves. */
    Device.Kind kind();

    /** The devices it can use now (empty when, say, no driver is present). */
    List<Device> availableDevices();

    /** Why no device is available, for the log line and error messages; empty when some are. */
    String unavailableReason();

    /**
     * What a user should know although devices are available, for the same log line (for CUDA:
     * cuBLAS not found, matrix products use the PTX GEMM); empty when nothing.
     */
    default String availabilityNote() { return ""; }

    /** The backend for one of {@link #availableDevices()}. */
    Backend backend(Device device);
}
