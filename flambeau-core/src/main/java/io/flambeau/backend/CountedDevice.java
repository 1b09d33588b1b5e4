package io.flambeau.backend;

import io.flambeau.core.DeviceCounters;

/**
 * A backend that counts the work it hands its device (the CUDA backend, at the driver boundary).
 * The public {@code Cuda} facade reads the counts without naming a concrete backend.
 */
public interface CountedDevice {
    /** The counts since the device was opened, as an immutable snapshot. */
    DeviceCounters counters();
}
