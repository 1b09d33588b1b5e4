package io.flambeau.ops;

import io.flambeau.backend.Backends;
import io.flambeau.core.Device;

/** Moves tensors between devices through host memory. */
public final class Transfer {
    private Transfer() {}

    /** A dense copy of {@code x} on {@code device} ({@code x} itself when already there). */
    public static RawTensor to(RawTensor x, Device device) {
        if (x.device().equals(device)) return x;
        Backends.of(device); // fails early, naming the device, when it cannot be used
        return RawTensor.fromHost(x.toHost(), x.shape, device);
    }
}
