package io.flambeau.core;

import io.flambeau.testutil.Golden;
import io.flambeau.testutil.GoldenTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link TensorFormatter} against PyTorch's recorded {@code str(tensor)}, plus the cases golden data lacks. */
class TensorFormatterTest {

    @TestFactory
    Stream<DynamicTest> matchesEveryRecordedRepr() {
        List<Map<String, Object>> cases = Golden.load("repr.jsonl");
        assertFalse(cases.isEmpty(), "repr.jsonl has no cases");
        return IntStream.range(0, cases.size()).mapToObj(i -> {
            GoldenTensor input = GoldenTensor.of(cases.get(i).get("input"));
            String expected = (String) cases.get(i).get("repr");
            String name = "repr.jsonl #" + (i + 1) + ": " + expected.lines().findFirst().orElse("");
            return DynamicTest.dynamicTest(name, () -> assertSameText(expected, format(input)));
        });
    }

    /** The same cases formatted from their shown elements only, which is all Tensor.toString downloads. */
    @TestFactory
    Stream<DynamicTest> theShownElementsAloneGiveTheSameText() {
        List<Map<String, Object>> cases = Golden.load("repr.jsonl");
        return IntStream.range(0, cases.size()).mapToObj(i -> {
            GoldenTensor t = GoldenTensor.of(cases.get(i).get("input"));
            String expected = (String) cases.get(i).get("repr");
            return DynamicTest.dynamicTest("repr.jsonl #" + (i + 1) + " from shown elements", () -> {
                List<String> suffixes = new ArrayList<>();
                if (TensorFormatter.needsDtypeSuffix(t.dtype(), t.numel() == 0)) suffixes.add(TensorFormatter.dtypeSuffix(t.dtype()));
                int[] shown = PrintedElements.summarizes(t.shape()) ? PrintedElements.shownOffsets(t.shape())
                        : IntStream.range(0, (int) t.numel()).toArray();
                String text = t.dtype() == DType.INT64
                        ? TensorFormatter.formatShown(t.shape(), t.dtype(),
                                IntStream.of(shown).mapToLong(k -> t.longValues()[k]).toArray(), suffixes)
                        : TensorFormatter.formatShown(t.shape(), t.dtype(),
                                IntStream.of(shown).mapToDouble(k -> t.values()[k]).toArray(), suffixes);
                assertSameText(expected, text);
            });
        });
    }

    @Test
    void shownElementsMustMatchTheShownShape() {
        // (40, 50) shows 6 x 6 elements; the whole 2000 are not what formatShown takes
        assertArrayEquals(new long[] {6, 6}, PrintedElements.shownShape(new long[] {40, 50}));
        assertArrayEquals(new long[] {6, 6, 6, 6}, PrintedElements.shownShape(new long[] {6, 6, 6, 6}));
        assertArrayEquals(new long[] {2, 300}, PrintedElements.shownShape(new long[] {2, 300}),
                "a (2, 300) tensor has 600 elements: not summarised");
        assertThrows(DataException.class,
                () -> TensorFormatter.formatShown(new long[] {40, 50}, DType.FLOAT32, new double[2000], List.of()));
        assertEquals("tensor([0., 0., 0.,  ..., 0., 0., 0.])",
                TensorFormatter.formatShown(new long[] {5_000_000_000L}, DType.FLOAT32, new double[6], List.of()));
    }

    /** Formats a golden tensor with the suffixes PyTorch would add for it (it records no autograd state). */
    private static String format(GoldenTensor t) {
        List<String> suffixes = new ArrayList<>();
        if (TensorFormatter.needsDtypeSuffix(t.dtype(), t.numel() == 0)) suffixes.add(TensorFormatter.dtypeSuffix(t.dtype()));
        return t.dtype() == DType.INT64
                ? TensorFormatter.format(t.shape(), t.dtype(), t.longValues(), suffixes)
                : TensorFormatter.format(t.shape(), t.dtype(), t.values(), suffixes);
    }

    @Test
    void suffixesShareTheLastLineWhileTheyFit() {
        String text = TensorFormatter.format(new long[] {3}, DType.FLOAT64, new double[] {0.1234, -0.5678, 1},
                List.of("dtype=torch.float64", "requires_grad=True"));
        assertSameText("tensor([ 0.1234, -0.5678,  1.0000], dtype=torch.float64, requires_grad=True)", text);
    }

    @Test
    void suffixWrapsOntoAnIndentedLineWhenTheLineIsFull() {
        String text = TensorFormatter.format(new long[] {5}, DType.FLOAT64, new double[] {0.1234, -0.5678, 1, 2, 3},
                List.of("dtype=torch.float64", "requires_grad=True"));
        assertSameText("""
                tensor([ 0.1234, -0.5678,  1.0000,  2.0000,  3.0000], dtype=torch.float64,
                       requires_grad=True)""", text);
    }

    @Test
    void suffixAfterAWrappedBodyIsMeasuredFromItsLastLine() {
        String text = TensorFormatter.format(new long[] {2, 2}, DType.FLOAT32, new double[] {1, 2, 3, 4},
                List.of("device='cuda:0'", "grad_fn=<AddBackward0>"));
        assertSameText("""
                tensor([[1., 2.],
                        [3., 4.]], device='cuda:0', grad_fn=<AddBackward0>)""", text);
    }

    @Test
    void int64KeepsEveryDigitOfLargeValues() {
        String text = TensorFormatter.format(new long[] {3}, DType.INT64,
                new long[] {Long.MAX_VALUE, -1, Long.MIN_VALUE}, List.of());
        assertSameText("tensor([ 9223372036854775807,                   -1, -9223372036854775808])", text);
    }

    @Test
    void int64AsDoublesIsRefusedWhereADoubleCannotHoldIt() {
        assertEquals("tensor([ 3, -4])",
                TensorFormatter.format(new long[] {2}, DType.INT64, new double[] {3, -4}, List.of()));
        assertThrows(DataException.class,
                () -> TensorFormatter.format(new long[] {1}, DType.INT64, new double[] {0x1p60}, List.of()));
        assertThrows(DataException.class,
                () -> TensorFormatter.format(new long[] {1}, DType.INT64, new double[] {0.5}, List.of()));
        assertThrows(DTypeException.class,
                () -> TensorFormatter.format(new long[] {1}, DType.FLOAT32, new long[] {1}, List.of()));
    }

    @Test
    void tiesRoundHalfToEvenOnTheBinaryValueAsPythonDoes() {
        String text = TensorFormatter.format(new long[] {2}, DType.FLOAT64, new double[] {0.03125, 0.09375},
                List.of(TensorFormatter.dtypeSuffix(DType.FLOAT64)));
        assertSameText("tensor([0.0312, 0.0938], dtype=torch.float64)", text);
    }

    @Test
    void longRowsWrapAtEightyColumns() {
        long[] values = LongStream.range(0, 30).toArray(); // torch.arange(30)
        assertSameText("""
                tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
                        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])""",
                TensorFormatter.format(new long[] {30}, DType.INT64, values, List.of()));
    }

    @Test
    void summarisedRowSizesItsElementsFromTheShownOnesOnly() {
        long[] values = LongStream.range(0, 2000).toArray();
        assertSameText("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
                TensorFormatter.format(new long[] {2000}, DType.INT64, values, List.of()));
    }

    @Test
    void fourDimensionalBlocksAreSeparatedByTwoBlankLines() {
        assertSameText("tensor([[[[0.]]],\n\n\n        [[[0.]]]])",
                TensorFormatter.format(new long[] {2, 1, 1, 1}, DType.FLOAT32, new double[2], List.of()));
    }

    @Test
    void onlyNonFiniteValuesPrintBare() {
        assertEquals("tensor([nan, inf])", TensorFormatter.format(new long[] {2}, DType.FLOAT32,
                new double[] {Double.NaN, Double.POSITIVE_INFINITY}, List.of()));
        assertEquals("tensor([1., nan])", TensorFormatter.format(new long[] {2}, DType.FLOAT32,
                new double[] {1, Double.NaN}, List.of()));
    }

    @Test
    void zeroDimTensorsPrintTheirValueBare() {
        assertEquals("tensor(5)", TensorFormatter.format(new long[0], DType.INT64, new long[] {5}, List.of()));
        assertEquals("tensor(True)", TensorFormatter.format(new long[0], DType.BOOL, new double[] {1}, List.of()));
        assertEquals("tensor(2.5000, dtype=torch.float64)", TensorFormatter.format(new long[0], DType.FLOAT64,
                new double[] {2.5}, List.of("dtype=torch.float64")));
    }

    @Test
    void emptyTensorsNameTheirSizeAfterTheDevice() {
        assertEquals("tensor([], size=(0, 3), dtype=torch.int64)", TensorFormatter.format(new long[] {0, 3},
                DType.INT64, new long[0], List.of(TensorFormatter.dtypeSuffix(DType.INT64))));
        assertEquals("tensor([], device='cuda:0', size=(0, 3))", TensorFormatter.format(new long[] {0, 3},
                DType.FLOAT32, new double[0], List.of("device='cuda:0'")));
        assertEquals("tensor([], dtype=torch.bool)", TensorFormatter.format(new long[] {0},
                DType.BOOL, new double[0], List.of("dtype=torch.bool")));
    }

    @Test
    void dtypeSuffixRule() {
        assertFalse(TensorFormatter.needsDtypeSuffix(DType.FLOAT32, false));
        assertFalse(TensorFormatter.needsDtypeSuffix(DType.INT64, false));
        assertFalse(TensorFormatter.needsDtypeSuffix(DType.BOOL, false));
        assertTrue(TensorFormatter.needsDtypeSuffix(DType.FLOAT64, false));
        assertFalse(TensorFormatter.needsDtypeSuffix(DType.FLOAT32, true));
        assertTrue(TensorFormatter.needsDtypeSuffix(DType.INT64, true));
        assertTrue(TensorFormatter.needsDtypeSuffix(DType.BOOL, true));
        assertTrue(TensorFormatter.needsDtypeSuffix(DType.FLOAT64, true));
        assertEquals("dtype=torch.float64", TensorFormatter.dtypeSuffix(DType.FLOAT64));
    }

    @Test
    void mismatchedDataIsRefused() {
        assertThrows(DataException.class,
                () -> TensorFormatter.format(new long[] {2, 2}, DType.FLOAT32, new double[3], List.of()));
        assertThrows(ShapeException.class,
                () -> TensorFormatter.format(new long[] {-1}, DType.FLOAT32, new double[0], List.of()));
        assertThrows(DataException.class,
                () -> TensorFormatter.format(new long[] {1}, DType.BOOL, new double[] {2}, List.of()));
    }

    /** Fails with both texts shown line by line, marking the first line that differs. */
    static void assertSameText(String expected, String actual) {
        if (expected.equals(actual)) return;
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        StringBuilder report = new StringBuilder("formatted text differs\n");
        int first = 0;
        while (first < want.length && first < got.length && want[first].equals(got[first])) first++;
        report.append("first difference on line ").append(first + 1).append('\n');
        report.append("--- expected (PyTorch)\n");
        appendNumbered(report, want, first);
        report.append("+++ actual (Flambeau)\n");
        appendNumbered(report, got, first);
        fail(report.toString());
    }

    private static void appendNumbered(StringBuilder out, String[] lines, int marked) {
        for (int i = 0; i < lines.length; i++) {
            out.append(i == marked ? "> " : "  ").append(String.format("%3d|", i + 1))
                    .append(lines[i]).append("|\n");
        }
    }
}
