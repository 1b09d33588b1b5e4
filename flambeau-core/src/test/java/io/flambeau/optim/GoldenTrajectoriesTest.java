package io.flambeau.optim;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.Parameter;
import io.flambeau.testutil.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer run recorded from PyTorch 1.13 (golden/optim.jsonl) replayed step by step: the
 * loss before each step and the parameters after it agree to 1e-5. Subclasses choose the device
 * the parameters live on, so every backend replays the very same runs.
 */
class GoldenTrajectoriesTest {
    private static final double TOLERANCE = 1e-5;

    /** {@code (p0-1)^2 + 3*(p1+0.5)^2 + p2^4 + p0*p2}, the function every recorded run minimises. */
    static Tensor loss(Tensor p) {
        Tensor p0 = p.get(0), p1 = p.get(1), p2 = p.get(2);
        return p0.sub(1.0).pow(2.0)
                .add(p1.add(0.5).pow(2.0).mul(3.0))
                .add(p2.pow(4.0))
                .add(p0.mul(p2));
    }

    static Optimizer create(String name, List<Parameter> params, Map<String, Object> kwargs) {
        return switch (name) {
            case "SGD" -> new SGD(params, kwargs);
            case "Adagrad" -> new Adagrad(params, kwargs);
            case "RMSprop" -> new RMSprop(params, kwargs);
            case "Adam" -> new Adam(params, kwargs);
            case "AdamW" -> new AdamW(params, kwargs);
            default -> throw new IllegalArgumentException("no optimizer " + name);
        };
    }

    /** Where the parameters live; the optimizer's state and the loss follow them. */
    protected Device device() { return Device.CPU; }

    @TestFactory
    Stream<DynamicTest> everyRecordedTrajectory() {
        List<Map<String, Object>> cases = Golden.load("optim.jsonl");
        assertTrue(cases.size() >= 11, "golden file has " + cases.size() + " runs");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("optimizer") + " " + c.get("kwargs"), () -> replay(c)));
    }

    @SuppressWarnings("unchecked")
    private void replay(Map<String, Object> c) {
        float[] init = toFloats((List<Object>) c.get("init"));
        Tensor p = Torch.tensor(init, DType.FLOAT32, device()).requiresGrad_();
        Optimizer opt = create((String) c.get("optimizer"), Parameter.listOf(p), (Map<String, Object>) c.get("kwargs"));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) c.get("steps");
        assertEquals(25, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = steps.get(i);
            opt.zeroGrad();
            Tensor l = loss(p);
            double expectedLoss = ((Number) step.get("loss_before")).doubleValue();
            assertEquals(expectedLoss, l.item(), TOLERANCE * Math.max(1, Math.abs(expectedLoss)), "loss before step " + (i + 1));
            l.backward();
            assertEquals(device(), p.grad().device(), "the gradient stays with its parameter");
            opt.step();
            float[] expected = toFloats((List<Object>) step.get("params"));
            float[] actual = p.toFloatArray();
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], actual[k], TOLERANCE, "p" + k + " after step " + (i + 1)
                        + ": expected " + java.util.Arrays.toString(expected) + ", got " + java.util.Arrays.toString(actual));
            }
        }
    }

    private static float[] toFloats(List<Object> values) {
        List<Float> out = new ArrayList<>();
        for (Object v : values) out.add(((Number) v).floatValue());
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) f[i] = out.get(i);
        return f;
    }
}
