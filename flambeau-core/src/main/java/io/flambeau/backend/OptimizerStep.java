package io.flambeau.backend;

import java.util.List;

/**
 * One optimizer update of many parameters at once (a multi-tensor apply), handed to
 * {@link Backend#fusedOptimizerStep}. Every parameter of the list shares the rule, the
 * hyper-parameters and the step count; each has its gradient and up to three state buffers, all
 * views of the parameter's dtype and element count.
 *
 * <p>The arithmetic is torch.optim's single-tensor algorithm written out by the optimizers of
 * {@code io.flambeau.optim} (their class comments give each formula); a backend that fuses it must
 * perform the very same operations in the same order, scalars rounded to the element type.
 *
 * @param rule    which update
 * @param params  the parameters, updated in place
 * @param grads   their gradients (read only), one per parameter
 * @param state   per parameter, the rule's state buffers in the order {@link Rule} lists (null where unused)
 * @param step    the 1-based step count of every parameter of the list, this update included
 * @param options the rule's hyper-parameters by PyTorch's names ({@code lr}, {@code momentum}, ...)
 * @param flags   the rule's boolean options by PyTorch's names ({@code nesterov}, {@code amsgrad}, ...), plus
 *                {@code first} when SGD's momentum buffers were just created (they then take the gradient)
 *                and {@code decoupled} for AdamW's weight decay
 */
public record OptimizerStep(Rule rule, List<View> params, List<View> grads, List<View[]> state, long step,
                            java.util.Map<String, Double> options, java.util.Set<String> flags) {
    /** The update rules; each lists its state buffers, in order. */
    public enum Rule {
        /** SGD: {@code momentum_buffer} (null without momentum); options lr, momentum, dampening, weight_decay. */
        SGD,
        /** Adagrad: {@code sum}; options lr, lr_decay, weight_decay, eps. */
        ADAGRAD,
        /**
         * RMSprop: {@code square_avg}, {@code grad_avg} (centered), {@code momentum_buffer} (momentum > 0);
         * options lr, alpha, eps, weight_decay, momentum.
         */
        RMSPROP,
        /**
         * Adam and AdamW ({@code decoupled} flag): {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}
         * (amsgrad); options lr, beta1, beta2, eps, weight_decay.
         */
        ADAM
    }

    public OptimizerStep {
        params = List.copyOf(params);
        grads = List.copyOf(grads);
        state = List.copyOf(state);
        options = java.util.Map.copyOf(options);
        flags = java.util.Set.copyOf(flags);
        if (grads.size() != params.size() || state.size() != params.size()) {
            throw new IllegalArgumentException("one gradient and one state row per parameter: " + params.size()
                    + " parameters, " + grads.size() + " gradients, " + state.size() + " state rows");
        }
    }

    /** A hyper-parameter; absent ones are 0. */
    public double option(String name) { return options.getOrDefault(name, 0.0); }

    public boolean flag(String name) { return flags.contains(name); }
}
