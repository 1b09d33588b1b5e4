package io.flambeau.optim;

import io.flambeau.core.FlambeauException;

/**
 * An optimizer set up wrongly: no parameters, a parameter in two groups, an unknown or missing option.
 *
 * <pre>{@code
 * try {
 *     new SGD(List.of(), 0.1);   // no parameters
 * } catch (OptimizerException e) {
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public class OptimizerException extends FlambeauException {
    public OptimizerException(String message) { super(message); }
}
