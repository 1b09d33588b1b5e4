package io.flambeau.golden;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.testutil.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Summarised printing against PyTorch: every case of golden/repr_large.jsonl (recorded by
 * {@code src/test/python/record_large_repr_golden.py}) printed through {@code Tensor.toString()} on
 * the CPU and on the simulated GPU. The cases include expanded views of tens of billions of
 * elements, which print only because printing reads just the elements it shows; on the GPU the
 * test also counts the traffic: one gather kernel into a small block, one device-to-host copy of it,
 * nothing uploaded (before, the whole tensor was downloaded, and twice).
 */
class LargeReprGoldenTest {
    private static final Device GPU = Device.cuda(0);

    @TestFactory
    Stream<DynamicTest> summarisedTensorsPrintAsPyTorch() {
        List<Map<String, Object>> cases = Golden.load("repr_large.jsonl");
        assertTrue(cases.size() >= 10, "repr_large.jsonl has too few cases");
        return cases.stream().flatMap(c -> {
            @SuppressWarnings("unchecked") Map<String, Object> make = (Map<String, Object>) c.get("make");
            String expected = (String) c.get("repr");
            String name = make.get("dtype") + " " + make.getOrDefault("expand", make.get("shape"));
            return Stream.of(
                    DynamicTest.dynamicTest("cpu " + name, () -> assertEquals(expected, build(make, Device.CPU).toString())),
                    DynamicTest.dynamicTest("cuda " + name, () -> printsOnGpu(make, expected)));
        });
    }

    private static void printsOnGpu(Map<String, Object> make, String expected) {
        SimCuda.install();
        Tensor t = build(make, GPU);
        DeviceCounters before = Cuda.counters(GPU);
        String text = t.toString();
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertTrue(text.contains("device='cuda:0'"), text);
        // the suffixes differ (device=); the elements and their layout are PyTorch's
        assertEquals(body(expected), body(text));
        assertEquals(1, work.deviceToHost(), "one download of the shown elements: " + work);
        assertEquals(0, work.hostToDevice(), "nothing uploaded: " + work);
        // a cut dimension (or a strided tensor) is gathered by one copy kernel into a small dense block
        boolean gathers = !t.isContiguous() || java.util.Arrays.stream(t.shape().toArray()).anyMatch(size -> size > 6);
        assertEquals(gathers ? 1 : 0, work.launches(), "the gather of the shown elements: " + work);
    }

    /** The bracketed elements, without the suffixes. */
    private static String body(String text) {
        return text.substring(0, text.lastIndexOf(']') + 1);
    }

    /** The tensor a case describes, built exactly as the recording script builds it (see its header). */
    static Tensor build(Map<String, Object> make, Device device) {
        long n = ((Number) make.get("n")).longValue();
        Tensor v = Torch.arange(0.0, n, 1.0, DType.FLOAT64).mul(number(make, "scale")).add(number(make, "offset"));
        @SuppressWarnings("unchecked") List<List<Number>> sets = (List<List<Number>>) make.getOrDefault("set", List.of());
        for (List<Number> set : sets) v.set(set.get(0).longValue(), set.get(1).doubleValue());
        String dtype = (String) make.get("dtype");
        v = dtype.equals("bool") ? v.gt(0) : v.to(DType.valueOf(dtype.toUpperCase()));
        v = v.reshape(longs(make.get("shape"))).to(device);
        return make.containsKey("expand") ? v.expand(longs(make.get("expand"))) : v;
    }

    private static double number(Map<String, Object> make, String key) {
        return ((Number) make.get(key)).doubleValue();
    }

    private static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }
}
