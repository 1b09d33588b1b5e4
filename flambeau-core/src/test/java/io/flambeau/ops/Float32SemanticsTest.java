package io.flambeau.ops;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where float32 arithmetic shows through, decided one case at a time against PyTorch (README,
 * "Float32 semantics"): a float32 mean divides the float32 sum, so it overflows where PyTorch's
 * does; a float32 sum accumulates in float64 and rounds once, so a running total that leaves the
 * range and comes back stays finite (PyTorch: inf); relu keeps -0.0 and sign gives +0.0 for ±0.
 */
class Float32SemanticsTest {
    static final float BIG = 3e38f;

    private static void assertBits(float expected, Tensor t) {
        float got = t.toFloatArray()[0];
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "expected " + expected + ", got " + got);
    }

    private static void assertAllBits(float expected, Tensor t) {
        for (float got : t.toFloatArray()) {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "expected " + expected + ", got " + got);
        }
    }

    @Test
    void aFloat32MeanOverflowsWhereItsSumDoes() {
        assertBits(Float.POSITIVE_INFINITY, Torch.tensor(new float[] {BIG, BIG}).mean());
        assertBits(Float.NEGATIVE_INFINITY, Torch.tensor(new float[] {-BIG, -BIG}).mean());
        assertBits(Float.POSITIVE_INFINITY, Torch.tensor(new float[][] {{BIG, BIG}}).mean(1));     // along the last dim
        assertBits(Float.POSITIVE_INFINITY, Torch.tensor(new float[][] {{BIG}, {BIG}}).mean(0));   // along an outer dim
        float[] many = new float[1000];
        Arrays.fill(many, BIG);
        assertBits(Float.POSITIVE_INFINITY, Torch.tensor(many).mean());                          // the vector loop
        // float64 has the range: the true mean
        assertEquals(3e38, Torch.tensor(new double[] {3e38, 3e38}).mean().toDoubleArray()[0], 0);
        assertBits(2.5f, Torch.tensor(new float[] {2, 3}).mean());
    }

    @Test
    void aFloat32SumRoundsOnceAtTheEnd() {
        assertBits(Float.POSITIVE_INFINITY, Torch.tensor(new float[] {BIG, BIG}).sum());
        // the documented difference: PyTorch's float32 accumulators give inf here
        assertBits(BIG, Torch.tensor(new float[] {BIG, BIG, -BIG}).sum());
        assertBits(BIG, Torch.tensor(new float[][] {{BIG, BIG, -BIG}}).sum(1));
    }

    @Test
    void reluKeepsNegativeZeroAndNan() {
        for (int n : new int[] {1, 40}) {                // scalar tail and vector loop
            float[] negZero = new float[n];
            Arrays.fill(negZero, -0.0f);
            assertAllBits(-0.0f, Torch.tensor(negZero).relu());
            assertAllBits(-0.0f, Torch.tensor(negZero).to(DType.FLOAT64).relu().to(DType.FLOAT32));
            float[] neg = new float[n];
            Arrays.fill(neg, -1.5f);
            assertAllBits(0.0f, Torch.tensor(neg).relu());
            float[] nan = new float[n];
            Arrays.fill(nan, Float.NaN);
            assertAllBits(Float.NaN, Torch.tensor(nan).relu());
        }
    }

    @Test
    void signOfEitherZeroIsPositiveZero() {
        Tensor s = Torch.tensor(new float[] {-0.0f, 0.0f, Float.NaN, -2f, 3f}).sign();
        float[] got = s.toFloatArray();
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(got[0]), "sign(-0.0)");
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(got[1]), "sign(0.0)");
        assertEquals(Float.NaN, got[2]);
        assertEquals(-1f, got[3]);
        assertEquals(1f, got[4]);
        double[] d = Torch.tensor(new double[] {-0.0, 0.0}).sign().toDoubleArray();
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(d[0]), "sign(-0.0) in float64");
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(d[1]));
    }
}
