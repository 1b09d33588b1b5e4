package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.demo.plot.Fonts;
import io.flambeau.demo.plot.LinePlot;
import io.flambeau.demo.plot.RegionMap;
import io.flambeau.optim.Adam;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Course section 5.6: learning the three-arm spiral with two layers, Linear(2, h) + ReLU then
 * Linear(h, 3), in the standard form of 5.4 ({@link SpiralNet}), trained on all 300 points at
 * once with Adam. The loss is the hinge error with margin δ = 1 written as the course's step 5
 * asks, with no loop: the scores of the right categories are picked out by pair indexing
 * {@code S[I, C]}. The decision regions are redrawn every 20 iterations (see {@link Animation}
 * for when that reaches the window and the PNG) and drawn once more at the end.
 */
final class SpiralDemo implements Demo {
    static final int DEFAULT_HIDDEN = 100;
    static final int DEFAULT_ITERATIONS = 500;
    static final double DEFAULT_LEARNING_RATE = 0.01;
    static final int DEFAULT_DRAW_EVERY = 20;
    static final double DELTA = 1;
    /** A loss this small means every margin is met. */
    static final double DONE_BELOW = 1e-4;
    static final String REGIONS_PNG = "spiral-regions.png";
    static final String LOSS_PNG = "spiral-loss.png";
    /** A short pause per redraw in the live window, so that the regions can be seen taking shape. */
    private static final long FRAME_MILLIS = 40;

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        var options = context.options();
        int hidden = options.hiddenOr(DEFAULT_HIDDEN);
        int iterations = options.iterationsOr(DEFAULT_ITERATIONS);
        double lr = options.lrOr(DEFAULT_LEARNING_RATE);
        int drawEvery = options.drawEveryOr(DEFAULT_DRAW_EVERY);
        Transcript t = new Transcript(out);

        LabelledPoints data = SpiralData.make(SpiralData.DEFAULT_PER_CATEGORY);
        long n = data.size();
        t.section("5.6", "Learning the spiral (\"hélice\"): Linear(2, " + hidden + ") + ReLU -> Linear(" + hidden + ", 3)");
        t.note(n + " points in " + SpiralData.CATEGORIES + " arms; Adam, learning rate " + lr + ", all points in every"
                + " iteration, at most " + iterations + " iterations; regions redrawn every " + drawEvery);
        t.code("Tensor I = Torch.arange(0L, n);   // int64 row indices 0 .. n-1");
        t.code("Tensor correct = S.get(I, C).unsqueeze(1);   // S[I, C]: each point's score for its own category");
        t.code("Tensor loss = S.sub(correct.sub(delta)).clampMin(0).sum().sub(n * delta);");

        SpiralNet model = new SpiralNet(hidden, SpiralData.CATEGORIES);
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(lr));
        Tensor rows = Torch.arange(0L, n);
        DecisionGrid grid = new DecisionGrid(-SpiralData.EXTENT, SpiralData.EXTENT, DecisionGrid.SIZE);
        Animation animation = Animation.open(context, "Flambeau: learning the spiral", FRAME_MILLIS);
        Path regionsPng = context.outputFile(REGIONS_PNG);

        long start = System.nanoTime();
        Progress progress = new Progress(out, context.terminal(), "spiral", iterations, 100);
        double[] losses = new double[iterations];
        int done = 0;
        // --cuda-graph: the whole step (zero_grad, forward, loss, backward, Adam) captured once and replayed
        GraphedSteps graphed = options.cudaGraph() ? new GraphedSteps(() -> {
            optimizer.zeroGrad();
            Tensor loss = hingeLoss(model.forward(data.xy()), data.categories(), rows, DELTA);
            loss.backward();
            optimizer.step();
            return loss;
        }, out) : null;
        for (int it = 1; it <= iterations; it++) {
            double value;
            if (graphed != null) {
                value = graphed.next().item(); // the loss before this step's update, which is made already
                losses[it - 1] = value;
                done = it;
                progress.update(it, value);
                if (value < DONE_BELOW) break;
            } else {
                optimizer.zeroGrad();
                Tensor scores = model.forward(data.xy()); // (n, 3)
                Tensor loss = hingeLoss(scores, data.categories(), rows, DELTA);
                value = loss.item();
                losses[it - 1] = value;
                done = it;
                progress.update(it, value);
                // every point at least δ inside its region: the gradient is zero from here on (the bound,
                // not 0, because the n·δ taken out of the sum is matched only up to float rounding)
                if (value < DONE_BELOW) break;
                loss.backward();
                optimizer.step();
            }
            if (it % drawEvery == 0) {
                int iteration = it;
                animation.frame(() -> regions(grid, model, data, iteration, value), regionsPng);
            }
        }
        progress.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean replayed = graphed != null && graphed.replaying();
        if (graphed != null) graphed.close();
        double[] run = Arrays.copyOf(losses, done);

        double accuracy = accuracy(model, data);
        RegionMap last = regions(grid, model, data, done, run[done - 1]);
        last.writePng(regionsPng);
        Path lossPng = context.outputFile(LOSS_PNG);
        LinePlot lossPlot = new LinePlot().title("Spiral, hidden size " + hidden + ": hinge loss (δ = 1) per iteration")
                .xLabel("iteration").yLabel("loss (log)").logY(true).addLine("Adam, lr " + lr, iterationAxis(done), run);
        lossPlot.writePng(lossPng);

        out.println();
        out.println("summary:");
        out.println("  device          " + Torch.defaultDevice());
        out.println("  network         Linear(2, " + hidden + ") + ReLU -> Linear(" + hidden + ", 3), Adam lr " + lr);
        out.println(String.format(Locale.ROOT, "  iterations      %d in %.1f s (%.0f it/s)%s%s", done, seconds, done / seconds,
                done < iterations ? ", stopped early: the loss reached 0" : "", replayed ? ", replayed as a CUDA graph" : ""));
        out.println(String.format(Locale.ROOT, "  final loss      %.4f", run[done - 1]));
        out.println(String.format(Locale.ROOT, "  accuracy        %.1f%% (%d/%d points)", 100 * accuracy,
                Math.round(accuracy * n), n));
        out.println("  figures         " + (Fonts.whyNot().isPresent() ? "not drawn (no fonts: see above)" : regionsPng + ", " + lossPng));
        animation.finish(() -> last);
    }

    /**
     * The course's hinge error with margin δ, vectorised: Σ over points i and categories j ≠ C[i]
     * of max(0, S[i, j] − (S[i, C[i]] − δ)). {@code S[I, C]} takes one element per row, row I[i]
     * and column C[i]: each point's score for its own category. Summed over every j, the j = C[i]
     * terms are max(0, δ) = δ each, a constant with no gradient; it is taken out so that 0 means
     * every point is classified with a margin of at least δ. Equals
     * {@code F.marginHinge(S, C, δ) − n·δ}.
     */
    static Tensor hingeLoss(Tensor scores, Tensor categories, Tensor rows, double delta) {
        Tensor correct = scores.get(rows, categories).unsqueeze(1); // (n) -> (n, 1), broadcast over the 3 columns
        return scores.sub(correct.sub(delta)).clampMin(0).sum().sub(delta * rows.size(0));
    }

    static double accuracy(SpiralNet model, LabelledPoints data) {
        try (var _ = Torch.noGrad()) {
            return data.accuracy(model.forward(data.xy()));
        }
    }

    private static RegionMap regions(DecisionGrid grid, SpiralNet model, LabelledPoints data, int iteration, double loss) {
        return grid.regions(model, data, String.format(Locale.ROOT, "Spiral — iteration %d — loss %.3g — accuracy %.1f%%",
                iteration, loss, 100 * accuracy(model, data)));
    }

    /** 1, 2, ..., n: iterations are counted from 1, as in the progress lines. */
    static double[] iterationAxis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }
}
