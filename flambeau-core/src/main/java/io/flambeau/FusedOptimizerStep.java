package io.flambeau;

import io.flambeau.backend.Backend;
import io.flambeau.backend.Backends;
import io.flambeau.backend.OptimizerStep;
import io.flambeau.backend.View;
import io.flambeau.core.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optimizer updates of many parameters in one call, for the optimizers of {@code io.flambeau.optim}:
 * a device that fuses them (CUDA: one kernel launch per group of parameters, a multi-tensor apply)
 * performs the update; other devices decline and the optimizer runs its per-tensor update through
 * the ordinary ops. Both compute the same values, operation for operation.
 *
 * <pre>{@code
 * // what Optimizer.step() does for a group on one device, by hand:
 * boolean done = FusedOptimizerStep.available(device)
 *         && FusedOptimizerStep.apply(device, FusedOptimizerStep.Rule.SGD, params, grads, state,
 *                 step, Map.of("lr", 0.1, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0), Set.of());
 * // false: update each parameter with ordinary ops instead
 * }</pre>
 */
public final class FusedOptimizerStep {
    private FusedOptimizerStep() {}

    /** The update rules (see {@code OptimizerStep.Rule} for each rule's state buffers and options). */
    public enum Rule { SGD, ADAGRAD, RMSPROP, ADAM }

    /** Whether {@code device} fuses optimizer updates at all. */
    public static boolean available(Device device) {
        return Backends.of(device).fusesOptimizerSteps();
    }

    /**
     * Updates {@code params} in place, with their gradients and state buffers (per parameter, in the
     * rule's order, null where unused), all on {@code device} and sharing one step count. Returns
     * false, having changed nothing, when the device cannot fuse this update.
     */
    public static boolean apply(Device device, Rule rule, List<Tensor> params, List<Tensor> grads, List<Tensor[]> state,
                                long step, Map<String, Double> options, Set<String> flags) {
        Backend backend = Backends.of(device);
        if (!backend.fusesOptimizerSteps()) return false;
        List<View> p = new ArrayList<>(), g = new ArrayList<>();
        List<View[]> s = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).device().equals(device) || !grads.get(i).device().equals(device)) return false;
            p.add(view(params.get(i)));
            g.add(view(grads.get(i)));
            Tensor[] row = state.get(i);
            View[] v = new View[row.length];
            for (int k = 0; k < row.length; k++) {
                if (row[k] != null && !row[k].device().equals(device)) return false;
                v[k] = row[k] == null ? null : view(row[k]);
            }
            s.add(v);
        }
        boolean done = backend.fusedOptimizerStep(new OptimizerStep(OptimizerStep.Rule.valueOf(rule.name()), p, g, s, step,
                options, flags));
        if (done) {
            // written in place: saved copies of them are stale now, as after add_/mul_
            for (int i = 0; i < params.size(); i++) {
                params.get(i).variable().data.storage.bumpVersion();
                for (Tensor t : state.get(i)) if (t != null) t.variable().data.storage.bumpVersion();
            }
        }
        return done;
    }

    private static View view(Tensor t) { return t.variable().data.view(); }
}
