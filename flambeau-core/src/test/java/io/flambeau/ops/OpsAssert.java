package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small builders and assertions shared by the ops tests (CPU tensors). */
final class OpsAssert {
    private OpsAssert() {}

    static long[] shape(long... s) { return s; }

    static RawTensor f32(long[] shape, double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return RawTensor.fromHost(f, shape, Device.CPU);
    }

    static RawTensor f64(long[] shape, double... values) {
        return RawTensor.fromHost(values.clone(), shape, Device.CPU);
    }

    static RawTensor i64(long[] shape, long... values) {
        return RawTensor.fromHost(values.clone(), shape, Device.CPU);
    }

    static RawTensor bools(long[] shape, boolean... values) {
        return RawTensor.fromHost(values.clone(), shape, Device.CPU);
    }

    /** 1-D int64 tensor. */
    static RawTensor idx(long... values) {
        return i64(new long[] {values.length}, values);
    }

    /** float32 tensor of the given shape holding {@code start, start+1, ...}. */
    static RawTensor iota(double start, long... shape) {
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = start + i;
        return f32(shape, v);
    }

    static void assertTensor(RawTensor t, DType dtype, long[] shape, double... expected) {
        assertEquals(dtype, t.dtype(), "dtype of " + t);
        assertArrayEquals(shape, t.shape, "shape of " + t + ": " + Arrays.toString(t.shape));
        double[] want = expected.clone();
        if (dtype == DType.FLOAT32) for (int i = 0; i < want.length; i++) want[i] = (float) want[i]; // rounded once, as the op
        assertClose(want, t.toDoubles(), 0);
    }

    static void assertLongs(RawTensor t, long[] shape, long... expected) {
        assertEquals(DType.INT64, t.dtype(), "dtype of " + t);
        assertArrayEquals(shape, t.shape, "shape of " + t);
        assertArrayEquals(expected, t.toLongs());
    }

    /** Element-wise |a-e| <= rel*max(1,|e|), NaN only where NaN is expected. */
    static void assertClose(double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(a), "element " + i + ": expected NaN, got " + a);
            } else if (Double.isInfinite(e)) {
                assertEquals(e, a, "element " + i);
            } else {
                assertTrue(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)),
                        "element " + i + ": expected " + e + ", got " + a + " (in " + Arrays.toString(actual) + ")");
            }
        }
    }
}
