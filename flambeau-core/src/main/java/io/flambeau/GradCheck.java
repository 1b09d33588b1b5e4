package io.flambeau;

import io.flambeau.core.AutogradException;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks autograd's gradients against central finite differences, in float64 (PyTorch's
 * {@code torch.autograd.gradcheck}). The function may return any shape: it is reduced with a
 * fixed random projection, so every output element is checked.
 *
 * <pre>{@code
 * Tensor x = Torch.randn(3, 4).toDouble();
 * GradCheck.Result r = GradCheck.check(xs -> xs.get(0).tanh().sum(), x);
 * if (!r.ok()) throw new AssertionError("gradient off by " + r.maxError() + " at " + r.where());
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** Outcome of one check: the largest error found and where. */
    public record Result(boolean ok, double maxError, String where) {}

    /**
     * Compares analytic and numeric gradients for every element of every floating input.
     * Inputs are converted to float64 copies; {@code eps} is the finite-difference step.
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            Tensor c = t.dtype().isFloating() ? t.detach().to(DType.FLOAT64).clone().requiresGrad_(true) : t;
            xs.add(c);
        }
        Tensor out = f.apply(xs);
        if (!out.dtype().isFloating()) throw new AutogradException("gradcheck: the function must return a floating tensor");
        Tensor projection = Torch.rand(Torch.generator(1234), out.shape().toArray()).to(DType.FLOAT64).to(out.device()).add(0.5);
        out.mul(projection).sum().backward();
        double worst = 0;
        String where = "";
        boolean ok = true;
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            if (!x.dtype().isFloating()) continue;
            double[] analytic = x.grad() == null ? new double[(int) x.numel()] : x.grad().toDoubleArray();
            Tensor flat = x.detach().reshape(-1);
            for (int k = 0; k < x.numel(); k++) {
                double orig = flat.get(k).item();
                double plus, minus;
                try (var g = Torch.noGrad()) {
                    flat.set(k, orig + eps);
                    plus = projected(f, xs, projection);
                    flat.set(k, orig - eps);
                    minus = projected(f, xs, projection);
                    flat.set(k, orig);
                }
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(numeric - analytic[k]);
                if (err > atol + rtol * Math.abs(numeric)) ok = false;
                if (err > worst) {
                    worst = err;
                    where = "input " + i + " element " + k + ": analytic " + analytic[k] + ", numeric " + numeric;
                }
            }
        }
        return new Result(ok, worst, where);
    }

    public static Result check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return check(f, List.of(inputs), 1e-6, 1e-5, 1e-3);
    }

    private static double projected(Function<List<Tensor>, Tensor> f, List<Tensor> xs, Tensor projection) {
        return f.apply(xs).mul(projection).sum().item();
    }
}
