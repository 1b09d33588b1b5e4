package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;

import java.util.Arrays;
import java.util.List;

/**
 * Course sections 1.3 to 1.10 in Java: creating tensors from Java data and converting them back,
 * shapes, indexing and slicing (with steps and negative indices), advanced indexing with index
 * lists and masks, aliasing versus copying, and views that share storage with their base.
 * Every sample prints its Java line and then what PyTorch's {@code print} shows for it.
 */
final class TensorsDemo implements Demo {
    private Transcript t;

    @Override
    public void run(DemoContext context) {
        t = new Transcript(context.out());
        creationAndConversion();
        shapes();
        indexing();
        slicing();
        advancedIndexing();
        copying();
        views();
    }

    private void creationAndConversion() {
        t.section("1.3", "Creating and converting tensors");
        Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
        t.code("Tensor A = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));");
        t.show("println(A);", a);
        // Java's nested primitive arrays play the part numpy arrays play in the course.
        Tensor b = Torch.floatTensor(new int[][] {{1, 2, 3}, {4, 5, 6}});
        t.code("Tensor B = Torch.floatTensor(new int[][] {{1, 2, 3}, {4, 5, 6}});");
        t.show("println(B);", b);
        t.note("random values in [0, 1), reproducible through --seed");
        t.show("println(Torch.rand(2, 3));", Torch.rand(2, 3));
        t.show("println(A.tolist());", a.tolist());
        t.note("numpy() has no Java counterpart; toArray() gives a nested float[][] instead");
        t.show("println(Arrays.deepToString((float[][]) A.toArray()));", Arrays.deepToString((float[][]) a.toArray()));
        Tensor two = Torch.floatTensor(List.of(2));
        t.code("Tensor C = Torch.floatTensor(List.of(2));");
        t.show("println(C.item());", two.item());
    }

    private void shapes() {
        t.section("1.4", "The size of a tensor: shape()");
        Tensor a = Torch.floatTensor(new int[][][] {
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}},
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}});
        t.code("Tensor A = Torch.floatTensor(new int[][][] {{{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}},");
        t.code("                                             {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}});");
        t.show("println(A.shape());", a.shape());
        t.show("println(Torch.tensor(new int[] {0, 0, 0, 0}).shape());", Torch.tensor(new int[] {0, 0, 0, 0}).shape());
        t.show("println(Torch.tensor(new int[][] {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}).shape());",
                Torch.tensor(new int[][] {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}).shape());
    }

    private void indexing() {
        t.section("1.5-1.6", "Indexing a tensor; matrix rows and columns");
        Tensor a = Torch.floatTensor(new int[][][] {
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}},
                {{0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}}});
        t.note("A is the (2, 3, 4) tensor of 1.4: A[i, j, k] with 0 <= i < 2, 0 <= j < 3, 0 <= k < 4");
        t.show("println(A.get(1, 2, 3));", a.get(1, 2, 3));
        t.show("println(A.get(\"-1, -2, -3\"));", a.get("-1, -2, -3"));
        Tensor m = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}});
        t.code("Tensor M = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}});");
        t.note("M.get(y, x): row y first, then column x");
        t.show("println(M.get(1, 0));", m.get(1, 0));
    }

    private void slicing() {
        t.section("1.7", "Index ranges and the ':' operator");
        Tensor a = Torch.tensor(new int[][] {{1, 2, 3, 4}, {6, 7, 8, 9}});
        t.code("Tensor a = Torch.tensor(new int[][] {{1, 2, 3, 4}, {6, 7, 8, 9}});");
        t.show("println(a.get(0));         // first row", a.get(0));
        t.show("println(a.get(1));         // second row", a.get(1));
        t.show("println(a.get(\"0, 1:\"));   // first row, indices >= 1", a.get("0, 1:"));
        t.show("println(a.get(\"0, :2\"));   // first row, indices < 2", a.get("0, :2"));
        t.show("println(a.get(\"0, -1\"));   // first row, first element from the end", a.get("0, -1"));
        t.show("println(a.get(\"0, :\"));    // first row, every element", a.get("0, :"));
        t.note("a sub-tensor: every row, columns 1 and 2");
        t.show("println(a.get(\":, 1:3\"));", a.get(":, 1:3"));

        t.note("start:stop:step");
        Tensor b = Torch.tensor(new int[][] {
                {10, 11, 12, 13, 14, 15}, {20, 21, 22, 23, 24, 25},
                {30, 31, 32, 33, 34, 35}, {40, 41, 42, 43, 44, 45}});
        t.code("Tensor a = Torch.tensor(new int[][] {{10, 11, 12, 13, 14, 15}, {20, 21, 22, 23, 24, 25},");
        t.code("                                     {30, 31, 32, 33, 34, 35}, {40, 41, 42, 43, 44, 45}});");
        b.set(":, 0:6:2", 99);
        t.code("a.set(\":, 0:6:2\", 99);   // columns 0, 2 and 4");
        t.show("println(a);", b);
        b.set("1, 0:3", Torch.tensor(new int[] {7, 8, 9}));
        t.code("a.set(\"1, 0:3\", Torch.tensor(new int[] {7, 8, 9}));   // a tensor into a slice");
        t.show("println(a);", b);
    }

    private void advancedIndexing() {
        t.section("1.8", "Advanced indexing");
        Tensor a = Torch.tensor(new int[] {10, 20, 30, 40, 50});
        t.code("Tensor A = Torch.tensor(new int[] {10, 20, 30, 40, 50});");
        t.note("with a list of indices");
        t.show("println(A.get(new long[] {0, 2, 4}));", a.get(new long[] {0, 2, 4}));
        t.note("with a list of booleans");
        t.show("println(A.get(new boolean[] {true, false, true, false, true}));",
                a.get(new boolean[] {true, false, true, false, true}));
        t.note("with a mask computed from the tensor itself");
        t.show("println(A.gt(20));", a.gt(20));
        t.show("println(A.get(A.gt(20)));", a.get(a.gt(20)));
        a.set(a.gt(20), 0);
        t.code("A.set(A.gt(20), 0);");
        t.show("println(A);", a);
        Tensor m = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        t.code("Tensor M = Torch.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});");
        t.show("println(M.get(new long[] {0, 2}));   // rows 0 and 2", m.get(new long[] {0, 2}));
        t.show("println(M.get(new long[] {0, 1, 2}, new long[] {2, 1, 0}));   // pairs (0,2) (1,1) (2,0)",
                m.get(new long[] {0, 1, 2}, new long[] {2, 1, 0}));
    }

    private void copying() {
        t.section("1.9", "Copying");
        t.note("assignment makes an alias: both names designate the same tensor");
        Tensor tt = Torch.ones(2, 2);
        Tensor a = tt;
        a.set("0, 0", 5);
        t.code("Tensor T = Torch.ones(2, 2);");
        t.code("Tensor A = T;");
        t.code("A.set(\"0, 0\", 5);");
        t.show("println(T);", tt);
        t.show("println(A);", a);

        t.note("clone() copies the data, detach() cuts the copy from the autograd graph");
        Tensor t2 = Torch.ones(2, 2);
        Tensor b = t2.clone().detach();
        b.set("0, 0", 5);
        t.code("Tensor T = Torch.ones(2, 2);");
        t.code("Tensor A = T.clone().detach();");
        t.code("A.set(\"0, 0\", 5);");
        t.show("println(T);", t2);
        t.show("println(A);", b);
    }

    private void views() {
        t.section("1.10.1", "A view by slicing");
        Tensor big = Torch.ones(100, 100);
        Tensor corner = big.get("0:50, 0:50");
        corner.set("0, 0", 5);
        t.code("Tensor T = Torch.ones(100, 100);");
        t.code("Tensor A = T.get(\"0:50, 0:50\");   // A is a partial view of T");
        t.code("A.set(\"0, 0\", 5);");
        t.show("println(T.storageDataPtr() == A.storageDataPtr());", big.storageDataPtr() == corner.storageDataPtr());
        t.show("println(T.get(0, 0));", big.get(0, 0));

        t.section("1.10.2", "A view by selecting along a dimension");
        Tensor square = Torch.ones(3, 3);
        Tensor row = square.get(1);
        row.set(0, 7);
        t.code("Tensor T = Torch.ones(3, 3);");
        t.code("Tensor A = T.get(1);   // row 1 of T");
        t.code("A.set(0, 7);");
        t.show("println(T);", square);
        t.show("println(T.storageDataPtr() == A.storageDataPtr());", square.storageDataPtr() == row.storageDataPtr());

        t.section("1.10.3", "A view by reshape, and when reshape copies");
        Tensor flatBase = Torch.ones(2, 3);
        Tensor flat = flatBase.reshape(6);
        flat.set(0, 9);
        t.code("Tensor T = Torch.ones(2, 3);");
        t.code("Tensor A = T.reshape(6);");
        t.code("A.set(0, 9);");
        t.show("println(T);", flatBase);
        t.show("println(T.storageDataPtr() == A.storageDataPtr());", flatBase.storageDataPtr() == flat.storageDataPtr());

        t.note("the transpose of T is not laid out row by row, so reshape has to copy it");
        Tensor base = Torch.ones(2, 3);
        Tensor copy = base.t().reshape(6);
        copy.set(0, 9);
        t.code("Tensor T = Torch.ones(2, 3);");
        t.code("Tensor A = T.t().reshape(6);");
        t.code("A.set(0, 9);");
        t.show("println(T);", base);
        t.show("println(T.storageDataPtr() == A.storageDataPtr());", base.storageDataPtr() == copy.storageDataPtr());

        t.note("the six values 1..6 reshaped five ways");
        Tensor six = Torch.tensor(new int[] {1, 2, 3, 4, 5, 6});
        t.code("Tensor T = Torch.tensor(new int[] {1, 2, 3, 4, 5, 6});");
        for (long[] shape : new long[][] {{3, 2}, {2, 3}, {2, 1, 3}, {6, 1, 1}, {1, 1, 6}}) {
            String dims = Arrays.toString(shape).replace("[", "").replace("]", "");
            t.show("println(T.reshape(" + dims + "));", six.reshape(shape));
        }
    }
}
