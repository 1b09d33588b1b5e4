package io.flambeau.optim;

/**
 * A hyper-parameter outside its valid range (a negative learning rate, a beta outside [0, 1), ...).
 *
 * <pre>{@code
 * try {
 *     new SGD(model.parameters(), -0.1);
 * } catch (InvalidOptionException e) {
 *     System.err.println(e.option() + ": " + e.getMessage());   // lr: ...
 * }
 * }</pre>
 */
public class InvalidOptionException extends OptimizerException {
    private final String option;

    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** PyTorch's name of the offending option: {@code "lr"}, {@code "betas"}, {@code "weight_decay"}, ... */
    public String option() { return option; }
}
