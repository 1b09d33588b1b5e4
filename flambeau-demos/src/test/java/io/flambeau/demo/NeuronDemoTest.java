package io.flambeau.demo;

import io.flambeau.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NeuronDemoTest {
    @TempDir
    Path dir;

    @Test
    void runsHeadlessAndWritesBothCurves() throws Exception {
        DemoRun.of("neuron", dir).assertSucceeded().assertPrinted("=== 3.5 ", "=== 3.7 ",
                "Parameter containing:\ntensor([[", "loop and batched forms give the same 50 values: true",
                "has shape (50, 3)", "kinks of the hidden neurons at x =", "curve written to");
        assertEquals(800, DemoRun.png(dir.resolve(NeuronDemo.NEURON_PNG)).getWidth());
        assertEquals(800, DemoRun.png(dir.resolve(NeuronDemo.NETWORK_PNG)).getWidth());
    }

    @Test
    void curvesAreTheLayersOutputsComputedByHand() {
        Torch.manualSeed(3);
        NeuronDemo.Curves c = NeuronDemo.compute();
        assertEquals(NeuronDemo.SAMPLES, c.x().length);
        assertEquals(-2, c.x()[0], 1e-6);
        assertEquals(2, c.x()[NeuronDemo.SAMPLES - 1], 1e-6);
        assertEquals(4.0 / 49, c.x()[1] - c.x()[0], 1e-6);

        float a = c.neuron().weight().tensor().toFloatArray()[0];
        float b = c.neuron().bias().tensor().toFloatArray()[0];
        float[] w1 = c.hidden().weight().tensor().toFloatArray(); // (3, 1)
        float[] b1 = c.hidden().bias().tensor().toFloatArray();
        float[] w2 = c.output().weight().tensor().toFloatArray(); // (1, 3)
        float b2 = c.output().bias().tensor().toFloatArray()[0];
        double[] neuron = new double[c.x().length];
        double[] network = new double[c.x().length];
        for (int i = 0; i < c.x().length; i++) {
            double x = c.x()[i];
            neuron[i] = Math.max(0, a * x + b);
            network[i] = b2;
            for (int k = 0; k < 3; k++) network[i] += w2[k] * Math.max(0, w1[k] * x + b1[k]);
        }
        assertArrayEquals(neuron, c.neuronY(), 1e-5);
        assertArrayEquals(network, c.networkY(), 1e-5);
        assertArrayEquals(neuron, NeuronDemo.loopForm(c.neuron(), c.x()), 1e-5, "the loop form gives the same curve");
    }
}
