package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;
import org.junit.jupiter.api.Test;

import static io.flambeau.ops.OpsAssert.*;
import static org.junit.jupiter.api.Assertions.*;

class ReductionsTest {
    private static final double NAN = Double.NaN;

    // [[1, 5, 2], [7, 0, 7]]
    private final RawTensor m = f32(shape(2, 3), 1, 5, 2, 7, 0, 7);

    @Test
    void sumAllKeepsFloatDtypeAndIsZeroDim() {
        assertTensor(Reductions.sum(m), DType.FLOAT32, shape(), 22);
        assertTensor(Reductions.sum(f64(shape(3), 0.5, 0.25, 0.125)), DType.FLOAT64, shape(), 0.875);
    }

    @Test
    void sumOfIntegersAndBoolsIsInt64() {
        long big = 1L << 60;
        assertLongs(Reductions.sum(i64(shape(3), big, 1, 2)), shape(), big + 3); // exact, not via double
        assertLongs(Reductions.sum(bools(shape(4), true, false, true, true)), shape(), 3);
        assertLongs(Reductions.sum(bools(shape(2, 2), true, false, true, true), 1, false), shape(2), 1, 2);
    }

    @Test
    void sumAlongDimsWithAndWithoutKeepdim() {
        assertTensor(Reductions.sum(m, 0, false), DType.FLOAT32, shape(3), 8, 5, 9);
        assertTensor(Reductions.sum(m, 1, true), DType.FLOAT32, shape(2, 1), 8, 14);
        assertTensor(Reductions.sum(m, -1, false), DType.FLOAT32, shape(2), 8, 14);
        RawTensor x = iota(0, 2, 3, 4);
        assertArrayEquals(shape(2, 1, 4), Reductions.sum(x, 1, true).shape);
        assertArrayEquals(shape(2, 3), Reductions.sum(x, -1, false).shape);
        assertTensor(Reductions.sum(x, 2, false), DType.FLOAT32, shape(2, 3), 6, 22, 38, 54, 70, 86);
    }

    @Test
    void sumOfZeroDimAlongDimStaysZeroDim() {
        RawTensor s = f32(shape(), 4);
        assertTensor(Reductions.sum(s, 0, true), DType.FLOAT32, shape(), 4);
        assertTensor(Reductions.sum(s, -1, false), DType.FLOAT32, shape(), 4);
        assertThrows(IndexException.class, () -> Reductions.sum(s, 1, false));
    }

    @Test
    void sumOfEmptyIsZero() {
        RawTensor e = f32(shape(0, 3));
        assertTensor(Reductions.sum(e), DType.FLOAT32, shape(), 0);
        assertTensor(Reductions.sum(e, 0, false), DType.FLOAT32, shape(3), 0, 0, 0);
        assertTensor(Reductions.sum(e, 1, false), DType.FLOAT32, shape(0));
    }

    @Test
    void sumOfNonContiguousInput() {
        RawTensor t = ShapeOps.t(m); // [[1,7],[5,0],[2,7]]
        assertTensor(Reductions.sum(t, 1, false), DType.FLOAT32, shape(3), 8, 5, 9);
    }

    @Test
    void dimOutOfRangeNamesTheOp() {
        IndexException e = assertThrows(IndexException.class, () -> Reductions.sum(m, 2, false));
        assertTrue(e.getMessage().startsWith("sum"), e.getMessage());
        assertTrue(e.getMessage().contains("[-2, 1]"), e.getMessage());
    }

    @Test
    void meanOfFloats() {
        assertTensor(Reductions.mean(m), DType.FLOAT32, shape(), 22.0 / 6);
        assertTensor(Reductions.mean(m, 1, false), DType.FLOAT32, shape(2), 8.0 / 3, 14.0 / 3);
        assertTensor(Reductions.mean(m, 0, true), DType.FLOAT32, shape(1, 3), 4, 2.5, 4.5);
        assertTensor(Reductions.mean(f32(shape(0))), DType.FLOAT32, shape(), NAN);
    }

    @Test
    void meanOfIntegersIsRefusedAsPyTorch() {
        DTypeException e = assertThrows(DTypeException.class, () -> Reductions.mean(idx(1, 2)));
        assertTrue(e.getMessage().contains("mean(): could not infer output dtype. Input dtype must be either a floating"
                + " point or complex dtype. Got: Long"), e.getMessage());
        DTypeException b = assertThrows(DTypeException.class, () -> Reductions.mean(bools(shape(1), true), 0, false));
        assertTrue(b.getMessage().contains("Got: Bool"), b.getMessage());
    }

    @Test
    void maxMinOverAll() {
        assertTensor(Reductions.max(m), DType.FLOAT32, shape(), 7);
        assertTensor(Reductions.min(m), DType.FLOAT32, shape(), 0);
        long big = (1L << 60) + 1;
        assertLongs(Reductions.max(idx(1L << 60, big, 3)), shape(), big);
        assertTensor(Reductions.max(bools(shape(2), false, true)), DType.BOOL, shape(), 1);
        assertTensor(Reductions.min(bools(shape(2), false, true)), DType.BOOL, shape(), 0);
    }

    @Test
    void maxAndMinPropagateNaN() {
        RawTensor x = f32(shape(4), 1, NAN, 5, -2);
        assertTensor(Reductions.max(x), DType.FLOAT32, shape(), NAN);
        assertTensor(Reductions.min(x), DType.FLOAT32, shape(), NAN);
        RawTensor[] r = Reductions.max(f32(shape(2, 3), 1, NAN, 3, 4, 5, 6), 1, false);
        assertTensor(r[0], DType.FLOAT32, shape(2), NAN, 6);
        assertLongs(r[1], shape(2), 1, 2);
    }

    @Test
    void argmaxReturnsFirstMaximumOrFirstNaN() {
        assertLongs(Reductions.argmax(f32(shape(4), 1, 3, 3, 2)), shape(), 1);
        assertLongs(Reductions.argmax(f32(shape(5), 1, NAN, 9, NAN, 2)), shape(), 1);
        assertLongs(Reductions.argmin(f32(shape(4), 1, 0, 0, 2)), shape(), 1);
        assertLongs(Reductions.argmin(f32(shape(3), 1, 0, NAN)), shape(), 2);
        assertLongs(Reductions.argmax(m), shape(), 3); // flat index of the first 7
        assertLongs(Reductions.argmax(m, 1, false), shape(2), 1, 0);
        assertLongs(Reductions.argmax(m, 0, true), shape(1, 3), 1, 0, 1);
        assertLongs(Reductions.argmin(m, 1, true), shape(2, 1), 0, 1);
        assertLongs(Reductions.argmax(idx(3, 9, 9)), shape(), 1);
    }

    @Test
    void maxMinAlongDimGiveValuesAndIndices() {
        RawTensor[] mx = Reductions.max(m, 1, false);
        assertTensor(mx[0], DType.FLOAT32, shape(2), 5, 7);
        assertLongs(mx[1], shape(2), 1, 0);
        RawTensor[] mn = Reductions.min(m, 0, true);
        assertTensor(mn[0], DType.FLOAT32, shape(1, 3), 1, 0, 2);
        assertLongs(mn[1], shape(1, 3), 0, 1, 0);
        RawTensor[] s = Reductions.max(f32(shape(), 3), 0, false);
        assertTensor(s[0], DType.FLOAT32, shape(), 3);
        assertLongs(s[1], shape(), 0);
    }

    @Test
    void emptyInputsAreRefused() {
        RawTensor e = f32(shape(0, 2));
        ShapeException full = assertThrows(ShapeException.class, () -> Reductions.max(e));
        assertTrue(full.getMessage().contains("max(): Expected reduction dim to be specified for input.numel() == 0"),
                full.getMessage());
        assertThrows(ShapeException.class, () -> Reductions.min(e));
        assertThrows(ShapeException.class, () -> Reductions.argmax(e));
        IndexException dim = assertThrows(IndexException.class, () -> Reductions.max(e, 0, false));
        assertTrue(dim.getMessage().contains("max(): Expected reduction dim 0 to have non-zero size"), dim.getMessage());
        assertThrows(IndexException.class, () -> Reductions.argmin(e, 0, false));
        // reducing a non-empty dim of an empty tensor is fine
        assertArrayEquals(shape(0), Reductions.max(e, 1, false)[0].shape);
    }

    @Test
    void argmaxOfBoolIsRefused() {
        assertThrows(DTypeException.class, () -> Reductions.argmax(bools(shape(2), true, false)));
    }

    @Test
    void sumToShapeSumsLeadingAndSizeOneDims() {
        RawTensor x = iota(0, 2, 3, 4);
        assertSame(x, Reductions.sumToShape(x, shape(2, 3, 4)));
        // [3, 1]: sum over dim 0 and over the last dim, keeping it
        assertTensor(Reductions.sumToShape(x, shape(3, 1)), DType.FLOAT32, shape(3, 1), 60, 92, 124);
        assertTensor(Reductions.sumToShape(x, shape(4)), DType.FLOAT32, shape(4), 60, 66, 72, 78);
        assertTensor(Reductions.sumToShape(x, shape(1, 1, 4)), DType.FLOAT32, shape(1, 1, 4), 60, 66, 72, 78);
        assertTensor(Reductions.sumToShape(x, shape(2, 1, 1)), DType.FLOAT32, shape(2, 1, 1), 66, 210);
        assertTensor(Reductions.sumToShape(x, shape()), DType.FLOAT32, shape(), 276);
    }

    @Test
    void sumToShapeOfNonContiguousInput() {
        RawTensor x = ShapeOps.permute(iota(0, 2, 3, 4), new int[] {2, 0, 1}); // [4, 2, 3], not viewable as [8, 3]
        assertTensor(Reductions.sumToShape(x, shape(3)), DType.FLOAT32, shape(3), 60, 92, 124);
    }

    @Test
    void sumToShapeRefusesShapesThatDoNotBroadcast() {
        RawTensor x = iota(0, 2, 3);
        assertThrows(ShapeException.class, () -> Reductions.sumToShape(x, shape(2)));
        assertThrows(ShapeException.class, () -> Reductions.sumToShape(x, shape(1, 2, 3)));
    }
}
