package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.core.Device;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an optimizer remembers about one parameter between steps: the number of updates made and
 * named buffers ({@code "momentum_buffer"}, {@code "exp_avg"}, ... PyTorch's state keys).
 *
 * <pre>{@code
 * opt.step();
 * ParamState s = opt.state(model.parameters().get(0));
 * long steps = s.step();
 * Tensor m = s.get("exp_avg");   // Adam's first moment
 * }</pre>
 */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** Updates made to the parameter so far, the one in progress included. */
    public long step() { return step; }

    void incrementStep() { step++; }

    public boolean has(String name) { return buffers.containsKey(name); }

    /** The buffer, or null. */
    public Tensor get(String name) { return buffers.get(name); }

    /** The buffer, made as zeros shaped like {@code like} (and stored) when it does not exist yet. */
    Tensor zerosBuffer(String name, Tensor like) {
        Tensor b = buffers.get(name);
        if (b == null) {
            b = io.flambeau.Torch.zerosLike(like);
            put(name, b);
        }
        return b;
    }

    /** Stores a buffer; it lives across steps, so it is taken out of any per-step {@code Scope}. */
    public void put(String name, Tensor buffer) {
        io.flambeau.Scope.untrack(buffer);
        buffers.put(name, buffer);
    }

    /** Forgets a buffer (a fused update that the device declined drops the buffers it made). */
    void remove(String name) { buffers.remove(name); }

    public Map<String, Tensor> buffers() { return Collections.unmodifiableMap(buffers); }

    /** Moves the buffers to where the parameter now is (after {@code Module.to}), so updates stay on one device. */
    void follow(Device device) {
        buffers.replaceAll((name, t) -> {
            if (t.device().equals(device)) return t;
            Tensor moved = t.to(device);
            io.flambeau.Scope.untrack(moved);
            return moved;
        });
    }
}
