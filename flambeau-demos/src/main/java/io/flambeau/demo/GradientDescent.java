package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Constant-step gradient descent written out by hand, as in course section 4.4: a forward pass
 * computes the total error, {@code backward()} fills the parameter's gradient, and the update
 * {@code a -= lr * a.grad} runs in a no-grad scope so that it is not itself recorded, after which
 * the gradient is zeroed for the next pass.
 */
public final class GradientDescent {
    /** Told the total error of each iteration, counted from 1, before the update. */
    @FunctionalInterface
    public interface Listener {
        void iteration(int iteration, double loss);
    }

    /**
     * What a run did.
     *
     * @param losses     the total error at the start of each iteration run
     * @param converged  whether the error went below the tolerance
     */
    public record Result(double[] losses, boolean converged) {
        public int iterations() {
            return losses.length;
        }

        public double finalLoss() {
            return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
        }
    }

    private final double learningRate;
    private final int maxIterations;
    private final double tolerance;

    /**
     * @param learningRate  the constant step
     * @param maxIterations the most iterations to run
     * @param tolerance     stop as soon as the total error is below this
     */
    public GradientDescent(double learningRate, int maxIterations, double tolerance) {
        this.learningRate = learningRate;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /**
     * Minimises {@code totalError(a)} by updating {@code a} in place. {@code a} must be a leaf
     * that requires grad; {@code totalError} must return a one-element tensor.
     */
    public Result minimise(Tensor a, UnaryOperator<Tensor> totalError, Listener listener) {
        double[] losses = new double[maxIterations];
        for (int it = 1; it <= maxIterations; it++) {
            Tensor errTot = totalError.apply(a); // forward pass
            double loss = errTot.item();
            losses[it - 1] = loss;
            listener.iteration(it, loss);
            if (loss < tolerance) return new Result(Arrays.copyOf(losses, it), true);
            errTot.backward(); // backward pass: a.grad() now holds d errTot / d a
            try (var _ = Torch.noGrad()) {
                a.sub_(a.grad().mul(learningRate));
                a.grad().zero_(); // backward adds to the gradient: clear it for the next pass
            }
        }
        return new Result(losses, false);
    }
}
