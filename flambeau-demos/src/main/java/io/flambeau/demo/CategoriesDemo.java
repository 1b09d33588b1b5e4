package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.demo.plot.Fonts;
import io.flambeau.demo.plot.RegionMap;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.optim.SGD;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Course section 5.5: ten points of the plane in three categories, one Linear(2, 3) layer giving
 * a score per category, the highest score naming the predicted one. Trained with SGD on the
 * course's hinge error, first plain (δ = 0), then, from the same initial weights, with a margin δ
 * that pushes the boundaries away from the points. The regions the layer predicts over a 200 × 200
 * grid are redrawn as it learns and written as one PNG per error.
 */
final class CategoriesDemo implements Demo {
    /**
     * The ten points, {x, y}, and their categories: three groups that straight boundaries can
     * separate (one linear layer draws nothing else), with a few points placed near the groups'
     * edges so that the plain hinge error leaves them close to a boundary.
     */
    static final float[][] POINTS = {
        {-0.60f, 0.50f}, {-0.30f, 0.75f}, {-0.80f, 0.10f},
        {0.45f, 0.60f}, {0.80f, 0.20f}, {0.20f, 0.25f},
        {-0.45f, -0.45f}, {0.05f, -0.70f}, {0.55f, -0.40f}, {-0.10f, -0.15f},
    };
    static final long[] CATEGORIES = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
    static final double EXTENT = 1;
    static final double DEFAULT_DELTA = 1;
    static final double DEFAULT_LEARNING_RATE = 0.05;
    static final int DEFAULT_ITERATIONS = 200;
    static final int DEFAULT_DRAW_EVERY = 5;
    static final String HINGE_PNG = "categories-hinge.png";
    static final String MARGIN_PNG = "categories-margin.png";
    /** The course pauses 2 s per frame; a fifth of a second is enough to follow the boundaries moving. */
    private static final long FRAME_MILLIS = 200;

    /**
     * What one training run ended with.
     *
     * @param iterations iterations run
     * @param error      the hinge error at the last iteration
     * @param accuracy   fraction of the points in their own category's region
     * @param margin     the smallest, over the points, of own score minus best other score
     */
    record Outcome(int iterations, double error, double accuracy, double margin) {}

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        var options = context.options();
        double delta = options.deltaOr(DEFAULT_DELTA);
        double lr = options.lrOr(DEFAULT_LEARNING_RATE);
        int iterations = options.iterationsOr(DEFAULT_ITERATIONS);
        int drawEvery = options.drawEveryOr(DEFAULT_DRAW_EVERY);
        Transcript t = new Transcript(out);
        LabelledPoints data = LabelledPoints.of(POINTS, CATEGORIES);

        t.section("5.5", "Learning categories: 10 points, 3 categories, one Linear(2, 3) layer");
        t.note("points (x, y -> category): " + describe(data));
        t.note("optimizer SGD, learning rate " + lr + ", all 10 points in every iteration, at most " + iterations
                + " iterations per error; regions redrawn every " + drawEvery);
        t.code("Tensor S = layer.forward(points);   // (10, 3): a score per category for each point");
        t.code("Tensor err = F.marginHinge(S, categories, delta);   // sum of max(0, S[j] - (S[cat] - delta))");
        t.code("Tensor predicted = layer.forward(cells).argmax(2);   // cells (200, 200, 2) -> scores (200, 200, 3) -> (200, 200)");

        Linear layer = new Linear(2, 3);
        Map<String, Tensor> initial = snapshot(layer);
        DecisionGrid grid = new DecisionGrid(-EXTENT, EXTENT, DecisionGrid.SIZE);
        Animation animation = Animation.open(context, "Flambeau: learning categories", FRAME_MILLIS);

        out.println();
        out.println("--- the hinge error, delta = 0: zero as soon as every point is in its own region ---");
        Training training = new Training(context, data, grid, animation, lr, iterations, drawEvery);
        Outcome plain = training.run("hinge", layer, 0, HINGE_PNG);

        out.println();
        out.println(String.format(Locale.ROOT, "--- with a margin, delta = %s: from the same initial weights; the j = cat terms"
                + " add delta per point, so the error bottoms out at 10 x delta = %s ---", delta, 10 * delta));
        layer.loadStateDict(initial);
        Outcome margin = training.run("margin", layer, delta, MARGIN_PNG);

        out.println();
        out.println(String.format(Locale.ROOT, "smallest margin of a point (own score - best other score): %.3f with"
                + " delta = 0, %.3f with delta = %s", plain.margin(), margin.margin(), delta));
        out.println(String.format(Locale.ROOT, "final accuracy: %.0f%% (%d/%d points in their category's region)",
                100 * margin.accuracy(), Math.round(margin.accuracy() * data.size()), data.size()));
        out.println(Fonts.whyNot().isPresent() ? "figures not drawn (no fonts: see above)"
                : "figures written to " + context.outputFile(HINGE_PNG) + " and " + context.outputFile(MARGIN_PNG));
        animation.finish(() -> regions(grid, layer, data, "margin δ = " + delta + " — final"));
    }

    /** What both training runs share: the data, the picture, and the optimizer's settings. */
    private record Training(DemoContext context, LabelledPoints data, DecisionGrid grid, Animation animation, double lr,
            int iterations, int drawEvery) {
        /** Trains {@code layer} on the hinge error with margin {@code delta}, then writes its final regions as a PNG. */
        Outcome run(String label, Linear layer, double delta, String pngName) {
            var out = context.out();
            SGD optimizer = new SGD(layer.parameters(), lr);
            String name = delta == 0 ? "hinge δ = 0" : "margin δ = " + delta;
            // the j = cat terms are max(0, δ) = δ each: with every margin met the error is exactly n·δ, up to rounding
            double floor = delta * data.size() + 1e-5;
            Path png = context.outputFile(pngName);
            Progress progress = new Progress(out, context.terminal(), label, iterations, 10);
            animation.frame(() -> regions(grid, layer, data, name + " — iteration 0"));
            double error = Double.NaN;
            int done = 0;
            // --cuda-graph: the step (zero_grad, forward, hinge, backward, SGD) captured once and replayed
            GraphedSteps graphed = context.options().cudaGraph() ? new GraphedSteps(() -> {
                optimizer.zeroGrad();
                Tensor err = F.marginHinge(layer.forward(data.xy()), data.categories(), delta);
                err.backward();
                optimizer.step();
                return err;
            }, out) : null;
            for (int it = 1; it <= iterations; it++) {
                if (graphed != null) {
                    error = graphed.next().item(); // the error before this step's update, which is made already
                    done = it;
                    progress.update(it, error);
                    if (error <= floor) break;
                } else {
                    optimizer.zeroGrad();
                    Tensor scores = layer.forward(data.xy());
                    Tensor err = F.marginHinge(scores, data.categories(), delta);
                    error = err.item();
                    done = it;
                    progress.update(it, error);
                    if (error <= floor) break; // every point is δ inside its region: the gradient is zero from here on
                    err.backward();
                    optimizer.step();
                }
                if (it % drawEvery == 0) {
                    String title = String.format(Locale.ROOT, "%s — iteration %d — error %.3f", name, it, error);
                    animation.frame(() -> regions(grid, layer, data, title), png);
                }
            }
            progress.finish();
            if (graphed != null) graphed.close();
            double accuracy;
            double margin;
            try (var _ = Torch.noGrad()) {
                Tensor scores = layer.forward(data.xy());
                accuracy = data.accuracy(scores);
                margin = smallestMargin(scores, data);
            }
            out.println(String.format(Locale.ROOT, "%s after %d iterations: error %.4f, accuracy %.0f%%",
                    done < iterations ? "reached the minimum" : "stopped", done, error, 100 * accuracy));
            String title = String.format(Locale.ROOT, "%s — iteration %d — error %.3f", name, done, error);
            regions(grid, layer, data, title).writePng(png);
            return new Outcome(done, error, accuracy, margin);
        }
    }

    /** min over points of S[i, cat] − max over j ≠ cat of S[i, j]: how far the nearest point is from being wrong. */
    static double smallestMargin(Tensor scores, LabelledPoints data) {
        float[] s = scores.toFloatArray();
        int c = (int) scores.size(1);
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < data.size(); i++) {
            int own = data.classIds()[i];
            double bestOther = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) if (j != own) bestOther = Math.max(bestOther, s[i * c + j]);
            smallest = Math.min(smallest, s[i * c + own] - bestOther);
        }
        return smallest;
    }

    private static RegionMap regions(DecisionGrid grid, Linear layer, LabelledPoints data, String title) {
        return grid.regions(layer, data, "Categories: " + title);
    }

    /** A copy of the layer's weights: the state dict's tensors share memory with the layer. */
    private static Map<String, Tensor> snapshot(Linear layer) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        layer.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private static String describe(LabelledPoints data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "(%.2f, %.2f -> %d)", data.x()[i], data.y()[i], data.classIds()[i]));
        }
        return sb.toString();
    }
}
