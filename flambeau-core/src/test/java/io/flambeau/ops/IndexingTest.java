package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.flambeau.ops.OpsAssert.*;
import static org.junit.jupiter.api.Assertions.*;

class IndexingTest {
    /** a[i, j] = 10 + 6i + j, shape [4, 6] (the course's example tensor). */
    private final RawTensor a = iota(10, 4, 6);
    /** x[i, j, k] = 100i + 10j + k, shape [2, 3, 4]. */
    private final RawTensor x = cube();

    private static RawTensor cube() {
        double[] v = new double[24];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++) v[i * 12 + j * 4 + k] = 100 * i + 10 * j + k;
        return f32(shape(2, 3, 4), v);
    }

    private static RawTensor get(RawTensor t, String spec) {
        return Indexing.index(t, IndexSpec.parse(spec));
    }

    private static RawTensor get(RawTensor t, String spec, Map<String, RawTensor> names) {
        return Indexing.index(t, IndexSpec.parse(spec, names));
    }

    // ---- basic indexing -----------------------------------------------------------------------

    @Test
    void rowsElementsAndSlices() {
        assertTensor(get(a, "[1]"), DType.FLOAT32, shape(6), 16, 17, 18, 19, 20, 21);
        assertTensor(get(a, "[0, 1:]"), DType.FLOAT32, shape(5), 11, 12, 13, 14, 15);
        assertTensor(get(a, "[0, :2]"), DType.FLOAT32, shape(2), 10, 11);
        assertTensor(get(a, "[2, 3]"), DType.FLOAT32, shape(), 25);
        assertTensor(get(a, "[1:3, 2:5]"), DType.FLOAT32, shape(2, 3), 18, 19, 20, 24, 25, 26);
        assertTensor(get(a, "[::3, 1::2]"), DType.FLOAT32, shape(2, 3), 11, 13, 15, 29, 31, 33);
        assertTensor(get(a, "[:, 5:100]"), DType.FLOAT32, shape(4, 1), 15, 21, 27, 33); // bounds clamp
    }

    @Test
    void negativeIndices() {
        assertTensor(get(a, "[0, -1]"), DType.FLOAT32, shape(), 15);
        assertTensor(get(a, "[-1]"), DType.FLOAT32, shape(6), 28, 29, 30, 31, 32, 33);
        assertTensor(get(a, "[-2:, -1]"), DType.FLOAT32, shape(2), 27, 33);
    }

    @Test
    void basicIndexingIsAViewSharingStorage() {
        RawTensor row = get(a, "[1, 1:]");
        assertSame(a.storage, row.storage);
        Indexing.indexFill(row, IndexSpec.parse("[0]"), -7);
        assertEquals(-7, get(a, "[1, 1]").toDoubles()[0]);
    }

    @Test
    void ellipsis() {
        assertTensor(get(x, "[..., 1]"), DType.FLOAT32, shape(2, 3), 1, 11, 21, 101, 111, 121);
        assertArrayEquals(shape(3, 4), get(x, "[0, ...]").shape);
        assertTensor(get(x, "[..., 2, :]"), DType.FLOAT32, shape(2, 4), 20, 21, 22, 23, 120, 121, 122, 123);
        RawTensor all = get(x, "[...]");
        assertArrayEquals(shape(2, 3, 4), all.shape);
        assertNotSame(x, all);
        assertSame(x.storage, all.storage);
        assertArrayEquals(shape(3, 1), get(x, "[0, ..., None, 1]").shape);
        assertThrows(IndexException.class, () -> get(x, "[..., 0, ...]"));
    }

    @Test
    void newAxis() {
        assertArrayEquals(shape(1, 4, 6), get(a, "[None]").shape);
        assertTensor(get(a, "[:, None, 1]"), DType.FLOAT32, shape(4, 1), 11, 17, 23, 29);
        assertArrayEquals(shape(4, 6, 1), get(a, "[..., None]").shape);
        assertArrayEquals(shape(1), get(f32(shape(), 3), "[None]").shape);
    }

    @Test
    void assigningThroughASlice() {
        // a[:, 0:6:2] = 99, from the course
        int before = a.storage.version();
        Indexing.indexFill(a, IndexSpec.parse("[:, 0:6:2]"), 99);
        assertEquals(before + 1, a.storage.version());
        assertTensor(get(a, "[1]"), DType.FLOAT32, shape(6), 99, 17, 99, 19, 99, 21);
        assertTensor(get(a, "[:, 1]"), DType.FLOAT32, shape(4), 11, 17, 23, 29);
    }

    @Test
    void putIntoASliceBroadcastsAndCasts() {
        Indexing.indexPut(a, IndexSpec.parse("[1:3]"), idx(1, 2, 3, 4, 5, 6), false);
        assertTensor(get(a, "[1:3]"), DType.FLOAT32, shape(2, 6), 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
        assertTensor(get(a, "[0]"), DType.FLOAT32, shape(6), 10, 11, 12, 13, 14, 15);
        // leading size-1 dims of the values are dropped, as in PyTorch: a[0] = ones(1, 6)
        Indexing.indexPut(a, IndexSpec.parse("[0]"), Creation.ones(shape(1, 6), DType.FLOAT32, a.device()), false);
        assertTensor(get(a, "[0]"), DType.FLOAT32, shape(6), 1, 1, 1, 1, 1, 1);
        Indexing.indexPut(a, IndexSpec.parse("[0, :2]"), f32(shape(), 5), true);
        assertTensor(get(a, "[0]"), DType.FLOAT32, shape(6), 6, 6, 1, 1, 1, 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Indexing.indexPut(a, IndexSpec.parse("[0, :2]"), idx(1, 2, 3), false));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void overlappingSelfAssignment() {
        RawTensor v = f32(shape(5), 0, 1, 2, 3, 4);
        Indexing.indexPut(v, IndexSpec.parse("[1:]"), get(v, "[:-1]"), false);
        assertTensor(v, DType.FLOAT32, shape(5), 0, 0, 1, 2, 3);
        RawTensor w = f32(shape(5), 0, 1, 2, 3, 4);
        Indexing.indexPut(w, IndexSpec.parse("[[1, 2]]"), get(w, "[0:2]"), false);
        assertTensor(w, DType.FLOAT32, shape(5), 0, 0, 1, 3, 4);
    }

    // ---- advanced indexing --------------------------------------------------------------------

    @Test
    void pairIndexingPicksOneElementPerRow() {
        // S[I, C] with I = arange: the score of each sample's category
        RawTensor i = Creation.arange(0, 4, 1, a.device());
        RawTensor c = idx(5, 0, 2, 1);
        assertTensor(get(a, "[I, C]", Map.of("I", i, "C", c)), DType.FLOAT32, shape(4), 15, 16, 24, 29);
    }

    @Test
    void indexLists() {
        RawTensor rows = get(a, "[[0, 2, 3]]");
        assertArrayEquals(shape(3, 6), rows.shape);
        assertNotSame(a.storage, rows.storage);
        assertTensor(get(a, "[[2, 0], 1]"), DType.FLOAT32, shape(2), 23, 11);
        assertTensor(get(a, "[[0, 2], [1]]"), DType.FLOAT32, shape(2), 11, 23); // index tensors broadcast
        assertArrayEquals(shape(2, 2, 6), get(a, "[[[0, 1], [2, 3]]]").shape);
        assertTensor(get(a, "[[[0], [3]], [0, 5]]"), DType.FLOAT32, shape(2, 2), 10, 15, 28, 33);
        assertTensor(get(a, "[[-1, 0], -1]"), DType.FLOAT32, shape(2), 33, 15);
        assertTensor(get(a, "[1:3, [0, -1]]"), DType.FLOAT32, shape(2, 2), 16, 21, 22, 27);
        assertTensor(get(f32(shape(3), 7, 8, 9), "[[[2, 2], [0, 1]]]"), DType.FLOAT32, shape(2, 2), 9, 9, 7, 8);
        assertArrayEquals(shape(0, 6), get(a, "[[]]").shape);
    }

    @Test
    void adjacentAdvancedDimsStayInPlace() {
        // x[:, [0, 2], [1, 3]] → [2, 2]: (i, n) = x[i, J[n], K[n]]
        assertTensor(get(x, "[:, [0, 2], [1, 3]]"), DType.FLOAT32, shape(2, 2), 1, 23, 101, 123);
        // x[:, [[0], [2]], 1:3]: index shape [2, 1] replaces dim 1 → [2, 2, 1, 2]
        RawTensor r = get(x, "[:, [[0], [2]], 1:3]");
        assertTensor(r, DType.FLOAT32, shape(2, 2, 1, 2), 1, 2, 21, 22, 101, 102, 121, 122);
    }

    @Test
    void nonAdjacentAdvancedDimsGoFirst() {
        // x[[0, 1], :, [1, 2]] → [2, 3]: (n, j) = x[I[n], j, K[n]]
        assertTensor(get(x, "[[0, 1], :, [1, 2]]"), DType.FLOAT32, shape(2, 3), 1, 11, 21, 102, 112, 122);
        assertTensor(get(x, "[[0, 1], 1:3, [1, 2]]"), DType.FLOAT32, shape(2, 2), 11, 21, 112, 122);
    }

    @Test
    void integersAreAppliedFirstAsPyTorchDoes() {
        // PyTorch: x[0, :, [1, 2]] is x[0][:, [1, 2]] → [3, 2] (NumPy would give [2, 3])
        assertTensor(get(x, "[0, :, [1, 2]]"), DType.FLOAT32, shape(3, 2), 1, 2, 11, 12, 21, 22);
        // x[[0, 1], 1, [1, 2]]: after the select the tensor dims are adjacent → [2]
        assertTensor(get(x, "[[0, 1], 1, [1, 2]]"), DType.FLOAT32, shape(2), 11, 112);
        // a 0-dim int64 tensor behaves as an integer
        assertTensor(get(x, "[T, :, 1]", Map.of("T", i64(shape(), 1))), DType.FLOAT32, shape(3), 101, 111, 121);
    }

    @Test
    void advancedIndexingOfViews() {
        RawTensor t = ShapeOps.t(a); // t[j, i] = a[i, j]
        assertTensor(get(t, "[[1, 5]]"), DType.FLOAT32, shape(2, 4), 11, 17, 23, 29, 15, 21, 27, 33);
        RawTensor v = get(a, "[1:, 2:]"); // offset 8
        assertTensor(get(v, "[[0, 2], [1, 0]]"), DType.FLOAT32, shape(2), 19, 30);
    }

    @Test
    void booleanMasks() {
        Map<String, RawTensor> names = Map.of("A", a);
        assertTensor(get(a, "[A>30]", names), DType.FLOAT32, shape(3), 31, 32, 33);
        assertTensor(get(a, "[[True, False, True, False]]"), DType.FLOAT32, shape(2, 6),
                10, 11, 12, 13, 14, 15, 22, 23, 24, 25, 26, 27);
        assertTensor(get(a, "[1, [True, False, False, False, False, True]]"), DType.FLOAT32, shape(2), 16, 21);
        assertTensor(get(a, "[:, [True, False, False, False, False, True]]"), DType.FLOAT32, shape(4, 2),
                10, 15, 16, 21, 22, 27, 28, 33);
        assertArrayEquals(shape(0), get(a, "[A>100]", names).shape);
    }

    @Test
    void zeroDimBoolIndexAddsADim() {
        assertArrayEquals(shape(1, 4, 6), get(a, "[B]", Map.of("B", bools(shape(), true))).shape);
        assertArrayEquals(shape(0, 4, 6), get(a, "[B]", Map.of("B", bools(shape(), false))).shape);
    }

    @Test
    void maskAssignment() {
        // A[A > 20] = 0, from the course: the mask covers A, so it runs as a select on the device
        RawTensor big = Elementwise.binaryScalar("gt", io.flambeau.backend.BinaryOp.GT, a, 20, false, false);
        int before = a.storage.version();
        Indexing.indexFill(a, List.of(new IndexItem.Tensor(big)), 0);
        assertEquals(before + 1, a.storage.version());
        assertTensor(get(a, "[1]"), DType.FLOAT32, shape(6), 16, 17, 18, 19, 20, 0);
        assertTensor(Reductions.sum(get(a, "[2:]")), DType.FLOAT32, shape(), 0);
        // a partial mask goes through nonzero + put
        Indexing.indexFill(a, IndexSpec.parse("[0, [True, False, True, False, False, False]]"), -1);
        assertTensor(get(a, "[0]"), DType.FLOAT32, shape(6), -1, 11, -1, 13, 14, 15);
        Indexing.indexPut(a, IndexSpec.parse("[[False, True, False, True]]"), idx(1, 2, 3, 4, 5, 6), false);
        assertTensor(get(a, "[3]"), DType.FLOAT32, shape(6), 1, 2, 3, 4, 5, 6);
    }

    @Test
    void putWithAdvancedIndices() {
        RawTensor v = Creation.zeros(shape(5), DType.FLOAT32, a.device());
        int before = v.storage.version();
        Indexing.indexPut(v, IndexSpec.parse("[[0, 0, 2]]"), f32(shape(3), 1, 2, 3), true);
        assertEquals(before + 1, v.storage.version());
        assertTensor(v, DType.FLOAT32, shape(5), 3, 0, 3, 0, 0); // accumulate: repeated positions add up
        Indexing.indexPut(v, IndexSpec.parse("[[-1, 1]]"), f32(shape(), 7), false);
        assertTensor(v, DType.FLOAT32, shape(5), 3, 7, 3, 0, 7);
        // S[I, C] = 0 and pair-wise accumulation into a matrix
        RawTensor s = Creation.zeros(shape(3, 3), DType.FLOAT32, a.device());
        Indexing.indexPut(s, IndexSpec.parse("[[0, 1, 2], [2, 0, 2]]"), f32(shape(3), 1, 2, 3), false);
        assertTensor(s, DType.FLOAT32, shape(3, 3), 0, 0, 1, 2, 0, 0, 0, 0, 3);
        Indexing.indexFill(s, IndexSpec.parse("[:, [0, 2]]"), 5);
        assertTensor(s, DType.FLOAT32, shape(3, 3), 5, 0, 5, 5, 0, 5, 5, 0, 5);
        // values broadcast along the remaining dim and converted to the tensor's dtype
        Indexing.indexPut(s, IndexSpec.parse("[[2, 0]]"), idx(7, 8, 9), false);
        assertTensor(s, DType.FLOAT32, shape(3, 3), 7, 8, 9, 5, 0, 5, 7, 8, 9);
        assertThrows(ShapeException.class, () -> Indexing.indexPut(s, IndexSpec.parse("[[2, 0]]"), idx(1, 2), false));
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void outOfRangeIndices() {
        IndexException e = assertThrows(IndexException.class, () -> get(a, "[5]"));
        assertTrue(e.getMessage().contains("index 5 is out of bounds for dimension 0 with size 4"), e.getMessage());
        IndexException e2 = assertThrows(IndexException.class, () -> get(a, "[0, 6]")); // PyTorch names the dim of a, not of the view after a[0]
        assertTrue(e2.getMessage().contains("index 6 is out of bounds for dimension 1 with size 6"), e2.getMessage());
        IndexException t = assertThrows(IndexException.class, () -> get(a, "[[0, 4]]"));
        assertTrue(t.getMessage().contains("index 4 is out of bounds for dimension 0 with size 4"), t.getMessage());
        IndexException n = assertThrows(IndexException.class, () -> get(a, "[:, [-7]]"));
        assertTrue(n.getMessage().contains("index -7 is out of bounds for dimension 1 with size 6"), n.getMessage());
        assertThrows(IndexException.class, () -> Indexing.indexFill(a, IndexSpec.parse("[[9]]"), 0));
    }

    @Test
    void tooManyIndices() {
        IndexException e = assertThrows(IndexException.class, () -> get(a, "[0, 0, 0]"));
        assertTrue(e.getMessage().contains("too many indices for tensor of dimension 2"), e.getMessage());
        assertThrows(IndexException.class, () -> get(a, "[0, [True, False]]"));
        assertThrows(IndexException.class, () -> get(f32(shape(), 1), "[0]"));
    }

    @Test
    void maskShapeMismatch() {
        IndexException e = assertThrows(IndexException.class,
                () -> get(f32(shape(3), 1, 2, 3), "[[True, False]]"));
        assertTrue(e.getMessage().contains("The shape of the mask [2] at index 0 does not match the shape of the"
                + " indexed tensor [3] at index 0"), e.getMessage());
    }

    @Test
    void indexTensorsThatDoNotBroadcast() {
        ShapeException e = assertThrows(ShapeException.class, () -> get(a, "[[0, 1], [0, 1, 2]]"));
        assertTrue(e.getMessage().contains("[2], [3]"), e.getMessage());
    }

    @Test
    void floatIndexTensorsAreRefused() {
        assertThrows(IndexException.class, () -> get(a, "[F]", Map.of("F", f32(shape(1), 0))));
    }

    @Test
    void zeroStepIsRefused() {
        assertThrows(IndexException.class, () -> Indexing.index(a, List.of(new IndexItem.Range(null, null, 0))));
    }
}
