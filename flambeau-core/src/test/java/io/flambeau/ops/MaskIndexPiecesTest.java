package io.flambeau.ops;

import io.flambeau.Cuda;
import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.TensorInternals;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.IndexException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code x[mask]} and {@code x[mask] = v} with the mask read in pieces ({@link MaskCoordinates}):
 * with the piece size forced to 1, 7 and the default through {@value MaskCoordinates#PIECE_PROPERTY},
 * on the CPU and on the simulated GPU, every result equals one computed here on the host by walking
 * the elements in row-major order; and on the GPU a mask read in pieces makes exactly one scalar read
 * per piece, one download per piece holding a true element and one upload per mask dim of those.
 */
class MaskIndexPiecesTest {
    private static final Device GPU = Device.cuda(0);
    private static final long[] PIECES = {1, 7, 1L << 22};

    @BeforeAll
    static void gpu() { SimCuda.install(); }

    @AfterEach
    void defaultPieces() { System.clearProperty(MaskCoordinates.PIECE_PROPERTY); }

    private static void pieces(long elements) { System.setProperty(MaskCoordinates.PIECE_PROPERTY, Long.toString(elements)); }

    private static List<Device> devices() { return List.of(Device.CPU, GPU); }

    /** x[i] = i - 40, as float32, of the given shape. */
    private static Tensor values(Device d, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return Torch.arange(0.0, n, 1.0, DType.FLOAT64).add(-40).to(DType.FLOAT32).reshape(shape).to(d);
    }

    /** A fixed irregular pattern: element i is true when (i * 37) % 11 < 4. */
    private static boolean[] pattern(int n) {
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) m[i] = (i * 37) % 11 < 4;
        return m;
    }

    private static Tensor mask(boolean[] m, Device d, long... shape) {
        return Torch.tensor(m).reshape(shape).to(d);
    }

    /** The host answer to x[mask] for a mask over x's leading dims: the rows (of {@code inner} elements) where it is true. */
    private static float[] selected(float[] x, boolean[] m, int inner) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            if (m[i]) for (int j = 0; j < inner; j++) out.add(x[i * inner + j]);
        }
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = out.get(i);
        return r;
    }

    private static int trueCount(boolean[] m) {
        int c = 0;
        for (boolean b : m) if (b) c++;
        return c;
    }

    @Test
    void fullMaskSelectsInRowMajorOrder() {
        for (Device d : devices()) {
            for (long piece : PIECES) {
                pieces(piece);
                Tensor x = values(d, 6, 5, 7);
                boolean[] m = pattern(210);
                Tensor got = x.get(mask(m, d, 6, 5, 7));
                String where = d + ", pieces of " + piece;
                assertArrayEquals(new long[] {(long) trueCount(m)}, got.shape().toArray(), where);
                assertEquals(d, got.device(), where);
                assertArrayEquals(selected(x.toFloatArray(), m, 1), got.toFloatArray(), where);
            }
        }
    }

    @Test
    void maskOverTheLeadingDimsKeepsTheRest() {
        for (Device d : devices()) {
            for (long piece : PIECES) {
                pieces(piece); // pieces of 7 end mid-row of the [6, 5] mask
                Tensor x = values(d, 6, 5, 7);
                boolean[] m = pattern(30);
                Tensor got = x.get(mask(m, d, 6, 5));
                String where = d + ", pieces of " + piece;
                assertArrayEquals(new long[] {(long) trueCount(m), 7L}, got.shape().toArray(), where);
                assertArrayEquals(selected(x.toFloatArray(), m, 7), got.toFloatArray(), where);
            }
        }
    }

    @Test
    void maskOverTheTrailingDimsAfterASlice() {
        for (Device d : devices()) {
            for (long piece : PIECES) {
                pieces(piece);
                Tensor x = values(d, 6, 5, 7);
                boolean[] m = pattern(35);
                Tensor got = x.get(Index.all(), mask(m, d, 5, 7)); // x[:, mask]: shape [6, count]
                String where = d + ", pieces of " + piece;
                int count = trueCount(m);
                assertArrayEquals(new long[] {6L, (long) count}, got.shape().toArray(), where);
                float[] all = x.toFloatArray(), expected = new float[6 * count];
                for (int i = 0, e = 0; i < 6; i++) {
                    for (int f = 0; f < 35; f++) if (m[f]) expected[e++] = all[i * 35 + f];
                }
                assertArrayEquals(expected, got.toFloatArray(), where);
            }
        }
    }

    @Test
    void stridedMaskIsReadInRowMajorOrderOfItsView() {
        for (Device d : devices()) {
            pieces(7);
            Tensor x = values(d, 7, 6);
            boolean[] m = pattern(42);
            Tensor transposed = mask(m, d, 6, 7).t(); // shape [7, 6], not contiguous
            Tensor got = x.get(transposed);
            boolean[] rowMajor = new boolean[42]; // the transposed mask in row-major order
            for (int i = 0; i < 7; i++) for (int j = 0; j < 6; j++) rowMajor[i * 6 + j] = m[j * 7 + i];
            assertArrayEquals(selected(x.toFloatArray(), rowMajor, 1), got.toFloatArray(), d.toString());
        }
    }

    @Test
    void noneAndAllTrue() {
        for (Device d : devices()) {
            for (long piece : PIECES) {
                pieces(piece);
                Tensor x = values(d, 4, 9);
                String where = d + ", pieces of " + piece;
                Tensor none = x.get(mask(new boolean[36], d, 4, 9));
                assertArrayEquals(new long[] {0L}, none.shape().toArray(), where);
                Tensor noRows = x.get(mask(new boolean[4], d, 4));
                assertArrayEquals(new long[] {0L, 9L}, noRows.shape().toArray(), where);
                boolean[] all = new boolean[36];
                java.util.Arrays.fill(all, true);
                assertArrayEquals(x.toFloatArray(), x.get(mask(all, d, 4, 9)).toFloatArray(), where);
                assertArrayEquals(new long[] {4L, 9L}, x.get(mask(new boolean[] {true, true, true, true}, d, 4)).shape().toArray(), where);
                Tensor empty = values(d, 0, 3).get(mask(new boolean[0], d, 0));
                assertArrayEquals(new long[] {0L, 3L}, empty.shape().toArray(), where);
            }
        }
    }

    @Test
    void indexPutWithAMaskReplacesOrAccumulates() {
        for (Device d : devices()) {
            for (long piece : PIECES) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    pieces(piece);
                    String where = d + ", pieces of " + piece + ", accumulate " + accumulate;
                    RawTensor x = raw(values(d, 6, 5, 7));
                    boolean[] m = pattern(30);
                    int count = trueCount(m);
                    float[] v = new float[count * 7];
                    for (int i = 0; i < v.length; i++) v[i] = 1000 + i;
                    float[] expected = values(Device.CPU, 6, 5, 7).toFloatArray();
                    for (int f = 0, row = 0; f < 30; f++) {
                        if (!m[f]) continue;
                        for (int j = 0; j < 7; j++) expected[f * 7 + j] = (accumulate ? expected[f * 7 + j] : 0) + v[row * 7 + j];
                        row++;
                    }
                    RawTensor vals = raw(Torch.tensor(v).reshape(count, 7).to(d));
                    Indexing.indexPut(x, List.of(new IndexItem.Tensor(raw(mask(m, d, 6, 5)))), vals, accumulate);
                    assertArrayEquals(expected, (float[]) x.toHost(), where);
                }
            }
        }
    }

    @Test
    void setWithAPartialMaskAndABroadcastValue() {
        for (Device d : devices()) {
            pieces(7);
            Tensor x = values(d, 6, 5, 7);
            boolean[] m = pattern(35);
            x.set(new Object[] {Index.all(), mask(m, d, 5, 7)}, 9.5);
            float[] expected = values(Device.CPU, 6, 5, 7).toFloatArray();
            for (int i = 0; i < 6; i++) for (int f = 0; f < 35; f++) if (m[f]) expected[i * 35 + f] = 9.5f;
            assertArrayEquals(expected, x.toFloatArray(), d.toString());
        }
    }

    @Test
    void gradientOfAMaskedSelectLandsOnTheSelectedElements() {
        for (Device d : devices()) {
            pieces(7);
            Tensor x = values(Device.CPU, 6, 5).requiresGrad_(true);
            boolean[] m = pattern(30);
            int count = trueCount(m);
            Tensor w = Torch.arange(1.0, count + 1, 1.0, DType.FLOAT32).to(d);
            x.to(d).get(mask(m, d, 6, 5)).mul(w).sum().backward();
            float[] expected = new float[30];
            for (int f = 0, k = 1; f < 30; f++) if (m[f]) expected[f] = k++;
            assertArrayEquals(expected, x.grad().toFloatArray(), d.toString());
        }
    }

    @Test
    void gradientsOfAMaskedAssignmentSplitBetweenTheTensorAndTheValues() {
        for (Device d : devices()) {
            pieces(7);
            boolean[] m = pattern(30);
            int count = trueCount(m);
            Tensor leaf = values(Device.CPU, 6, 5).requiresGrad_(true);
            Tensor v = Torch.arange(0.0, count, 1.0, DType.FLOAT32).requiresGrad_(true);
            Tensor x = leaf.to(d).mul(1.0);
            x.set(mask(m, d, 6, 5), v.to(d)); // index_put_ with a mask, on a non-leaf
            Tensor w = Torch.arange(1.0, 31, 1.0, DType.FLOAT32).reshape(6, 5).to(d);
            x.mul(w).sum().backward();
            float[] leafGrad = new float[30], valueGrad = new float[count];
            for (int f = 0, k = 0; f < 30; f++) {
                if (m[f]) valueGrad[k++] = f + 1;
                else leafGrad[f] = f + 1;
            }
            assertArrayEquals(leafGrad, leaf.grad().toFloatArray(), "overwritten elements get no gradient, " + d);
            assertArrayEquals(valueGrad, v.grad().toFloatArray(), "each value gets its element's gradient, " + d);
        }
    }

    @Test
    void maskShapeErrorsAreUnchanged() {
        for (Device d : devices()) {
            pieces(1);
            IndexException e = assertThrows(IndexException.class, () -> values(d, 3).get(mask(new boolean[2], d, 2)));
            assertTrue(e.getMessage().contains("The shape of the mask [2] at index 0 does not match the shape of the"
                    + " indexed tensor [3] at index 0"), e.getMessage());
        }
    }

    // ---- exact transfers on the simulated GPU ---------------------------------------------------

    @Test
    void onTheGpuOnlyPiecesHoldingATrueElementAreDownloaded() {
        boolean[] m = new boolean[100]; // true at 3, 4 (piece 0), 50 (piece 7), 97 (piece 13) of 15 pieces of 7
        m[3] = m[4] = m[50] = m[97] = true;
        RawTensor mask = raw(mask(m, GPU, 10, 10));
        pieces(7);
        DeviceCounters before = Cuda.counters(GPU);
        List<RawTensor> coords = MaskCoordinates.of("index", mask);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(15 + 3, work.deviceToHost(), "one count per piece, then the 3 pieces with a true: " + work);
        assertEquals(2 * 3, work.hostToDevice(), "one upload per mask dim for each of those pieces: " + work);
        assertArrayEquals(new long[] {0, 0, 5, 9}, coords.get(0).toLongs());
        assertArrayEquals(new long[] {3, 4, 0, 7}, coords.get(1).toLongs());
    }

    @Test
    void onTheGpuAnAllFalseMaskIsNeverDownloaded() {
        RawTensor mask = raw(mask(new boolean[100], GPU, 100));
        pieces(10);
        DeviceCounters before = Cuda.counters(GPU);
        List<RawTensor> coords = MaskCoordinates.of("index", mask);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(10, work.deviceToHost(), "one count per piece: " + work);
        assertEquals(0, work.hostToDevice(), work.toString());
        assertEquals(0, coords.get(0).numel());
        assertEquals(GPU, coords.get(0).device());
    }

    @Test
    void onTheGpuAMaskThatFitsInOnePieceIsDownloadedOnce() {
        boolean[] m = pattern(100);
        RawTensor mask = raw(mask(m, GPU, 4, 25));
        DeviceCounters before = Cuda.counters(GPU); // the default piece, 2^22 elements
        List<RawTensor> coords = MaskCoordinates.of("index", mask);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(1, work.deviceToHost(), work.toString());
        assertEquals(2, work.hostToDevice(), "one upload per mask dim: " + work);
        assertEquals(trueCount(m), coords.get(0).numel());
    }

    private static RawTensor raw(Tensor t) { return TensorInternals.variable(t).data; }
}
