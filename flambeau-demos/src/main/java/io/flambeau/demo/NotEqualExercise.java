package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;

/**
 * The exercise of course section 4.5: learn the boolean operator "!=" (1 when x and y differ, 0
 * when equal) with the one-parameter function f(x, y, a) = min(a * |x - y|, 1) and the error
 * (estimate - reference)^2, on four samples. The total error is given in the two forms the course
 * asks for: a Java loop over the samples, and one tensor expression over all of them at once.
 */
public final class NotEqualExercise {
    /** The samples (x, y, reference). */
    public static final int[][] SAMPLES = {{4, 2, 1}, {6, -3, 1}, {1, 1, 0}, {3, 3, 0}};

    private final Tensor x;
    private final Tensor y;
    private final Tensor ref;
    private final Tensor one = Torch.ones(1);

    public NotEqualExercise() {
        float[] xs = new float[SAMPLES.length], ys = new float[SAMPLES.length], refs = new float[SAMPLES.length];
        for (int i = 0; i < SAMPLES.length; i++) {
            xs[i] = SAMPLES[i][0];
            ys[i] = SAMPLES[i][1];
            refs[i] = SAMPLES[i][2];
        }
        x = Torch.tensor(xs);
        y = Torch.tensor(ys);
        ref = Torch.tensor(refs);
    }

    /** The parameter to learn, as the course starts it: one float32 value 0 that requires grad. */
    public static Tensor initialParameter() {
        return Torch.zeros(1).requiresGrad_();
    }

    /** f(x, y, a) = min(a * |x - y|, 1), elementwise with broadcasting. */
    public Tensor f(Tensor x, Tensor y, Tensor a) {
        return Torch.minimum(a.mul(x.sub(y).abs()), one);
    }

    /** Err(estimate, reference) = (estimate - reference)^2. */
    public static Tensor err(Tensor estimate, Tensor reference) {
        return estimate.sub(reference).pow(2);
    }

    /**
     * The total error summed sample by sample: {@code errTot} starts as a plain tensor and picks up
     * {@code requires_grad} from the first error added into it in place.
     */
    public Tensor totalErrorLoop(Tensor a) {
        Tensor errTot = Torch.zeros(1);
        for (int i = 0; i < SAMPLES.length; i++) {
            Tensor estimate = f(x.get(i), y.get(i), a);
            errTot.add_(err(estimate, ref.get(i)));
        }
        return errTot;
    }

    /** The same total error with no loop: f on the tensors of all samples, then one sum. */
    public Tensor totalErrorVectorised(Tensor a) {
        return err(f(x, y, a), ref).sum();
    }

    /** f on the four samples, detached from the graph. */
    public Tensor predictions(Tensor a) {
        return f(x, y, a).detach();
    }
}
