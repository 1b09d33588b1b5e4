package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.ShapeException;
import org.junit.jupiter.api.Test;

import static io.flambeau.ops.OpsAssert.*;
import static org.junit.jupiter.api.Assertions.*;

class CreationTest {
    private static final Device CPU = Device.CPU;

    @Test
    void constants() {
        assertTensor(Creation.full(shape(2, 2), 2.5, DType.FLOAT32, CPU), DType.FLOAT32, shape(2, 2), 2.5, 2.5, 2.5, 2.5);
        assertTensor(Creation.zeros(shape(3), DType.INT64, CPU), DType.INT64, shape(3), 0, 0, 0);
        assertTensor(Creation.ones(shape(2), DType.BOOL, CPU), DType.BOOL, shape(2), 1, 1);
        assertTensor(Creation.scalar(-4, DType.FLOAT64, CPU), DType.FLOAT64, shape(), -4);
        assertTensor(Creation.zeros(shape(0, 4), DType.FLOAT32, CPU), DType.FLOAT32, shape(0, 4));
        ShapeException e = assertThrows(ShapeException.class, () -> Creation.zeros(shape(2, -1), DType.FLOAT32, CPU));
        assertTrue(e.getMessage().contains("negative dimension -1"), e.getMessage());
    }

    @Test
    void eye() {
        assertTensor(Creation.eye(2, 3, DType.FLOAT32, CPU), DType.FLOAT32, shape(2, 3), 1, 0, 0, 0, 1, 0);
        assertTensor(Creation.eye(3, 2, DType.INT64, CPU), DType.INT64, shape(3, 2), 1, 0, 0, 1, 0, 0);
        assertTensor(Creation.eye(2, DType.FLOAT64, CPU), DType.FLOAT64, shape(2, 2), 1, 0, 0, 1);
        assertArrayEquals(shape(0, 3), Creation.eye(0, 3, DType.FLOAT32, CPU).shape);
        assertThrows(ShapeException.class, () -> Creation.eye(-1, 2, DType.FLOAT32, CPU));
    }

    @Test
    void arangeFloatSizesAndValues() {
        assertTensor(Creation.arange(0, 5, 1, DType.FLOAT32, CPU), DType.FLOAT32, shape(5), 0, 1, 2, 3, 4);
        assertTensor(Creation.arange(1, 2.5, 0.5, DType.FLOAT64, CPU), DType.FLOAT64, shape(3), 1, 1.5, 2);
        assertTensor(Creation.arange(1, 2.6, 0.5, DType.FLOAT64, CPU), DType.FLOAT64, shape(4), 1, 1.5, 2, 2.5);
        assertEquals(10, Creation.arange(0, 1, 0.1, DType.FLOAT32, CPU).numel());
        assertTensor(Creation.arange(10, 0, -3, DType.FLOAT32, CPU), DType.FLOAT32, shape(4), 10, 7, 4, 1);
        assertTensor(Creation.arange(2, 2, 1, DType.FLOAT32, CPU), DType.FLOAT32, shape(0));
        // float32 values are computed in double and rounded once, like PyTorch's CPU kernel
        assertEquals((float) (0.1 * 3), ((float[]) Creation.arange(0, 1, 0.1, DType.FLOAT32, CPU).toHost())[3]);
    }

    @Test
    void arangeInt64IsExact() {
        long big = 1L << 60;
        assertLongs(Creation.arange(big, big + 3, 1, CPU), shape(3), big, big + 1, big + 2);
        assertLongs(Creation.arange(0, 10, 3, CPU), shape(4), 0, 3, 6, 9);
        assertLongs(Creation.arange(5, 0, -2, CPU), shape(3), 5, 3, 1);
        assertLongs(Creation.arange(0, 0, 1, CPU), shape(0));
        // int64 dtype from double arguments: bounds and step truncated first
        assertLongs(Creation.arange(0, 5, 1.5, DType.INT64, CPU), shape(5), 0, 1, 2, 3, 4);
    }

    @Test
    void arangeErrors() {
        DataException zero = assertThrows(DataException.class, () -> Creation.arange(0, 5, 0, DType.FLOAT32, CPU));
        assertTrue(zero.getMessage().contains("step must be nonzero"), zero.getMessage());
        assertThrows(DataException.class, () -> Creation.arange(0, 5, 0, CPU));
        DataException sign = assertThrows(DataException.class, () -> Creation.arange(0, 5, -1, DType.FLOAT32, CPU));
        assertTrue(sign.getMessage().contains("upper bound and larger bound inconsistent with step sign"), sign.getMessage());
        assertThrows(DataException.class, () -> Creation.arange(5, 0, 1, CPU));
        assertThrows(DataException.class, () -> Creation.arange(0, Double.POSITIVE_INFINITY, 1, DType.FLOAT32, CPU));
        assertThrows(DTypeException.class, () -> Creation.arange(0, 2, 1, DType.BOOL, CPU));
    }

    @Test
    void linspaceValues() {
        assertTensor(Creation.linspace(0, 1, 5, DType.FLOAT32, CPU), DType.FLOAT32, shape(5), 0, 0.25, 0.5, 0.75, 1);
        assertTensor(Creation.linspace(-1, 1, 4, DType.FLOAT64, CPU), DType.FLOAT64, shape(4),
                -1, -1 + 2.0 / 3, 1 - 2.0 / 3, 1);
        assertTensor(Creation.linspace(3, 7, 1, DType.FLOAT32, CPU), DType.FLOAT32, shape(1), 3);
        assertTensor(Creation.linspace(3, 7, 0, DType.FLOAT32, CPU), DType.FLOAT32, shape(0));
        // PyTorch: torch.linspace(0, 10, 4, dtype=torch.int64) == [0, 3, 6, 10]
        assertLongs(Creation.linspace(0, 10, 4, DType.INT64, CPU), shape(4), 0, 3, 6, 10);
        assertThrows(DataException.class, () -> Creation.linspace(0, 1, -1, DType.FLOAT32, CPU));
    }

    @Test
    void linspaceEndsExactlyAtBothBounds() {
        float[] v = (float[]) Creation.linspace(0.1, 0.7, 7, DType.FLOAT32, CPU).toHost();
        assertEquals(0.1f, v[0]);
        assertEquals(0.7f, v[6]); // the symmetric formula counts the second half down from end
        double[] d = (double[]) Creation.linspace(-3.3, 9.1, 1001, DType.FLOAT64, CPU).toHost();
        assertEquals(9.1, d[1000]);
        for (int i = 1; i < d.length; i++) assertTrue(d[i] > d[i - 1]);
    }

    @Test
    void randIsInRangeAndReproducible() {
        RawTensor a = Creation.rand(shape(1000), DType.FLOAT32, CPU, new Generator(42));
        for (double x : a.toDoubles()) assertTrue(x >= 0 && x < 1, "out of [0,1): " + x);
        RawTensor b = Creation.rand(shape(1000), DType.FLOAT32, CPU, new Generator(42));
        assertArrayEquals(a.toDoubles(), b.toDoubles());
        RawTensor c = Creation.rand(shape(1000), DType.FLOAT32, CPU, new Generator(43));
        assertFalse(java.util.Arrays.equals(a.toDoubles(), c.toDoubles()));
        RawTensor d = Creation.rand(shape(2, 3), DType.FLOAT64, CPU, new Generator(1));
        assertEquals(DType.FLOAT64, d.dtype());
        assertThrows(DTypeException.class, () -> Creation.rand(shape(2), DType.INT64, CPU, new Generator(1)));
    }

    @Test
    void successiveDrawsDifferAndReseedingRepeats() {
        Generator g = new Generator(7);
        double[] first = Creation.rand(shape(8), DType.FLOAT32, CPU, g).toDoubles();
        double[] second = Creation.rand(shape(8), DType.FLOAT32, CPU, g).toDoubles();
        assertFalse(java.util.Arrays.equals(first, second));
        g.manualSeed(7);
        assertArrayEquals(first, Creation.rand(shape(8), DType.FLOAT32, CPU, g).toDoubles());
        // one draw of 16 is the two draws of 8 back to back: draws depend only on (seed, counter)
        double[] both = Creation.rand(shape(16), DType.FLOAT32, CPU, new Generator(7)).toDoubles();
        assertArrayEquals(first, java.util.Arrays.copyOfRange(both, 0, 8));
        assertArrayEquals(second, java.util.Arrays.copyOfRange(both, 8, 16));
    }

    @Test
    void randnHasRoughlyZeroMeanAndUnitStd() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] v = Creation.randn(shape(20000), t, CPU, new Generator(3)).toDoubles();
            double mean = 0, sq = 0;
            for (double x : v) mean += x;
            mean /= v.length;
            for (double x : v) sq += (x - mean) * (x - mean);
            double std = Math.sqrt(sq / (v.length - 1));
            assertEquals(0, mean, 0.03, "mean of randn " + t);
            assertEquals(1, std, 0.03, "std of randn " + t);
        }
    }

    @Test
    void randintCoversTheRangeAndOnlyIt() {
        RawTensor r = Creation.randint(3, 7, shape(2000), CPU, new Generator(5));
        assertEquals(DType.INT64, r.dtype());
        int[] counts = new int[4];
        for (long x : r.toLongs()) {
            assertTrue(x >= 3 && x < 7, "out of [3,7): " + x);
            counts[(int) (x - 3)]++;
        }
        for (int c : counts) assertTrue(c > 350, "uneven draw: " + java.util.Arrays.toString(counts));
        assertThrows(DataException.class, () -> Creation.randint(5, 5, shape(2), CPU, new Generator(5)));
    }

    @Test
    void generatorCounter() {
        Generator g = new Generator(11);
        assertEquals(11, g.seed());
        assertEquals(0, g.advance(5));
        assertEquals(5, g.advance(3));
        assertEquals(8, g.counter());
        assertSame(g, g.manualSeed(12));
        assertEquals(12, g.seed());
        assertEquals(0, g.advance(1));
        assertEquals(Generator.DEFAULT_SEED, new Generator(Generator.DEFAULT_SEED).seed());
        assertNotNull(Generator.DEFAULT);
    }

    @Test
    void fromHostChecksTheElementCount() {
        assertTensor(Creation.fromHost(new long[] {1, 2, 3, 4, 5, 6}, shape(2, 3), CPU), DType.INT64, shape(2, 3),
                1, 2, 3, 4, 5, 6);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Creation.fromHost(new float[5], shape(2, 3), CPU));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(DataException.class, () -> Creation.fromHost(new int[6], shape(2, 3), CPU));
        assertTensor(Creation.fromHost(new double[] {2}, shape(), CPU), DType.FLOAT64, shape(), 2);
    }
}
