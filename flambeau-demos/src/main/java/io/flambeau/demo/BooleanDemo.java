package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.demo.plot.LinePlot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Course section 4.5: learning "!=" by constant-step gradient descent with autograd, first with
 * the total error summed in a Java loop, then vectorised. Both start from a = 0 and follow the
 * same path, so their loss curves coincide; the figure shows both, on a log scale.
 */
final class BooleanDemo implements Demo {
    static final double DEFAULT_LEARNING_RATE = 0.02;
    static final int DEFAULT_ITERATIONS = 100;
    static final double TOLERANCE = 1e-4;
    static final String LOSS_PNG = "boolean-loss.png";
    /** Pause per frame in the live window: a run takes a few dozen iterations, each worth seeing. */
    private static final long FRAME_MILLIS = 60;

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        double lr = context.options().lrOr(DEFAULT_LEARNING_RATE);
        int iterations = context.options().iterationsOr(DEFAULT_ITERATIONS);
        Transcript t = new Transcript(out);
        t.section("4.5", "Learning \"!=\" with f(x, y, a) = min(a * |x - y|, 1)");
        StringBuilder samples = new StringBuilder("samples (x, y -> reference):");
        for (int[] s : NotEqualExercise.SAMPLES) samples.append(String.format("  (%d, %d -> %d)", s[0], s[1], s[2]));
        t.note(samples.toString());
        t.note(String.format(Locale.ROOT, "error (f - reference)^2, learning rate %s, a starts at 0,"
                + " stop when the total error < %.0e (at most %d iterations)", lr, TOLERANCE, iterations));

        NotEqualExercise exercise = new NotEqualExercise();
        Animation window = Animation.open(context, "Flambeau: learning !=", FRAME_MILLIS);
        GradientDescent descent = new GradientDescent(lr, iterations, TOLERANCE);

        out.println();
        out.println("--- loop form: the total error summed over the samples in a Java loop ---");
        t.code("Tensor errTot = Torch.zeros(1);");
        t.code("for (int i = 0; i < 4; i++) errTot.add_(err(f(X.get(i), Y.get(i), a), Ref.get(i)));");
        double[] loopLosses = train(context, "loop", exercise, exercise::totalErrorLoop, descent, iterations, window);

        out.println();
        out.println("--- vectorised form: one expression over the tensors of all samples ---");
        t.code("Tensor errTot = err(Torch.minimum(a.mul(X.sub(Y).abs()), one), Ref).sum();");
        double[] vectorLosses = train(context, "vectorised", exercise, exercise::totalErrorVectorised, descent,
                iterations, window);

        Path png = context.outputFile(LOSS_PNG);
        plotOf(loopLosses, vectorLosses).writePng(png);
        out.println();
        out.println("loss curve written to " + png + (Arrays.equals(loopLosses, vectorLosses)
                ? " (both forms give the same error at every iteration: one curve, the vectorised one dashed over the loop one)"
                : ""));
        window.finish(() -> plotOf(loopLosses, vectorLosses));
    }

    /** One training run from a = 0; returns the loss of every iteration run. */
    private static double[] train(DemoContext context, String label, NotEqualExercise exercise,
            UnaryOperator<Tensor> totalError, GradientDescent descent, int max, Animation window) {
        var out = context.out();
        Tensor a = NotEqualExercise.initialParameter();
        // A line per iteration, as the course prints ErrTot: these runs take a few dozen at most.
        Progress progress = new Progress(out, context.terminal(), label, max, 1);
        double[] seen = new double[max];
        GradientDescent.Result result = descent.minimise(a, totalError, (it, loss) -> {
            progress.update(it, loss);
            seen[it - 1] = loss;
            window.frame(() -> new LinePlot().title(label + " form, iteration " + it).xLabel("iteration")
                    .yLabel("total error").logY(true).addLine(label, Arrays.copyOf(seen, it)));
        });
        progress.finish();
        out.println(String.format(Locale.ROOT, "%s after %d iterations (%.1f it/s): total error %.4e",
                result.converged() ? "converged" : "not converged", result.iterations(), progress.iterationsPerSecond(),
                result.finalLoss()));
        out.println("a = " + a);
        out.println("f on the samples = " + exercise.predictions(a));
        return result.losses();
    }

    private static LinePlot plotOf(double[] loopLosses, double[] vectorLosses) {
        // Both forms compute the same sums, so their curves coincide: the second is dashed over the
        // first, and the legend says so when every value matches.
        boolean same = Arrays.equals(loopLosses, vectorLosses);
        return new LinePlot().title("Learning \"!=\": total error per iteration").xLabel("iteration")
                .yLabel("total error (log)").logY(true)
                .addLine("loop form", iterationAxis(loopLosses.length), loopLosses)
                .addDashedLine(same ? "vectorised form (same values, dashed over the loop form)" : "vectorised form",
                        iterationAxis(vectorLosses.length), vectorLosses);
    }

    /** 1, 2, ..., n: iterations are counted from 1 in the printed progress too. */
    private static double[] iterationAxis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }
}
