package io.flambeau.optim;

import io.flambeau.core.FlambeauException;

/** An optimizer set up wrongly: no parameters, a parameter in two groups, an unknown or missing option. */
public class OptimizerException extends FlambeauException {
    public OptimizerException(String message) { super(message); }
}
