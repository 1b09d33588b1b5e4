package io.flambeau.golden;

import io.flambeau.Tensor;
import io.flambeau.core.Device;
import io.flambeau.testutil.Golden;
import io.flambeau.testutil.GoldenTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every case of golden/repr.jsonl printed through {@code Tensor.toString()}, exactly as PyTorch's {@code str(tensor)}. */
class ReprGoldenTest {
    @TestFactory
    Stream<DynamicTest> tensorsPrintAsPyTorch() {
        return Golden.load("repr.jsonl").stream().map(c -> {
            GoldenTensor g = GoldenTensor.of(c.get("input"));
            String expected = (String) c.get("repr");
            return DynamicTest.dynamicTest(expected.length() > 40 ? expected.substring(0, 40) + "…" : expected, () -> {
                Tensor t = GoldenOpsSuite.toTensor(g, Device.CPU);
                assertEquals(expected, t.toString());
            });
        });
    }
}
