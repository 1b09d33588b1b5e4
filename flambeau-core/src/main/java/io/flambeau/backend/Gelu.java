package io.flambeau.backend;

import static io.flambeau.backend.Derivative.add;
import static io.flambeau.backend.Derivative.mul;
import static io.flambeau.backend.Derivative.rsub;
import static io.flambeau.backend.Derivative.self;
import static io.flambeau.backend.Derivative.erf;
import static io.flambeau.backend.Derivative.exp;
import static io.flambeau.backend.Derivative.tanh;

/**
 * GELU in both of PyTorch's forms, as its CPU kernel writes them ({@code GeluKernel.cpp}): the
 * values and the slopes the gradient formulas of {@link UnaryOp#GELU} and {@link UnaryOp#GELU_TANH}
 * multiply the incoming gradient by.
 */
final class Gelu {
    private Gelu() {}

    static final double SQRT1_2 = 0.70710678118654752440;
    static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
    /** 1/sqrt(2 pi), the standard normal density at 0. */
    static final double INV_SQRT_2PI = TWO_OVER_SQRT_PI * SQRT1_2 * 0.5;
    /** sqrt(2/pi), the tanh form's scale. */
    static final double TANH_BETA = 1.41421356237309504880 * TWO_OVER_SQRT_PI * 0.5;
    static final double TANH_KAPPA = 0.044715;

    /** {@code x/2 (1 + erf(x/sqrt 2))}. */
    static double exact(double x) {
        return x * 0.5 * (1 + Erf.erf(x * SQRT1_2));
    }

    /** {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    static double tanhApproximation(double x) {
        double inner = TANH_BETA * (x + TANH_KAPPA * (x * x * x));
        return 0.5 * x * (1 + Math.tanh(inner));
    }

    /** {@code Phi(x) + x phi(x)}: the standard normal distribution plus x times its density. */
    static Derivative exactSlope() {
        Derivative cdf = mul(add(erf(mul(self(), SQRT1_2)), 1.0), 0.5);
        Derivative pdf = mul(exp(mul(mul(self(), self()), -0.5)), INV_SQRT_2PI);
        return add(cdf, mul(self(), pdf));
    }

    /** {@code (1 + t)/2 + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 0.044715 x^2)}, t the tanh of the forward. */
    static Derivative tanhSlope() {
        Derivative x2 = mul(self(), self());
        Derivative inner = mul(add(self(), mul(mul(x2, self()), TANH_KAPPA)), TANH_BETA);
        Derivative t = tanh(inner);
        Derivative left = mul(add(t, 1.0), 0.5);
        Derivative slope = mul(mul(rsub(1, mul(t, t)), TANH_BETA), add(mul(x2, 3 * TANH_KAPPA), 1.0));
        return add(left, mul(mul(self(), 0.5), slope));
    }
}
