package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;
import org.junit.jupiter.api.Test;

import static io.flambeau.ops.OpsAssert.*;
import static org.junit.jupiter.api.Assertions.*;

class LinalgTest {
    private static final double TOL = 1e-6;

    /** Row-major reference product of one (m×k) and one (k×n) block of host arrays. */
    private static double[] ref(double[] a, int aOff, double[] b, int bOff, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) c[i * n + j] += a[aOff + i * k + p] * b[bOff + p * n + j];
        return c;
    }

    @Test
    void vectorDotVectorIsZeroDim() {
        assertTensor(Linalg.matmul(f32(shape(3), 1, 2, 3), f32(shape(3), 4, 5, 6)), DType.FLOAT32, shape(), 32);
    }

    @Test
    void matrixTimesMatrix() {
        RawTensor a = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        RawTensor b = f32(shape(3, 2), 7, 8, 9, 10, 11, 12);
        assertTensor(Linalg.matmul(a, b), DType.FLOAT32, shape(2, 2), 58, 64, 139, 154);
        assertTensor(Linalg.mm(a, b), DType.FLOAT32, shape(2, 2), 58, 64, 139, 154);
    }

    @Test
    void vectorTimesMatrixDropsThePrependedDim() {
        RawTensor b = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertTensor(Linalg.matmul(f32(shape(2), 1, 2), b), DType.FLOAT32, shape(3), 9, 12, 15);
    }

    @Test
    void matrixTimesVectorDropsTheAppendedDim() {
        RawTensor a = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertTensor(Linalg.matmul(a, f32(shape(3), 1, 0, -1)), DType.FLOAT32, shape(2), -2, -2);
    }

    @Test
    void batchTimesMatrixFoldsTheBatch() {
        RawTensor a = iota(0, 2, 2, 3);
        RawTensor b = iota(1, 3, 4);
        double[] ad = a.toDoubles(), bd = b.toDoubles();
        double[] want = new double[16];
        for (int bi = 0; bi < 2; bi++) System.arraycopy(ref(ad, bi * 6, bd, 0, 2, 3, 4), 0, want, bi * 8, 8);
        RawTensor c = Linalg.matmul(a, b);
        assertArrayEquals(shape(2, 2, 4), c.shape);
        assertClose(want, c.toDoubles(), TOL);
    }

    @Test
    void batchTimesBatchWithBroadcastBatchDims() {
        // [2,1,2,3] · [3,3,2] → batch [2,3], result [2,3,2,2]
        RawTensor a = iota(0, 2, 1, 2, 3);
        RawTensor b = iota(-5, 3, 3, 2);
        double[] ad = a.toDoubles(), bd = b.toDoubles();
        double[] want = new double[2 * 3 * 4];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                System.arraycopy(ref(ad, i * 6, bd, j * 6, 2, 3, 2), 0, want, (i * 3 + j) * 4, 4);
        RawTensor c = Linalg.matmul(a, b);
        assertArrayEquals(shape(2, 3, 2, 2), c.shape);
        assertClose(want, c.toDoubles(), TOL);
        // a left operand with a batch of 1 is broadcast over the right's batch
        RawTensor c2 = Linalg.matmul(iota(0, 1, 2, 3), iota(-5, 4, 3, 2));
        assertArrayEquals(shape(4, 2, 2), c2.shape);
    }

    @Test
    void vectorTimesBatchAndBatchTimesVector() {
        RawTensor batch = iota(0, 2, 3, 4);
        double[] bd = batch.toDoubles();
        double[] v3 = {1, -1, 2}, v4 = {1, 0, -1, 2};
        RawTensor left = Linalg.matmul(f32(shape(3), v3), batch);
        assertArrayEquals(shape(2, 4), left.shape);
        double[] wantLeft = new double[8];
        for (int bi = 0; bi < 2; bi++) System.arraycopy(ref(v3, 0, bd, bi * 12, 1, 3, 4), 0, wantLeft, bi * 4, 4);
        assertClose(wantLeft, left.toDoubles(), TOL);
        RawTensor right = Linalg.matmul(batch, f32(shape(4), v4));
        assertArrayEquals(shape(2, 3), right.shape);
        assertClose(ref(bd, 0, v4, 0, 6, 4, 1), right.toDoubles(), TOL);
    }

    @Test
    void nonContiguousOperands() {
        RawTensor a = ShapeOps.t(f32(shape(3, 2), 1, 4, 2, 5, 3, 6)); // [[1,2,3],[4,5,6]] transposed view
        RawTensor b = ShapeOps.t(f32(shape(2, 3), 7, 9, 11, 8, 10, 12));
        assertTensor(Linalg.matmul(a, b), DType.FLOAT32, shape(2, 2), 58, 64, 139, 154);
        // a permuted batch that cannot be folded into rows without a copy
        RawTensor p = ShapeOps.permute(iota(0, 2, 2, 3), new int[] {1, 0, 2}); // [2(b),2,3] with batch stride 3
        double[] pd = p.toDoubles(), bd = iota(1, 3, 4).toDoubles();
        double[] want = new double[16];
        for (int bi = 0; bi < 2; bi++) System.arraycopy(ref(pd, bi * 6, bd, 0, 2, 3, 4), 0, want, bi * 8, 8);
        assertClose(want, Linalg.matmul(p, iota(1, 3, 4)).toDoubles(), TOL);
    }

    @Test
    void integerAndMixedDtypes() {
        long big = 1L << 40;
        assertLongs(Linalg.matmul(idx(big, 1), i64(shape(2, 1), 3, 5)), shape(1), 3 * big + 5);
        // PyTorch does not promote in products: "expected scalar type Long but found Double"
        DTypeException mixed = assertThrows(DTypeException.class, () -> Linalg.matmul(idx(1, 2), f64(shape(2), 0.5, 0.25)));
        assertTrue(mixed.getMessage().contains("int64") && mixed.getMessage().contains("float64")
                && mixed.getMessage().contains(".float()"), mixed.getMessage());
    }

    @Test
    void emptyInnerDimGivesZeros() {
        assertTensor(Linalg.matmul(f32(shape(2, 0)), f32(shape(0, 3))), DType.FLOAT32, shape(2, 3), 0, 0, 0, 0, 0, 0);
        assertArrayEquals(shape(0, 2, 4), Linalg.matmul(f32(shape(0, 2, 3)), f32(shape(3, 4))).shape);
    }

    @Test
    void mismatchedInnerDimsNameBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Linalg.matmul(f32(shape(2, 3)), f32(shape(4, 3))));
        assertTrue(e.getMessage().startsWith("matmul"), e.getMessage());
        assertTrue(e.getMessage().contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x3)"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Linalg.matmul(f32(shape(3)), f32(shape(4))));
        assertThrows(ShapeException.class, () -> Linalg.matmul(f32(shape(2, 3)), f32(shape(4))));
        assertThrows(ShapeException.class, () -> Linalg.matmul(f32(shape(5, 2, 3)), f32(shape(5, 4, 2))));
    }

    @Test
    void batchDimsThatDoNotBroadcast() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Linalg.matmul(f32(shape(2, 2, 3)), f32(shape(3, 3, 2))));
        assertTrue(e.getMessage().contains("[2, 2, 3]") && e.getMessage().contains("[3, 3, 2]"), e.getMessage());
    }

    @Test
    void zeroDimAndBoolOperandsAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> Linalg.matmul(f32(shape(), 1), f32(shape(2, 2))));
        assertTrue(e.getMessage().contains("0D and 2D"), e.getMessage());
        assertThrows(DTypeException.class, () -> Linalg.matmul(bools(shape(1), true), bools(shape(1), true)));
    }

    @Test
    void mmTakesMatricesOnly() {
        assertThrows(ShapeException.class, () -> Linalg.mm(f32(shape(3)), f32(shape(3, 2))));
        assertThrows(ShapeException.class, () -> Linalg.mm(f32(shape(1, 2, 3)), f32(shape(3, 2))));
        ShapeException e = assertThrows(ShapeException.class, () -> Linalg.mm(f32(shape(2, 3)), f32(shape(2, 3))));
        assertTrue(e.getMessage().startsWith("mm"), e.getMessage());
    }
}
