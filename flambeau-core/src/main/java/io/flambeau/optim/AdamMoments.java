package io.flambeau.optim;

import io.flambeau.FusedOptimizerStep;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The moment update shared by {@link Adam} and {@link AdamW} (they differ only in how weight
 * decay enters), in PyTorch 1.13's order of operations, which matters at float32 precision:
 * <pre>
 *   m = beta1 · m + (1 − beta1) · g
 *   v = beta2 · v + (1 − beta2) · g · g
 *   v̂ = max(v̂, v) if amsgrad, else v
 *   denom = √v̂ / √(1 − beta2^t) + eps
 *   p = p − (lr / (1 − beta1^t)) · m / denom
 * </pre>
 */
final class AdamMoments {
    private AdamMoments() {}

    static void apply(Tensor param, Tensor grad, ParamState state, double lr, double[] betas, double eps, boolean amsgrad) {
        double beta1 = betas[0], beta2 = betas[1];
        Tensor expAvg = state.zerosBuffer("exp_avg", param);
        Tensor expAvgSq = state.zerosBuffer("exp_avg_sq", param);
        expAvg.mul_(beta1).add_(grad.mul(1 - beta1));
        expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
        long step = state.step();
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        Tensor second = expAvgSq;
        if (amsgrad) {
            Tensor maxExpAvgSq = state.zerosBuffer("max_exp_avg_sq", param);
            maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
        param.sub_(expAvg.mul(stepSize).div(denom));
    }

    /** The fused update of a batch (Adam, or AdamW when {@code decoupled}). */
    static boolean fused(Optimizer opt, ParamGroup g, List<Parameter> params, List<ParamState> states, boolean decoupled) {
        boolean amsgrad = g.getBoolean("amsgrad");
        List<Runnable> undo = new ArrayList<>();
        List<Tensor[]> buffers = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).tensor();
            ParamState s = states.get(i);
            buffers.add(new Tensor[] {
                    Optimizer.buffer(s, "exp_avg", () -> Torch.zerosLike(p), undo),
                    Optimizer.buffer(s, "exp_avg_sq", () -> Torch.zerosLike(p), undo),
                    amsgrad ? Optimizer.buffer(s, "max_exp_avg_sq", () -> Torch.zerosLike(p), undo) : null});
        }
        double[] betas = g.getDoubles("betas");
        Map<String, Double> options = Map.of("lr", g.lr(), "beta1", betas[0], "beta2", betas[1], "eps", g.getDouble("eps"),
                "weight_decay", g.getDouble("weight_decay"));
        return opt.fused(FusedOptimizerStep.Rule.ADAM, params, states, buffers, undo, options,
                Optimizer.flags(g, List.of("amsgrad", "maximize"), decoupled ? new String[] {"decoupled"} : new String[0]));
    }

    /** PyTorch's checks on Adam-family options. */
    static void validate(Optimizer opt, ParamGroup g) {
        opt.requireNonNegative(g, "lr", "learning rate");
        opt.requireNonNegative(g, "eps", "epsilon value");
        double[] betas = g.getDoubles("betas");
        for (int i = 0; i < 2; i++) {
            if (!(betas[i] >= 0 && betas[i] < 1)) {
                throw new InvalidOptionException("betas", opt.name() + ": Invalid beta parameter at index " + i + ": "
                        + betas[i] + " (must be in [0, 1))");
            }
        }
        opt.requireNonNegative(g, "weight_decay", "weight_decay value");
    }
}
