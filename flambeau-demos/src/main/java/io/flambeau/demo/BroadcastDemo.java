package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;

import java.util.Arrays;

/**
 * Course sections 2.1 to 2.8 in Java: the broadcasting rule (pad the shorter shape on the left,
 * then every pair of sizes must be equal or contain a 1; the result takes the larger), the worked
 * examples of 2.2 to 2.7, and the two incompatible pairs of 2.1 with the error Flambeau raises.
 */
final class BroadcastDemo implements Demo {
    private Transcript t;

    @Override
    public void run(DemoContext context) {
        t = new Transcript(context.out());
        rule();
        explicitLoops();
        scalarLike();
        column();
        row();
        columnPlusRow();
        threeD();
        picture();
    }

    private void rule() {
        t.section("2.1", "The broadcasting rule");
        t.note("result sizes: s_i = max(a_i, b_i), shapes padded on the left");
        long[][][] pairs = {
                {{3, 4}, {1}}, {{3, 4}, {1, 1}}, {{3, 1}, {4}}, {{3, 1}, {1, 4}},
                {{1, 1, 4}, {1, 3, 1}}, {{1, 1, 4}, {3, 2, 1}}};
        for (long[][] p : pairs) {
            t.show("println(Torch.zeros(" + dims(p[0]) + ").add(Torch.zeros(" + dims(p[1]) + ")).shape());",
                    Torch.zeros(p[0]).add(Torch.zeros(p[1])).shape());
        }
        t.note("incompatible shapes: (3,4) + (3) and (1,1,4) + (1,3)");
        t.showOrError("println(Torch.zeros(3, 4).add(Torch.zeros(3)));", () -> Torch.zeros(3, 4).add(Torch.zeros(3)));
        t.showOrError("println(Torch.zeros(1, 1, 4).add(Torch.zeros(1, 3)));",
                () -> Torch.zeros(1, 1, 4).add(Torch.zeros(1, 3)));
    }

    /** What C = A + B means for two 3-d tensors, written with loops, checked against the tensor op. */
    private void explicitLoops() {
        t.note("C = A + B written as loops: a size-1 dimension always reads index 0");
        Tensor a = Torch.floatTensor(new int[][][] {{{1, 2, 3, 4}}});
        Tensor b = Torch.floatTensor(new int[][][] {{{10}, {20}}, {{30}, {40}}, {{50}, {60}}});
        t.code("Tensor A = Torch.floatTensor(new int[][][] {{{1, 2, 3, 4}}});                        // (1, 1, 4)");
        t.code("Tensor B = Torch.floatTensor(new int[][][] {{{10}, {20}}, {{30}, {40}}, {{50}, {60}}}); // (3, 2, 1)");
        t.code("for i, j, k: C[i][j][k] = A[a0 == 1 ? 0 : i][a1 == 1 ? 0 : j][a2 == 1 ? 0 : k]");
        t.code("                       + B[b0 == 1 ? 0 : i][b1 == 1 ? 0 : j][b2 == 1 ? 0 : k]");
        Tensor c = Torch.floatTensor(addByLoops((float[][][]) a.toArray(), (float[][][]) b.toArray()));
        t.show("println(C.equal(A.add(B)));", c.equal(a.add(b)));
    }

    /** The course's loop form of broadcasting, on nested Java arrays of rank 3. */
    static float[][][] addByLoops(float[][][] a, float[][][] b) {
        int s0 = Math.max(a.length, b.length);
        int s1 = Math.max(a[0].length, b[0].length);
        int s2 = Math.max(a[0][0].length, b[0][0].length);
        float[][][] c = new float[s0][s1][s2];
        for (int i = 0; i < s0; i++) {
            for (int j = 0; j < s1; j++) {
                for (int k = 0; k < s2; k++) {
                    c[i][j][k] = a[a.length == 1 ? 0 : i][a[0].length == 1 ? 0 : j][a[0][0].length == 1 ? 0 : k]
                            + b[b.length == 1 ? 0 : i][b[0].length == 1 ? 0 : j][b[0][0].length == 1 ? 0 : k];
                }
            }
        }
        return c;
    }

    private void scalarLike() {
        t.section("2.2", "2-D tensor + one-value tensor");
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});
        Tensor b = Torch.floatTensor(new int[][] {{7}});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});");
        t.code("Tensor B = Torch.floatTensor(new int[][] {{7}});   // or new int[] {7}");
        t.show("println(A.add(B));   // R[i, j] = A[i, j] + B[0, 0]", a.add(b));
    }

    private void column() {
        t.section("2.3", "2-D tensor + column");
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});
        Tensor b = Torch.floatTensor(new int[][] {{1}, {2}, {3}, {4}});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});");
        t.code("Tensor B = Torch.floatTensor(new int[][] {{1}, {2}, {3}, {4}});");
        t.show("println(A.add(B));   // R[i, j] = A[i, j] + B[i, 0]", a.add(b));
    }

    private void row() {
        t.section("2.4", "2-D tensor + row");
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});
        Tensor b = Torch.floatTensor(new int[] {0, 1, 2});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}, {30, 30, 30}});");
        t.code("Tensor B = Torch.floatTensor(new int[] {0, 1, 2});");
        t.show("println(A.add(B));   // R[i, j] = A[i, j] + B[j]", a.add(b));
        Tensor b2 = Torch.floatTensor(new int[][] {{0, 1, 2}});
        t.code("Tensor B = Torch.floatTensor(new int[][] {{0, 1, 2}});   // (1, 3): the same result");
        t.show("println(A.add(B));", a.add(b2));
    }

    private void columnPlusRow() {
        t.section("2.5", "column + row");
        Tensor a = Torch.floatTensor(new int[][] {{10}, {10}, {10}, {10}});
        Tensor b = Torch.floatTensor(new int[][] {{0, 1, 2}});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{10}, {10}, {10}, {10}});");
        t.code("Tensor B = Torch.floatTensor(new int[][] {{0, 1, 2}});");
        t.show("println(A.add(B));   // R[i, j] = A[i, 0] + B[0, j]", a.add(b));
        t.show("println(B.add(A));   // the same: broadcasting is not matrix algebra", b.add(a));
    }

    private void threeD() {
        t.section("2.6", "2-D tensor + 3-D column");
        Tensor a = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}});
        Tensor b = Torch.floatTensor(new int[][][] {{{4}}, {{5}}, {{6}}});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{0, 0, 0}, {10, 10, 10}, {20, 20, 20}});");
        t.code("Tensor B = Torch.floatTensor(new int[][][] {{{4}}, {{5}}, {{6}}});   // (3, 1, 1)");
        t.show("println(A.add(B));   // R[i, j, k] = A[j, k] + B[i, 0, 0]", a.add(b));
        t.note("one pair of brackets forgotten: (3, 3) + (3, 1), a quite different result and no error");
        Tensor col = Torch.floatTensor(new int[][] {{4}, {5}, {6}});
        t.code("Tensor B = Torch.floatTensor(new int[][] {{4}, {5}, {6}});   // (3, 1)");
        t.show("println(A.add(B));", a.add(col));
    }

    private void picture() {
        t.section("2.7", "The picture: a (2, 2) tensor + a (3, 1, 1) column");
        Tensor a = Torch.floatTensor(new int[][] {{1, 2}, {3, 4}});
        Tensor b = Torch.floatTensor(new int[][][] {{{10}}, {{20}}, {{30}}});
        t.code("Tensor A = Torch.floatTensor(new int[][] {{1, 2}, {3, 4}});");
        t.code("Tensor B = Torch.floatTensor(new int[][][] {{{10}}, {{20}}, {{30}}});");
        Tensor r = a.add(b);
        t.show("println(A.add(B).shape());", r.shape());
        t.show("println(A.add(B));", r);
        t.section("2.8", "Exercises");
        t.note("to check a pair of shapes, add two zero tensors: the result's size, or the error");
        t.show("println(Torch.zeros(2, 1, 3).add(Torch.zeros(4, 1)).shape());",
                Torch.zeros(2, 1, 3).add(Torch.zeros(4, 1)).shape());
        t.showOrError("println(Torch.zeros(2, 1, 3).add(Torch.zeros(4, 2)).shape());",
                () -> Torch.zeros(2, 1, 3).add(Torch.zeros(4, 2)).shape());
    }

    private static String dims(long[] shape) {
        return Arrays.toString(shape).replace("[", "").replace("]", "");
    }
}
