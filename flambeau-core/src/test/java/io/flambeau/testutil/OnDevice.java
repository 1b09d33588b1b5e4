package io.flambeau.testutil;

import io.flambeau.DeviceSelection;
import io.flambeau.core.Device;

import java.util.function.Supplier;

/**
 * Runs a piece of a test with another default device. Test classes share one JVM, so the
 * previous default is always put back.
 */
public final class OnDevice {
    private OnDevice() {}

    /** {@code body}'s result, computed with {@code device} as the default device. */
    public static <T> T call(Device device, Supplier<T> body) {
        Device previous = DeviceSelection.defaultDevice();
        DeviceSelection.setDefaultDevice(device);
        try {
            return body.get();
        } finally {
            DeviceSelection.setDefaultDevice(previous);
        }
    }
}
