package io.flambeau.ownership;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.nn.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every host read hands out memory that is the user's: after the tensor it came from is released
 * (a closing {@code Scope}, {@code close()}, gradients freed by backward), new tensors of the same
 * size — which the allocator may build from released memory — never change what was read.
 * Sizes of 8,192 elements and more reach the CPU's array pool and the GPU's block cache.
 */
class HostReadOwnershipTest {
    static final int N = 8192;

    /** Makes several tensors of the same size and dtype, full of another value, to take any recycled memory. */
    static void churn(DType dtype) {
        for (double v : new double[] {42, 7, -3}) {
            Torch.full(new long[] {N}, v, dtype, Torch.defaultDevice()).add(0).close();
            try (Scope s = Scope.open()) {
                Torch.full(new long[] {N}, v, dtype, Torch.defaultDevice()).mul(1);
            }
            Torch.full(new long[] {N}, v, dtype, Torch.defaultDevice());
        }
    }

    private <T> T readInScope(DType dtype, Function<Tensor, T> read) {
        try (Scope s = Scope.open()) {
            return read.apply(Torch.arange(0.0, N, 1.0).to(dtype));
        }
    }

    private <T> T readThenClose(DType dtype, Function<Tensor, T> read) {
        Tensor t = Torch.arange(0.0, N, 1.0).to(dtype);
        T out = read.apply(t);
        t.close();
        return out;
    }

    @Test
    void floatArraysSurviveTheScopeAndClose() {
        float[] inScope = readInScope(DType.FLOAT32, Tensor::toFloatArray);
        float[] closed = readThenClose(DType.FLOAT32, Tensor::toFloatArray);
        churn(DType.FLOAT32);
        for (int i = 0; i < N; i += 511) {
            assertEquals(i, inScope[i], "toFloatArray in a scope, element " + i);
            assertEquals(i, closed[i], "toFloatArray then close(), element " + i);
        }
    }

    @Test
    void doubleLongAndBooleanArraysSurvive() {
        double[] d = readInScope(DType.FLOAT64, Tensor::toDoubleArray);
        double[] dClosed = readThenClose(DType.FLOAT64, Tensor::toDoubleArray);
        long[] l = readInScope(DType.INT64, Tensor::toLongArray);
        long[] lClosed = readThenClose(DType.INT64, Tensor::toLongArray);
        boolean[] b = readInScope(DType.BOOL, Tensor::toBooleanArray);
        boolean[] bClosed = readThenClose(DType.BOOL, Tensor::toBooleanArray);
        churn(DType.FLOAT64);
        churn(DType.INT64);
        churn(DType.BOOL);
        churn(DType.FLOAT32);
        for (int i = 0; i < N; i += 509) {
            assertEquals(i, d[i]);
            assertEquals(i, dClosed[i]);
            assertEquals(i, l[i]);
            assertEquals(i, lClosed[i]);
            assertEquals(i != 0, b[i]);
            assertEquals(i != 0, bClosed[i]);
        }
    }

    @Test
    void nestedArraysListsAndItemsSurvive() {
        float[][] nested = readInScope(DType.FLOAT32, t -> (float[][]) t.reshape(64, N / 64).toArray());
        @SuppressWarnings("unchecked")
        List<Double> list = readInScope(DType.FLOAT32, t -> (List<Double>) t.tolist());
        double item = readInScope(DType.FLOAT32, t -> t.get(N - 1).item());
        churn(DType.FLOAT32);
        assertEquals(N / 64 + 3, nested[1][3]);
        assertEquals(N - 1, nested[63][N / 64 - 1]);
        assertEquals(4000.0, list.get(4000));
        assertEquals(N - 1, item);
    }

    @Test
    void aStridedViewReadIsACopy() {
        float[] column = readInScope(DType.FLOAT32, t -> t.reshape(N / 2, 2).get(":, 1").contiguous().toFloatArray());
        churn(DType.FLOAT32);
        churn(DType.FLOAT32);
        assertEquals(N / 2, column.length);
        for (int i = 0; i < column.length; i += 97) assertEquals(2 * i + 1, column[i]);
    }

    @Test
    void readsOfGradientsSurviveTheGradientsBackwardFrees() {
        Tensor w = Torch.ones(N).requiresGrad_();
        float[] intermediate;
        float[] leafGrad;
        try (Scope s = Scope.open()) {
            Tensor h = w.mul(3.0);
            intermediate = h.toFloatArray();
            h.square().sum().backward(); // gradients of h and of the square are freed by the walk
            leafGrad = w.grad().toFloatArray();
        }
        churn(DType.FLOAT32);
        try (Scope s = Scope.open()) {
            w.mul(5.0).sum().backward(); // accumulates into w.grad: the array read before must not see it
        }
        churn(DType.FLOAT32);
        for (int i = 0; i < N; i += 331) {
            assertEquals(3f, intermediate[i]);
            assertEquals(18f, leafGrad[i], "d/dw (3w)^2 = 18w at w = 1");
        }
        assertEquals(23f, w.grad().toFloatArray()[0], "18 + 5 accumulated");
    }

    @Test
    void aSavedStateDictAndTheLoadedModelKeepTheirValues(@TempDir Path dir) throws Exception {
        Linear model = new Linear(N / 8, 8);
        float[] before = model.weight().tensor().toFloatArray();
        Path file = dir.resolve("model.fl");
        try (Scope s = Scope.open()) {
            model.save(file);
        }
        churn(DType.FLOAT32);
        Linear loaded = new Linear(N / 8, 8);
        loaded.load(file);
        churn(DType.FLOAT32);
        assertArrayEquals(before, loaded.weight().tensor().toFloatArray());
        assertArrayEquals(before, model.weight().tensor().toFloatArray());
        assertEquals(true, Files.size(file) > (long) N * 4);
    }
}
