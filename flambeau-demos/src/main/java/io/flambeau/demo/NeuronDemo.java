package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.demo.plot.LinePlot;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Course sections 3.5-3.7: the output of one neuron followed by ReLU, y = max(0, a·x + b), over
 * 50 inputs sampled in [-2, 2]; first one input at a time as the course's loop does, then all 50
 * at once as a (50, 1) batch. Then the exercise: 3 hidden neurons + ReLU feeding 1 output neuron,
 * still batched, whose output is piecewise linear with at most one kink per hidden neuron.
 */
final class NeuronDemo implements Demo {
    static final int SAMPLES = 50;
    static final double X_MIN = -2;
    static final double X_MAX = 2;
    static final int HIDDEN = 3;
    static final String NEURON_PNG = "neuron-relu.png";
    static final String NETWORK_PNG = "neuron-3-hidden.png";
    /** Palette index of the output bias's line: grey, apart from the shares' colours. */
    private static final int GREY = 7;

    /**
     * The two networks of the section, made in this order from the seeded generator, and their
     * outputs over the sampled inputs.
     *
     * @param x        the 50 inputs
     * @param neuron   the Linear(1, 1) of 3.5
     * @param neuronY  ReLU(neuron(x)) for each input
     * @param hidden   the exercise's first layer, Linear(1, 3)
     * @param output   the exercise's second layer, Linear(3, 1)
     * @param networkY output(ReLU(hidden(x))) for each input
     */
    record Curves(double[] x, Linear neuron, double[] neuronY, Linear hidden, Linear output, double[] networkY) {}

    /** Builds both networks and runs each once on the (50, 1) batch of inputs. */
    static Curves compute() {
        Tensor x = Torch.linspace(X_MIN, X_MAX, SAMPLES).reshape(SAMPLES, 1);
        Linear neuron = new Linear(1, 1);
        ReLU activ = new ReLU();
        Tensor neuronY = activ.forward(neuron.forward(x)); // (50, 1): the layer handles the batch itself
        Linear hidden = new Linear(1, HIDDEN);
        Linear output = new Linear(HIDDEN, 1);
        Tensor networkY = output.forward(F.relu(hidden.forward(x))); // (50, 3) between the layers
        return new Curves(x.toDoubleArray(), neuron, neuronY.detach().toDoubleArray(), hidden, output,
                networkY.detach().toDoubleArray());
    }

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        Transcript t = new Transcript(out);
        Curves c = compute();

        t.section("3.5", "One neuron + ReLU over linspace(-2, 2, 50)");
        t.code("Tensor x = Torch.linspace(-2, 2, 50).reshape(50, 1);   // a batch of 50 inputs of size 1");
        t.show("Linear layer = new Linear(1, 1);  println(layer.weight());", c.neuron().weight());
        t.show("println(layer.bias());", c.neuron().bias());
        t.note("the loop form calls the layer on one (1) tensor per input, as the course's first version does");
        t.code("for (double v : xs) ys.add(activ.forward(layer.forward(Torch.tensor(new float[] {(float) v}))).item());");
        double[] loopY = loopForm(c.neuron(), c.x());
        t.note("the batched form is one call on the (50, 1) tensor: Linear maps (k, n) to (k, m)");
        t.code("Tensor y = activ.forward(layer.forward(x));   // shape (50, 1)");
        out.println("loop and batched forms give the same 50 values: " + sameValues(loopY, c.neuronY()));
        out.println(samples(c.x(), c.neuronY()));
        LinePlot neuronPlot = neuronPlot(c);
        Path neuronPng = context.outputFile(NEURON_PNG);
        neuronPlot.writePng(neuronPng);
        out.println("curve written to " + neuronPng);
        Animation.open(context, "Flambeau: a neuron + ReLU", 0).finish(() -> neuronPlot);

        t.section("3.7", "Exercise: 3 hidden neurons + ReLU, then 1 output neuron, batched");
        t.code("Linear hidden = new Linear(1, 3), output = new Linear(3, 1);");
        t.code("Tensor y = output.forward(F.relu(hidden.forward(x)));");
        t.show("println(hidden.weight());", c.hidden().weight());
        t.show("println(hidden.bias());", c.hidden().bias());
        t.show("println(output.weight());", c.output().weight());
        t.show("println(output.bias());", c.output().bias());
        t.note("the second layer's input, F.relu(hidden.forward(x)), has shape (50, 3): one row of 3 hidden outputs per input");
        out.println(kinks(c.hidden()));
        out.println(String.format(Locale.ROOT, "the output is the sum of the 3 shares w2k * ReLU(w1k * x + b1k) plus the"
                + " output bias b2 = %.4f", c.output().bias().tensor().toFloatArray()[0]));
        out.println(samples(c.x(), c.networkY()));
        LinePlot networkPlot = networkPlot(c);
        Path networkPng = context.outputFile(NETWORK_PNG);
        networkPlot.writePng(networkPng);
        out.println("curve written to " + networkPng);
        Animation.open(context, "Flambeau: 3 hidden neurons + ReLU", 0).finish(() -> networkPlot);
    }

    /** The course's first version: the layer called once per input, on a tensor of size 1. */
    static double[] loopForm(Linear layer, double[] xs) {
        ReLU activ = new ReLU();
        double[] ys = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Tensor input = Torch.tensor(new float[] {(float) xs[i]});
            ys[i] = activ.forward(layer.forward(input)).item();
        }
        return ys;
    }

    private static boolean sameValues(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            // a GPU matmul may round the batch differently from 50 single products
            if (Math.abs(a[i] - b[i]) > 1e-5 * (1 + Math.abs(a[i]))) return false;
        }
        return a.length == b.length;
    }

    /** The first, middle and last sample, so the printed run can be checked against the picture. */
    private static String samples(double[] x, double[] y) {
        int mid = x.length / 2;
        return String.format(Locale.ROOT, "y(%.4f) = %.4f, y(%.4f) = %.4f, y(%.4f) = %.4f",
                x[0], y[0], x[mid], y[mid], x[x.length - 1], y[y.length - 1]);
    }

    /** Where each hidden neuron's ReLU switches on or off: a·x + b = 0, i.e. x = -b / a. */
    private static String kinks(Linear hidden) {
        float[] a = hidden.weight().tensor().toFloatArray();
        float[] b = hidden.bias().tensor().toFloatArray();
        StringBuilder sb = new StringBuilder("kinks of the hidden neurons at x =");
        List<Double> inside = new ArrayList<>();
        for (int k = 0; k < a.length; k++) {
            double at = -b[k] / (double) a[k];
            sb.append(String.format(Locale.ROOT, " %.3f", at));
            if (at > X_MIN && at < X_MAX) inside.add(at);
        }
        sb.append(String.format(Locale.ROOT, " (%d inside [%s, %s], so the curve has %d kink%s there)",
                inside.size(), (int) X_MIN, (int) X_MAX, inside.size(), inside.size() == 1 ? "" : "s"));
        // Kinks closer than the sample spacing look like one in the picture: say so rather than
        // let the reader count fewer kinks than the text promises.
        Collections.sort(inside);
        double spacing = (X_MAX - X_MIN) / (SAMPLES - 1);
        for (int i = 1; i < inside.size(); i++) {
            double gap = inside.get(i) - inside.get(i - 1);
            if (gap < spacing) {
                sb.append(String.format(Locale.ROOT, "%n  the kinks at %.3f and %.3f are %.3f apart, closer than the samples"
                        + " (%.3f): the picture shows them as one; another --seed draws other weights",
                        inside.get(i - 1), inside.get(i), gap, spacing));
            }
        }
        return sb.toString();
    }

    private static LinePlot neuronPlot(Curves c) {
        float a = c.neuron().weight().tensor().toFloatArray()[0];
        float b = c.neuron().bias().tensor().toFloatArray()[0];
        return new LinePlot()
                .title(String.format(Locale.ROOT, "One neuron + ReLU: y = max(0, %.3f·x %s %.3f)", a, b < 0 ? "−" : "+",
                        Math.abs(b)))
                .xLabel("x").yLabel("y").xRange(X_MIN, X_MAX)
                .addLine("ReLU(layer(x))", c.x(), c.neuronY(), 0)
                // the course plots the samples as dots: mark them on the line
                .addPoints(null, c.x(), c.neuronY(), 0);
    }

    /** The network's output, and each hidden neuron's share of it, w₂ₖ · ReLU(w₁ₖ·x + b₁ₖ). */
    private static LinePlot networkPlot(Curves c) {
        float[] w1 = c.hidden().weight().tensor().toFloatArray();
        float[] b1 = c.hidden().bias().tensor().toFloatArray();
        float[] w2 = c.output().weight().tensor().toFloatArray();
        float b2 = c.output().bias().tensor().toFloatArray()[0];
        LinePlot plot = new LinePlot().title("3 hidden neurons + ReLU → 1 output neuron")
                .xLabel("x").yLabel("y").xRange(X_MIN, X_MAX);
        for (int k = 0; k < HIDDEN; k++) {
            double[] share = new double[c.x().length];
            for (int i = 0; i < share.length; i++) share[i] = w2[k] * Math.max(0, w1[k] * c.x()[i] + b1[k]);
            plot.addLine("share of hidden neuron " + (k + 1), c.x(), share, k + 1);
        }
        // The output neuron adds its bias to the shares: drawn too, so that the curves add up.
        double[] xEnds = {X_MIN, X_MAX};
        plot.addDashedLine(String.format(Locale.ROOT, "output bias b₂ = %.3f", b2), xEnds, new double[] {b2, b2}, GREY);
        return plot.addLine("network output = shares + b₂", c.x(), c.networkY(), 0)
                .addPoints(null, c.x(), c.networkY(), 0);
    }
}
