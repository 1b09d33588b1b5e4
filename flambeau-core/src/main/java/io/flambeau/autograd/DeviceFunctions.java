package io.flambeau.autograd;

import io.flambeau.core.Device;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Transfer;

/** Device moves that stay in the graph: the gradient travels back to the source device. */
public final class DeviceFunctions {
    private DeviceFunctions() {}

    public static Variable to(Variable a, Device device) {
        RawTensor out = Transfer.to(a.data, device);
        if (out == a.data) return a;
        Device from = a.data.device();
        return Graph.record("ToCopyBackward0", out, g -> new RawTensor[] {Transfer.to(g, from)}, a);
    }
}
