package io.flambeau.course;

import io.flambeau.Index;
import io.flambeau.Shape;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.IndexException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.flambeau.course.Printed.assertPrints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every code sample of course sections 1.3 to 1.10, asserting what PyTorch prints for it. */
class Section1Test {
    /** The (2, 3, 4) tensor of 1.4, whose element [i, j, k] is j. */
    private static Tensor rows012() {
        return Torch.floatTensor(new int[][][] {
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}},
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}});
    }

    @Nested
    class CreationAndConversion_1_3 {
        @Test
        void floatTensorFromAListOfLists() {
            Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
            assertPrints("tensor([[1., 2., 3.],\n        [4., 5., 6.]])", a);
            assertEquals(DType.FLOAT32, a.dtype());
        }

        @Test
        void floatTensorFromAnArrayPrintsTheSame() {
            Tensor b = Torch.floatTensor(new int[][] {{1, 2, 3}, {4, 5, 6}});
            assertPrints("tensor([[1., 2., 3.],\n        [4., 5., 6.]])", b);
            assertTrue(b.equal(Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)))));
        }

        @Test
        void randIsUniformOnZeroOneAndReproducibleBySeed() {
            Torch.manualSeed(7);
            Tensor r = Torch.rand(2, 3);
            assertEquals(new Shape(2, 3), r.shape());
            assertEquals(DType.FLOAT32, r.dtype());
            for (double v : r.toDoubleArray()) assertTrue(v >= 0 && v < 1, "rand value " + v);
            Torch.manualSeed(7);
            assertTrue(r.equal(Torch.rand(2, 3)));
        }

        @Test
        void tolistGivesPythonsNestedList() {
            Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
            assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)), a.tolist());
            assertEquals("[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]", a.tolist().toString());
        }

        @Test
        void toArrayStandsInForNumpy() {
            Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
            float[][] array = (float[][]) a.toArray();
            assertEquals("[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]", Arrays.deepToString(array));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
        }

        @Test
        void itemOfAOneElementTensor() {
            Tensor a = Torch.floatTensor(List.of(2));
            assertEquals(2.0, a.item());
            assertEquals("2.0", String.valueOf(a.item()));
        }
    }

    @Nested
    class Shapes_1_4 {
        @Test
        void shapeOfNestedLists() {
            assertEquals("torch.Size([2, 3, 4])", rows012().shape().toString());
            assertEquals("torch.Size([4])", Torch.tensor(new int[] {0, 0, 0, 0}).shape().toString());
            assertEquals("torch.Size([3, 4])",
                    Torch.tensor(new int[][] {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}).shape().toString());
        }
    }

    @Nested
    class Indexing_1_5_and_1_6 {
        @Test
        void oneElementPerIndex() {
            Tensor a = rows012();
            assertPrints("tensor(2.)", a.get(1, 2, 3));
            assertPrints("tensor(2.)", a.get("1, 2, 3"));
            assertEquals(0, a.get(1, 2, 3).dim());
        }

        @Test
        void negativeIndicesCountFromTheEnd() {
            assertPrints("tensor(1.)", rows012().get("-1, -2, -3"));
        }

        @Test
        void indicesOutsideTheirRangeAreRefused() {
            Tensor a = rows012();
            assertThrows(IndexException.class, () -> a.get(2, 0, 0));
            assertThrows(IndexException.class, () -> a.get(0, 3, 0));
            assertThrows(IndexException.class, () -> a.get(0, 0, -5));
        }

        @Test
        void rowFirstThenColumn() {
            Tensor m = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}});
            assertPrints("tensor(4)", m.get(1, 0));
            assertPrints("tensor(3)", m.get(0, 2));
        }
    }

    @Nested
    class Slicing_1_7 {
        private final Tensor a = Torch.tensor(new int[][] {{1, 2, 3, 4}, {6, 7, 8, 9}});

        @Test
        void theCoursesSixPrints() {
            assertPrints("tensor([1, 2, 3, 4])", a.get(0));
            assertPrints("tensor([6, 7, 8, 9])", a.get(1));
            assertPrints("tensor([2, 3, 4])", a.get("0, 1:"));
            assertPrints("tensor([1, 2])", a.get("0, :2"));
            assertPrints("tensor(4)", a.get("0, -1"));
            assertPrints("tensor([1, 2, 3, 4])", a.get("0, :"));
        }

        @Test
        void subTensor() {
            assertPrints("tensor([[2, 3],\n        [7, 8]])", a.get(":, 1:3"));
            assertPrints("tensor([[2, 3],\n        [7, 8]])", a.get(":", "1:3"));
            assertPrints("tensor([[2, 3],\n        [7, 8]])", a.get(Index.all(), Index.slice(1, 3)));
        }

        @Test
        void readingWithAStep() {
            assertPrints("tensor([[1, 3],\n        [6, 8]])", a.get(":, ::2"));
        }

        @Test
        void assigningAScalarToEveryOtherColumn() {
            Tensor b = Torch.tensor(new int[][] {
                    {10, 11, 12, 13, 14, 15}, {20, 21, 22, 23, 24, 25},
                    {30, 31, 32, 33, 34, 35}, {40, 41, 42, 43, 44, 45}});
            b.set(":, 0:6:2", 99);
            assertPrints("tensor([[99, 11, 99, 13, 99, 15],\n"
                    + "        [99, 21, 99, 23, 99, 25],\n"
                    + "        [99, 31, 99, 33, 99, 35],\n"
                    + "        [99, 41, 99, 43, 99, 45]])", b);
        }

        @Test
        void assigningATensorToASlice() {
            Tensor b = Torch.tensor(new int[][] {{1, 2, 3, 4}, {6, 7, 8, 9}});
            b.set("1, 0:3", Torch.tensor(new int[] {70, 80, 90}));
            assertPrints("tensor([[ 1,  2,  3,  4],\n        [70, 80, 90,  9]])", b);
        }

        @Test
        void aSliceIsAView() {
            Tensor b = Torch.tensor(new int[][] {{1, 2, 3, 4}, {6, 7, 8, 9}});
            Tensor row = b.get("0, 1:");
            row.set(0, 0);
            assertPrints("tensor([[1, 0, 3, 4],\n        [6, 7, 8, 9]])", b);
        }
    }

    @Nested
    class AdvancedIndexing_1_8 {
        private final Tensor a = Torch.tensor(new int[] {10, 20, 30, 40, 50});

        @Test
        void withAListOfIndices() {
            assertPrints("tensor([10, 30, 50])", a.get(new long[] {0, 2, 4}));
            assertPrints("tensor([50, 10, 10])", a.get(new long[] {-1, 0, 0}));
            assertPrints("tensor([10, 30, 50])", a.get(Torch.tensor(new long[] {0, 2, 4})));
        }

        @Test
        void withAListOfBooleans() {
            assertPrints("tensor([10, 30, 50])", a.get(new boolean[] {true, false, true, false, true}));
        }

        @Test
        void withAMaskComputedFromTheTensor() {
            assertPrints("tensor([False, False,  True,  True,  True])", a.gt(20.0));
            assertPrints("tensor([30, 40, 50])", a.get(a.gt(20.0)));
        }

        @Test
        void assigningThroughAMask() {
            Tensor b = Torch.tensor(new int[] {10, 20, 30, 40, 50});
            b.set(b.gt(20.0), 0);
            assertPrints("tensor([10, 20,  0,  0,  0])", b);
        }

        @Test
        void assigningThroughAnIndexList() {
            Tensor b = Torch.tensor(new int[] {10, 20, 30, 40, 50});
            b.set(new long[] {1, 3}, -1);
            assertPrints("tensor([10, -1, 30, -1, 50])", b);
        }

        @Test
        void rowsAndPairsOfA2dTensor() {
            Tensor m = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
            assertPrints("tensor([[1, 2, 3],\n        [7, 8, 9]])", m.get(new long[] {0, 2}));
            assertPrints("tensor([3, 5, 7])", m.get(new long[] {0, 1, 2}, new long[] {2, 1, 0}));
        }

        @Test
        void advancedIndexingCopies() {
            Tensor picked = a.get(new long[] {0, 2, 4});
            picked.set(0, 0);
            assertPrints("tensor([10, 20, 30, 40, 50])", a);
        }
    }

    @Nested
    class Copying_1_9 {
        @Test
        void assignmentIsAnAlias() {
            Tensor t = Torch.ones(2, 2);
            Tensor a = t;
            a.set("0, 0", 5);
            assertSame(t, a);
            assertPrints("tensor([[5., 1.],\n        [1., 1.]])", t);
            assertPrints("tensor([[5., 1.],\n        [1., 1.]])", a);
        }

        @Test
        void cloneDetachIsAnIndependentCopy() {
            Tensor t = Torch.ones(2, 2);
            Tensor a = t.clone().detach();
            a.set("0, 0", 5);
            assertPrints("tensor([[1., 1.],\n        [1., 1.]])", t);
            assertPrints("tensor([[5., 1.],\n        [1., 1.]])", a);
            assertNotEquals(t.storageDataPtr(), a.storageDataPtr());
        }

        @Test
        void cloneStaysInTheGraphDetachLeavesIt() {
            Tensor w = Torch.ones(2, 2).requiresGrad_();
            Tensor c = w.clone();
            assertTrue(c.requiresGrad());
            assertEquals("CloneBackward0", c.gradFn());
            Tensor d = w.clone().detach();
            assertFalse(d.requiresGrad());
            assertNull(d.gradFn());
            assertPrints("tensor([[1., 1.],\n        [1., 1.]])", d);
        }
    }

    @Nested
    class Views_1_10 {
        @Test
        void bySlicing() {
            Tensor t = Torch.ones(100, 100);
            Tensor a = t.get("0:50, 0:50");
            a.set("0, 0", 5);
            assertEquals(t.storageDataPtr(), a.storageDataPtr());
            assertPrints("tensor(5.)", t.get(0, 0));
        }

        @Test
        void bySelectingARow() {
            Tensor t = Torch.ones(3, 3);
            Tensor a = t.get(1);
            a.set(0, 7);
            assertEquals(t.storageDataPtr(), a.storageDataPtr());
            assertPrints("tensor([[1., 1., 1.],\n        [7., 1., 1.],\n        [1., 1., 1.]])", t);
        }

        @Test
        void bySelectingAColumn() {
            Tensor t = Torch.ones(3, 3);
            Tensor a = t.get(":, 2");
            a.set(1, 4);
            assertEquals(t.storageDataPtr(), a.storageDataPtr());
            assertPrints("tensor([[1., 1., 1.],\n        [1., 1., 4.],\n        [1., 1., 1.]])", t);
        }

        @Test
        void byReshape() {
            Tensor t = Torch.ones(2, 3);
            Tensor a = t.reshape(6);
            a.set(0, 9);
            assertPrints("tensor([[9., 1., 1.],\n        [1., 1., 1.]])", t);
            assertEquals(t.storageDataPtr(), a.storageDataPtr());
        }

        @Test
        void reshapeOfATransposeCopies() {
            Tensor t = Torch.ones(2, 3);
            Tensor a = t.t().reshape(6);
            a.set(0, 9);
            assertPrints("tensor([[1., 1., 1.],\n        [1., 1., 1.]])", t);
            assertNotEquals(t.storageDataPtr(), a.storageDataPtr());
            assertEquals(t.storageDataPtr(), t.t().storageDataPtr(), "the transpose itself is a view");
        }

        @Test
        void sixValuesReshapedFiveWays() {
            Tensor six = Torch.tensor(new int[] {1, 2, 3, 4, 5, 6});
            assertPrints("tensor([[1, 2],\n        [3, 4],\n        [5, 6]])", six.reshape(3, 2));
            assertPrints("tensor([[1, 2, 3],\n        [4, 5, 6]])", six.reshape(2, 3));
            assertPrints("tensor([[[1, 2, 3]],\n\n        [[4, 5, 6]]])", six.reshape(2, 1, 3));
            assertPrints("tensor([[[1]],\n\n        [[2]],\n\n        [[3]],\n\n        [[4]],\n\n        [[5]],\n\n"
                    + "        [[6]]])", six.reshape(6, 1, 1));
            assertPrints("tensor([[[1, 2, 3, 4, 5, 6]]])", six.reshape(1, 1, 6));
            for (long[] shape : new long[][] {{3, 2}, {2, 3}, {2, 1, 3}, {6, 1, 1}, {1, 1, 6}}) {
                assertEquals(new Shape(shape), six.reshape(shape).shape());
                assertEquals(six.storageDataPtr(), six.reshape(shape).storageDataPtr());
            }
        }
    }
}
