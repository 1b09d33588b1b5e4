package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.demo.plot.LinePlot;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adagrad;
import io.flambeau.optim.Adam;
import io.flambeau.optim.Optimizer;
import io.flambeau.optim.RMSprop;
import io.flambeau.optim.SGD;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Course sections 5.1-5.3: the optimizers side by side. One problem, the spiral of 5.6 with a
 * small hidden layer, is trained from the very same initial weights by SGD, SGD with momentum,
 * Adagrad, RMSprop and Adam, for the same number of iterations on all points; their loss curves
 * share one plot (log scale) and a table gives where each ended.
 *
 * <p>The loss is the spiral's hinge error divided by the number of points, a mean rather than a
 * sum, so that the learning rates are the usual ones: plain SGD's step scales with the loss,
 * while the adaptive optimizers divide the scale away.
 */
final class OptimizersDemo implements Demo {
    static final int DEFAULT_HIDDEN = 30;
    static final int DEFAULT_ITERATIONS = 300;
    static final int DEFAULT_DRAW_EVERY = 20;
    static final String LOSS_PNG = "optimizers-loss.png";
    private static final long FRAME_MILLIS = 20;

    /** One optimizer of the comparison: its name, its settings as printed, and how to build it. */
    record Contender(String name, String settings, Function<List<Parameter>, Optimizer> build) {}

    /** Learning rates that suit each method on this problem; SGD is the course's plain gradient step. */
    static final List<Contender> CONTENDERS = List.of(
            new Contender("SGD", "lr 0.2", p -> new SGD(p, SGD.options().lr(0.2))),
            new Contender("SGD + momentum", "lr 0.1, momentum 0.9", p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9))),
            new Contender("Adagrad", "lr 0.1", p -> new Adagrad(p, Adagrad.options().lr(0.1))),
            new Contender("RMSprop", "lr 0.01, alpha 0.99", p -> new RMSprop(p, RMSprop.options().lr(0.01).alpha(0.99))),
            new Contender("Adam", "lr 0.01, betas (0.9, 0.999)", p -> new Adam(p, Adam.options().lr(0.01))));

    /**
     * Where one optimizer's run ended.
     *
     * @param losses   the loss at each iteration, before that iteration's step
     * @param accuracy fraction of the points classified right after the last step
     */
    record Run(Contender contender, double[] losses, double accuracy) {
        double initialLoss() { return losses[0]; }

        double finalLoss() { return losses[losses.length - 1]; }
    }

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        var options = context.options();
        int hidden = options.hiddenOr(DEFAULT_HIDDEN);
        int iterations = options.iterationsOr(DEFAULT_ITERATIONS);
        int drawEvery = options.drawEveryOr(DEFAULT_DRAW_EVERY);
        Transcript t = new Transcript(out);

        LabelledPoints data = SpiralData.make(SpiralData.DEFAULT_PER_CATEGORY);
        SpiralNet model = new SpiralNet(hidden, SpiralData.CATEGORIES);
        Map<String, Tensor> initial = snapshot(model);
        t.section("5.1-5.3", "Optimizers compared: SGD, SGD + momentum, Adagrad, RMSprop, Adam");
        t.note("problem: the spiral of 5.6 (" + data.size() + " points), Linear(2, " + hidden + ") + ReLU -> Linear("
                + hidden + ", 3), hinge loss with delta = 1 averaged over the points, " + iterations + " iterations each");
        t.note("every optimizer starts from the same initial weights: model.loadStateDict(initial)");
        t.code("optimizer.zeroGrad();  loss = hingeLoss(model.forward(X), C).div(n);  loss.backward();  optimizer.step();");

        Animation animation = Animation.open(context, "Flambeau: optimizers compared", FRAME_MILLIS);
        Path png = context.outputFile(LOSS_PNG);
        Tensor rows = Torch.arange(0L, data.size());
        List<Run> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (Contender c : CONTENDERS) {
            out.println();
            out.println("--- " + c.name() + " (" + c.settings() + ") ---");
            model.loadStateDict(initial);
            Optimizer optimizer = c.build().apply(model.parameters());
            Progress progress = new Progress(out, context.terminal(), c.name(), iterations, 100);
            double[] losses = new double[iterations];
            for (int it = 1; it <= iterations; it++) {
                optimizer.zeroGrad();
                Tensor loss = SpiralDemo.hingeLoss(model.forward(data.xy()), data.categories(), rows, 1).div(data.size());
                losses[it - 1] = loss.item();
                progress.update(it, losses[it - 1]);
                loss.backward();
                optimizer.step();
                if (it % drawEvery == 0) {
                    int seen = it;
                    animation.frame(() -> lossPlot(runs, c, Arrays.copyOf(losses, seen)), png);
                }
            }
            progress.finish();
            runs.add(new Run(c, losses, SpiralDemo.accuracy(model, data)));
        }

        LinePlot plot = lossPlot(runs, null, null);
        plot.writePng(png);
        out.println();
        // no time per optimizer: the first run also pays for the JVM compiling the training loop
        out.println(table(runs));
        out.println(String.format(Locale.ROOT, "%d optimizers x %d iterations in %.1f s", runs.size(), iterations,
                (System.nanoTime() - start) / 1e9));
        out.println("loss curves written to " + png);
        animation.finish(() -> plot);
    }

    /** The finished runs' curves, plus the one under way (when {@code current} is not null). */
    private static LinePlot lossPlot(List<Run> runs, Contender current, double[] currentLosses) {
        LinePlot plot = new LinePlot().title("Optimizers on the spiral: mean hinge loss per iteration")
                .xLabel("iteration").yLabel("loss (log)").logY(true);
        for (Run r : runs) plot.addLine(r.contender().name(), SpiralDemo.iterationAxis(r.losses().length), r.losses());
        if (current != null) plot.addLine(current.name(), SpiralDemo.iterationAxis(currentLosses.length), currentLosses);
        return plot;
    }

    static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        String format = "%-16s %-28s %12s %12s %9s%n";
        sb.append(String.format(Locale.ROOT, format, "optimizer", "settings", "first loss", "final loss", "accuracy"));
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, format, r.contender().name(), r.contender().settings(),
                    String.format(Locale.ROOT, "%.4f", r.initialLoss()), String.format(Locale.ROOT, "%.4f", r.finalLoss()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * r.accuracy())));
        }
        return sb.toString().stripTrailing();
    }

    /** A copy of the weights: the state dict's tensors share memory with the model. */
    private static Map<String, Tensor> snapshot(SpiralNet model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
