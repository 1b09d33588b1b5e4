package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.FlambeauException;
import io.flambeau.testutil.Golden;
import io.flambeau.testutil.GoldenTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every recorded PyTorch case for the reductions, matmul and indexing run through the ops layer:
 * exact shapes and dtypes, values within 1e-6 relative (1e-5 for matmul), and a Flambeau exception where PyTorch
 * raised one. (Gradients in the records belong to the autograd tests.)
 */
class OpsGoldenTest {
    private static final Set<String> OPS = Set.of("sum", "mean", "max", "min", "argmax", "matmul",
            "index", "index_list", "index_tensors", "index_mask");
    private static final double REL = 1e-6;
    /**
     * A float32 product's last bits depend on the summation order and on fused multiply-adds,
     * which no two GEMM kernels share (PyTorch's own differ by build): 1e-5, as for the other
     * rounding-order-dependent ops of the golden suite.
     */
    private static final double MATMUL_REL = 1e-5;

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<Map<String, Object>> cases = Golden.load("ops.jsonl").stream()
                .filter(c -> OPS.contains((String) c.get("op")))
                .toList();
        assertFalse(cases.isEmpty(), "no golden cases for " + OPS);
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> check(c)));
    }

    private static void check(Map<String, Object> c) {
        String op = (String) c.get("op");
        @SuppressWarnings("unchecked")
        Map<String, Object> kwargs = (Map<String, Object>) c.get("kwargs");
        List<RawTensor> inputs = ((List<?>) c.get("inputs")).stream().map(OpsGoldenTest::tensor).toList();
        Object output = c.get("output");
        if (output instanceof Map<?, ?> m && m.containsKey("error")) {
            assertThrows(FlambeauException.class, () -> run(op, kwargs, inputs), "PyTorch raised " + m.get("error"));
            return;
        }
        GoldenTensor want = GoldenTensor.of(output);
        RawTensor got = run(op, kwargs, inputs);
        assertEquals(want.dtype(), got.dtype(), "dtype");
        assertArrayEquals(want.shape(), got.shape, "shape");
        if (want.dtype() == DType.INT64) assertArrayEquals(want.longValues(), got.toLongs());
        else OpsAssert.assertClose(want.values(), got.toDoubles(), op.equals("matmul") ? MATMUL_REL : REL);
    }

    private static RawTensor run(String op, Map<String, Object> kwargs, List<RawTensor> in) {
        RawTensor x = in.get(0);
        Long dim = (Long) kwargs.get("dim");
        boolean keepdim = Boolean.TRUE.equals(kwargs.get("keepdim"));
        return switch (op) {
            case "sum" -> dim == null ? Reductions.sum(x) : Reductions.sum(x, dim, keepdim);
            case "mean" -> dim == null ? Reductions.mean(x) : Reductions.mean(x, dim, keepdim);
            case "max" -> dim == null ? Reductions.max(x) : Reductions.max(x, dim, keepdim)[0];
            case "min" -> dim == null ? Reductions.min(x) : Reductions.min(x, dim, keepdim)[0];
            case "argmax" -> dim == null ? Reductions.argmax(x) : Reductions.argmax(x, dim, keepdim);
            case "matmul" -> Linalg.matmul(x, in.get(1));
            default -> Indexing.index(x, IndexSpec.parse((String) kwargs.get("spec"), names(x, in)));
        };
    }

    /**
     * Names the index specs use: {@code A} is the indexed tensor, {@code I}, {@code J} the extra
     * inputs in order. The case "index.bool_rows" ({@code [mask]}) did not record its mask; the
     * rows of its recorded output (0 and 2 of 4) fix it as {@code [True, False, True, False]}.
     */
    private static Map<String, RawTensor> names(RawTensor x, List<RawTensor> in) {
        Map<String, RawTensor> names = new HashMap<>();
        names.put("A", x);
        if (in.size() > 1) names.put("I", in.get(1));
        if (in.size() > 2) names.put("J", in.get(2));
        names.put("mask", RawTensor.fromHost(new boolean[] {true, false, true, false}, new long[] {4}, Device.CPU));
        return names;
    }

    private static RawTensor tensor(Object json) {
        GoldenTensor g = GoldenTensor.of(json);
        double[] v = g.values();
        Object host = switch (g.dtype()) {
            case FLOAT32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
                yield f;
            }
            case FLOAT64 -> v.clone();
            case INT64 -> g.longValues().clone();
            case BOOL -> {
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < b.length; i++) b[i] = v[i] != 0;
                yield b;
            }
        };
        return RawTensor.fromHost(host, g.shape(), Device.CPU);
    }
}
