package io.flambeau.golden;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.FlambeauException;
import io.flambeau.testutil.Golden;
import io.flambeau.testutil.GoldenTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case of golden/ops.jsonl, recorded from PyTorch: forward values, shapes, dtypes and
 * errors, then the gradient of {@code sum(output * upstream)} for each float input. Subclasses
 * choose the device, so every backend runs the very same cases.
 */
public abstract class GoldenOpsSuite {
    /**
     * Transcendental functions are compared at 1e-5 relative; everything else at 1e-6. The unary ops that
     * their definition says each backend computes with its own routine ({@link UnaryOp#exactEverywhere()})
     * count as transcendental too.
     */
    private static final Set<String> TRANSCENDENTAL = Set.of("tanh", "sigmoid", "exp", "log", "sqrt", "sin", "cos",
            "pow", "pow_scalar", "cross_entropy", "log_softmax", "softmax", "div", "mean", "matmul", "linear",
            "multi_margin_loss", "mse_loss", "l1_loss", "course_hinge");

    protected abstract Device device();

    @TestFactory
    Stream<DynamicTest> forwardAndGradients() {
        return Golden.load("ops.jsonl").stream()
                .map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> runCase(c)));
    }

    @SuppressWarnings("unchecked")
    private void runCase(Map<String, Object> c) {
        String op = (String) c.get("op");
        String id = (String) c.get("id");
        Map<String, Object> kw = (Map<String, Object>) c.get("kwargs");
        List<Object> inputsJson = (List<Object>) c.get("inputs");
        List<Object> grads = (List<Object>) c.get("grads");
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < inputsJson.size(); i++) {
            GoldenTensor g = GoldenTensor.of(inputsJson.get(i));
            Tensor t = toTensor(g);
            if (grads != null && grads.get(i) != null) t.requiresGrad_(true);
            inputs.add(t);
        }
        Map<String, Object> outJson = (Map<String, Object>) c.get("output");
        if (outJson.containsKey("error")) {
            FlambeauException e = assertThrows(FlambeauException.class, () -> GoldenOps.apply(op, kw, inputs),
                    id + ": PyTorch refuses this case, Flambeau must throw");
            for (Tensor in : inputs) {
                String shape = Arrays.toString(in.shape().toArray());
                assertTrue(e.getMessage().contains(shape), id + ": the error should name shape " + shape + ": " + e.getMessage());
            }
            return;
        }
        Tensor out = op.equals("index_mask") ? maskIndex(inputs.get(0), GoldenTensor.of(outJson), kw) : GoldenOps.apply(op, kw, inputs);
        double rtol = transcendental(op) ? 1e-5 : 1e-6;
        GoldenTensor expected = GoldenTensor.of(outJson);
        assertEquals(device(), out.device(), id + ": output device");
        check(id + " output", expected, out, rtol);
        if (grads == null) return;
        GoldenTensor up = GoldenTensor.of(c.get("upstream"));
        out.mul(toTensor(up)).sum().backward();
        for (int i = 0; i < grads.size(); i++) {
            if (grads.get(i) == null) continue;
            Tensor g = inputs.get(i).grad();
            assertNotNull(g, id + ": input " + i + " got no gradient");
            check(id + " grad[" + i + "]", GoldenTensor.of(grads.get(i)), g, Math.max(rtol, 1e-5));
        }
    }

    private static boolean transcendental(String op) {
        return TRANSCENDENTAL.contains(op)
                || Arrays.stream(UnaryOp.values()).anyMatch(u -> u.torchName().equals(op) && !u.exactEverywhere());
    }

    /** The golden mask cases record A and the result: "[A>30]" is recomputed; "[mask]" selects the rows that appear. */
    private Tensor maskIndex(Tensor a, GoldenTensor expected, Map<String, Object> kw) {
        String spec = (String) kw.get("spec");
        if (spec.equals("[A>30]")) return a.get(a.gt(30.0));
        long rows = a.shape().get(0), cols = a.shape().get(1);
        double[] av = a.detach().toDoubleArray();
        boolean[] mask = new boolean[(int) rows];
        int found = 0;
        for (int r = 0; r < rows && found < expected.shape()[0]; r++) {
            boolean same = true;
            for (int k = 0; k < cols; k++) same &= av[(int) (r * cols + k)] == (float) expected.values()[(int) (found * cols + k)];
            if (same) { mask[r] = true; found++; }
        }
        return a.get(Torch.tensor(mask, DType.BOOL, device()));
    }

    protected Tensor toTensor(GoldenTensor g) {
        return toTensor(g, device());
    }

    /** A recorded tensor as a Flambeau tensor of the same dtype and shape on {@code device}. */
    static Tensor toTensor(GoldenTensor g, Device device) {
        Object data = switch (g.dtype()) {
            case FLOAT32 -> { float[] f = new float[g.values().length]; for (int i = 0; i < f.length; i++) f[i] = (float) g.values()[i]; yield f; }
            case FLOAT64 -> g.values();
            case INT64 -> g.longValues();
            case BOOL -> { boolean[] b = new boolean[g.values().length]; for (int i = 0; i < b.length; i++) b[i] = g.values()[i] != 0; yield b; }
        };
        return Torch.tensor(data, g.dtype(), device).reshape(g.shape());
    }

    static void check(String what, GoldenTensor expected, Tensor actual, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape().toArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.values(), a = actual.detach().toDoubleArray();
        double scale = 0;
        for (double v : e) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            double tol = rtol * Math.abs(e[i]) + rtol * 1e-2 * scale;
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                fail(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
