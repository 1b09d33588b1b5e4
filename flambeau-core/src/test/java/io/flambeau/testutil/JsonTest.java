package io.flambeau.testutil;

import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The golden-file readers: {@link Json}, {@link GoldenTensor} and {@link Golden}. */
class JsonTest {

    @Test
    void mapsValuesToPlainJavaTypes() {
        Map<String, Object> map = Json.parseObject(
                "{\"i\": -3, \"d\": 2.0, \"e\": 1e-05, \"s\": \"a\\\"\\u00e9\\n\", \"b\": true, \"n\": null, \"l\": []}");
        assertEquals(-3L, map.get("i"));
        assertEquals(2.0, map.get("d"));
        assertEquals(1e-05, map.get("e"));
        assertEquals("a\"é\n", map.get("s"));
        assertEquals(Boolean.TRUE, map.get("b"));
        assertNull(map.get("n"));
        assertEquals(List.of(), map.get("l"));
        assertEquals(List.of("i", "d", "e", "s", "b", "n", "l"), List.copyOf(map.keySet()));
    }

    @Test
    void rejectsWhatTheGrammarDoesNotAllow() {
        for (String bad : List.of("[1,]", "{\"a\":1,}", "01", "1.", ".5", "NaN", "[1] x", "{'a':1}",
                "\"tab\there\"", "{\"a\":1,\"a\":2}", "99999999999999999999", "tru", "")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void goldenTensorReadsNonFiniteFloatsBoolsAndExactInt64() {
        GoldenTensor floats = GoldenTensor.of(Json.parse(
                "{\"shape\": [3], \"dtype\": \"float32\", \"data\": [\"nan\", \"-inf\", 1]}"));
        assertEquals(DType.FLOAT32, floats.dtype());
        assertArrayEquals(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 1}, floats.values());
        assertNull(floats.longValues());

        GoldenTensor bools = GoldenTensor.of(Json.parse("{\"shape\": [1, 2], \"dtype\": \"bool\", \"data\": [true, false]}"));
        assertArrayEquals(new double[] {1, 0}, bools.values());
        assertEquals(2, bools.numel());

        GoldenTensor longs = GoldenTensor.of(Json.parse(
                "{\"shape\": [], \"dtype\": \"int64\", \"data\": [9223372036854775807]}"));
        assertArrayEquals(new long[] {Long.MAX_VALUE}, longs.longValues());
        assertEquals(1, longs.numel());

        assertThrows(IllegalArgumentException.class, () -> GoldenTensor.of(Json.parse(
                "{\"shape\": [2], \"dtype\": \"float32\", \"data\": [1]}")));
    }

    @Test
    void goldenLoadsEveryLineOfAFile() {
        List<Map<String, Object>> cases = Golden.load("repr.jsonl");
        assertEquals(20, cases.size());
        assertThrows(IllegalStateException.class, () -> Golden.load("no-such-file.jsonl"));
    }
}
