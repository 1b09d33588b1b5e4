package io.flambeau.course;

import io.flambeau.Shape;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.ShapeException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BinaryOperator;

import static io.flambeau.course.Printed.assertPrints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every code sample of course sections 2.1 to 2.8 on broadcasting, asserting what PyTorch prints. */
class Section2Test {
    private static final int[][] A43 = {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}};

    private static Shape broadcastShape(long[] a, long[] b) {
        return Torch.zeros(a).add(Torch.zeros(b)).shape();
    }

    @Test
    void resultSizesOfSection2_1() {
        assertEquals(new Shape(3, 4), broadcastShape(new long[] {3, 4}, new long[] {1}));
        assertEquals(new Shape(3, 4), broadcastShape(new long[] {3, 4}, new long[] {1, 1}));
        assertEquals(new Shape(3, 4), broadcastShape(new long[] {3, 1}, new long[] {4}));
        assertEquals(new Shape(3, 4), broadcastShape(new long[] {3, 1}, new long[] {1, 4}));
        assertEquals(new Shape(1, 3, 4), broadcastShape(new long[] {1, 1, 4}, new long[] {1, 3, 1}));
        assertEquals(new Shape(3, 2, 4), broadcastShape(new long[] {1, 1, 4}, new long[] {3, 2, 1}));
        assertEquals("torch.Size([3, 2, 4])", broadcastShape(new long[] {1, 1, 4}, new long[] {3, 2, 1}).toString());
    }

    @Test
    void threeFourPlusThreeIsIncompatible() {
        ShapeException e = assertThrows(ShapeException.class, () -> Torch.zeros(3, 4).add(Torch.zeros(3)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void oneOneFourPlusOneThreeIsIncompatible() {
        ShapeException e = assertThrows(ShapeException.class, () -> Torch.zeros(1, 1, 4).add(Torch.zeros(1, 3)));
        assertTrue(e.getMessage().contains("[1, 1, 4]") && e.getMessage().contains("[1, 3]"), e.getMessage());
    }

    /** The course's loop form of C = A + B for rank-3 tensors: a size-1 dimension always reads index 0. */
    @Test
    void loopFormOfSection2_1MatchesTheTensorOp() {
        Tensor a = Torch.floatTensor(new int[][][] {{{1, 2, 3, 4}}});
        Tensor b = Torch.floatTensor(new int[][][] {{{10}, {20}}, {{30}, {40}}, {{50}, {60}}});
        long[] as = a.shape().toArray(), bs = b.shape().toArray();
        float[][][] c = new float[3][2][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 4; k++) {
                    c[i][j][k] = (float) (a.get(as[0] == 1 ? 0 : i, as[1] == 1 ? 0 : j, as[2] == 1 ? 0 : k).item()
                            + b.get(bs[0] == 1 ? 0 : i, bs[1] == 1 ? 0 : j, bs[2] == 1 ? 0 : k).item());
                }
            }
        }
        assertTrue(Torch.floatTensor(c).equal(a.add(b)));
    }

    @Test
    void matrixPlusOneValue_2_2() {
        Tensor a = Torch.floatTensor(A43);
        String expected = "tensor([[ 7.,  7.,  7.],\n        [17., 17., 17.],\n        [27., 27., 27.],\n"
                + "        [37., 37., 37.]])";
        assertPrints(expected, a.add(Torch.floatTensor(new int[][] {{7}})));
        assertPrints(expected, a.add(Torch.floatTensor(new int[] {7})));
    }

    @Test
    void matrixPlusColumn_2_3() {
        Tensor r = Torch.floatTensor(A43).add(Torch.floatTensor(new int[][] {{1}, {2}, {3}, {4}}));
        assertPrints("tensor([[ 1.,  1.,  1.],\n        [12., 12., 12.],\n        [23., 23., 23.],\n"
                + "        [34., 34., 34.]])", r);
    }

    @Test
    void matrixPlusRow_2_4() {
        Tensor a = Torch.floatTensor(A43);
        String expected = "tensor([[ 0.,  1.,  2.],\n        [10., 11., 12.],\n        [20., 21., 22.],\n"
                + "        [30., 31., 32.]])";
        assertPrints(expected, a.add(Torch.floatTensor(new int[] {0, 1, 2})));
        assertPrints(expected, a.add(Torch.floatTensor(new int[][] {{0, 1, 2}})));
    }

    @Test
    void columnPlusRow_2_5() {
        Tensor a = Torch.floatTensor(new int[][] {{10}, {10}, {10}, {10}});
        Tensor b = Torch.floatTensor(new int[][] {{0, 1, 2}});
        String expected = "tensor([[10., 11., 12.],\n        [10., 11., 12.],\n        [10., 11., 12.],\n"
                + "        [10., 11., 12.]])";
        assertPrints(expected, a.add(b));
        assertPrints(expected, b.add(a));
        assertPrints(expected, a.add(Torch.floatTensor(new int[] {0, 1, 2})));
    }

    @Test
    void matrixPlus3dColumn_2_6() {
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}});
        Tensor b = Torch.floatTensor(new int[][][] {{{4}}, {{5}}, {{6}}});
        Tensor r = a.add(b);
        assertEquals(new Shape(3, 3, 3), r.shape());
        assertPrints("tensor([[[ 4.,  4.,  4.],\n"
                + "         [14., 14., 14.],\n"
                + "         [24., 24., 24.]],\n"
                + "\n"
                + "        [[ 5.,  5.,  5.],\n"
                + "         [15., 15., 15.],\n"
                + "         [25., 25., 25.]],\n"
                + "\n"
                + "        [[ 6.,  6.,  6.],\n"
                + "         [16., 16., 16.],\n"
                + "         [26., 26., 26.]]])", r);
    }

    @Test
    void forgottenBracketsGiveAColumn_2_6() {
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}});
        Tensor r = a.add(Torch.floatTensor(new int[][] {{4}, {5}, {6}}));
        assertEquals(new Shape(3, 3), r.shape());
        assertPrints("tensor([[ 4.,  4.,  4.],\n        [15., 15., 15.],\n        [26., 26., 26.]])", r);
    }

    @Test
    void pictureOfSection2_7() {
        Tensor r = Torch.floatTensor(new int[][] {{1, 2}, {3, 4}}).add(Torch.floatTensor(new int[][][] {{{10}}, {{20}}, {{30}}}));
        assertEquals("torch.Size([3, 2, 2])", r.shape().toString());
        assertPrints("tensor([[[11., 12.],\n         [13., 14.]],\n\n        [[21., 22.],\n         [23., 24.]],\n\n"
                + "        [[31., 32.],\n         [33., 34.]]])", r);
    }

    @Test
    void everyBinaryOpBroadcasts() {
        Tensor col = Torch.floatTensor(new int[][] {{1}, {2}, {3}, {4}});
        Tensor row = Torch.floatTensor(new int[][] {{1, 2, 3}});
        List<BinaryOperator<Tensor>> ops = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div, Tensor::pow,
                Tensor::maximum, Tensor::minimum, Tensor::eq, Tensor::gt, Tensor::le);
        for (BinaryOperator<Tensor> op : ops) {
            assertEquals(new Shape(4, 3), op.apply(col, row).shape());
            assertThrows(ShapeException.class, () -> op.apply(Torch.zeros(3, 4), Torch.zeros(3)));
        }
        assertPrints("tensor([[ 0., -1., -2.],\n        [ 1.,  0., -1.],\n        [ 2.,  1.,  0.],\n"
                + "        [ 3.,  2.,  1.]])", col.sub(row));
        assertPrints("tensor([[ 1.,  2.,  3.],\n        [ 2.,  4.,  6.],\n        [ 3.,  6.,  9.],\n"
                + "        [ 4.,  8., 12.]])", col.mul(row));
        assertPrints("tensor([[False, False, False],\n        [ True, False, False],\n        [ True,  True, False],\n"
                + "        [ True,  True,  True]])", col.gt(row));
    }

    @Test
    void inPlaceOpsBroadcastTheOtherOperandOnly() {
        Tensor a = Torch.floatTensor(A43);
        a.add_(Torch.floatTensor(new int[] {0, 1, 2}));
        assertPrints("tensor([[ 0.,  1.,  2.],\n        [10., 11., 12.],\n        [20., 21., 22.],\n"
                + "        [30., 31., 32.]])", a);
        // the result of an in-place op must fit the tensor written into
        assertThrows(ShapeException.class, () -> Torch.zeros(4, 1).add_(Torch.zeros(1, 3)));
    }
}
