package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ranges computed on the host are written in chunks of 2^24 elements, so their length is not
 * bounded by a Java array's: values just before, at and after a chunk boundary and at the end are
 * those of the one formula (checked here, elementwise, against it).
 */
class ChunkedCreationTest {
    private static final int CHUNK = 1 << 24;
    private static final long N = CHUNK + CHUNK / 2 + 3;

    @Test
    void arangeOfMoreThanOneChunkFollowsTheFormulaAcrossChunks() {
        RawTensor l = Creation.arange(5L, 5L + 3 * N, 3L, Device.CPU);
        RawTensor d = Creation.arange(0.5, 0.5 + N * 0.25, 0.25, DType.FLOAT64, Device.CPU);
        try {
            assertEquals(N, l.numel());
            assertEquals(N, d.numel());
            long[] lv = (long[]) l.toHost();
            double[] dv = (double[]) d.toHost();
            for (long i : new long[] {0, CHUNK - 1, CHUNK, CHUNK + 1, N - 1}) {
                assertEquals(5 + 3 * i, lv[(int) i], "int64 element " + i);
                assertEquals(0.5 + i * 0.25, dv[(int) i], "float64 element " + i);
            }
        } finally {
            l.storage.close();
            d.storage.close();
        }
    }

    @Test
    void linspaceOfMoreThanOneChunkKeepsItsSymmetricFormula() {
        RawTensor t = Creation.linspace(-1, 2, N, DType.FLOAT32, Device.CPU);
        try {
            float[] v = (float[]) t.toHost();
            float s = -1f, e = 2f, step = (e - s) / (N - 1);
            long half = N / 2;
            for (long i : new long[] {0, half - 1, half, CHUNK - 1, CHUNK, N - 1}) {
                float expected = i < half ? s + step * i : e - step * (N - 1 - i);
                assertEquals(expected, v[(int) i], "element " + i);
            }
            assertEquals(2f, v[(int) N - 1]);
        } finally {
            t.storage.close();
        }
    }
}
