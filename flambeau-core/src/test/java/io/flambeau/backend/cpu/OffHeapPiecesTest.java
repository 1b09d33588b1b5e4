package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.OutOfMemoryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The piecewise route against the array kernels: every primitive runs on the same data once in
 * arrays and once off-heap, with pieces small enough (1, 7, 37 elements) that their boundaries fall
 * inside rows, tiles and reduced dims. Elementwise results must be identical; sums agree to
 * rounding; MAX/MIN/ARG* and integer results exactly.
 */
class OffHeapPiecesTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private final int savedPiece = CpuPieces.piece();

    @AfterEach
    void restorePieces() {
        CpuPieces.setPieceElements(savedPiece);
    }

    // ---- helpers: the same data in both forms, seen through the same view ----

    private static CpuStorage onHeap(DType dt, int n, long seed) {
        Random r = new Random(seed);
        CpuStorage s = heap(dt, n);
        for (int i = 0; i < n; i++) {
            switch (dt) {
                case FLOAT32, FLOAT64 -> s.setD(i, Math.round(r.nextGaussian() * 100) / 8.0);
                case INT64 -> s.setL(i, r.nextInt(41) - 20);
                case BOOL -> s.setL(i, r.nextBoolean() ? 1 : 0);
            }
        }
        return s;
    }

    /** An array storage whatever flambeau.cpu.offHeapAbove says (the off-heap-forced run sets it low). */
    private static CpuStorage heap(DType dt, int n) {
        CpuStorage s = CpuStorage.adopt(CpuStorage.freshArray(dt, n));
        assertFalse(s.offHeap());
        return s;
    }

    private static CpuStorage offHeapCopy(CpuStorage h) {
        CpuStorage o = CpuStorage.allocateOffHeap(h.dtype(), h.size());
        assertTrue(o.offHeap());
        PieceCopy.scatter(h.array(), new View(o, 0, new long[] {h.size()}, new long[] {1}), 0, (int) h.size());
        return o;
    }

    private static View on(CpuStorage s, long offset, long[] shape, long[] strides) {
        return new View(s, offset, shape, strides);
    }

    private static View dense(CpuStorage s, long... shape) {
        return CpuBackend.dense(s, shape);
    }

    private static Object read(View v) {
        return CPU.download(v);
    }

    private static void assertSameValues(Object expected, Object actual, String what) {
        switch (expected) {
            case float[] e -> assertArrayEquals(e, (float[]) actual, what);
            case double[] e -> assertArrayEquals(e, (double[]) actual, what);
            case long[] e -> assertArrayEquals(e, (long[]) actual, what);
            case boolean[] e -> assertArrayEquals(e, (boolean[]) actual, what);
            default -> throw new AssertionError(expected);
        }
    }

    private static void assertClose(Object expected, Object actual, String what) {
        if (expected instanceof float[] e) {
            float[] a = (float[]) actual;
            assertEquals(e.length, a.length, what);
            for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-4 * Math.max(1, Math.abs(e[i])), what + " at " + i);
        } else if (expected instanceof double[] e) {
            double[] a = (double[]) actual;
            assertEquals(e.length, a.length, what);
            for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-9 * Math.max(1, Math.abs(e[i])), what + " at " + i);
        } else {
            assertSameValues(expected, actual, what);
        }
    }

    @Test
    void theThresholdPropertyPutsStoragesOffHeap() {
        Long above = Long.getLong("flambeau.cpu.offHeapAbove");
        long limit = above == null ? Integer.MAX_VALUE - 8 : above;
        assertEquals(limit, CpuStorage.OFF_HEAP_ABOVE);
        if (limit < 100) { // the off-heap-forced run: the suites it reruns really run on off-heap storages
            assertTrue(CpuStorage.allocate(DType.FLOAT32, limit + 1).offHeap());
            assertTrue(((CpuStorage) CPU.upload(new long[(int) limit + 1])).offHeap());
        }
        assertFalse(CpuStorage.allocate(DType.FLOAT32, Math.min(limit, 16)).offHeap());
    }

    // ---- elementwise ----

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 37, 1 << 16})
    void binaryWithBroadcastAndTransposedOperandsMatchesTheArrayKernel(int piece) {
        CpuPieces.setPieceElements(piece);
        for (DType dt : DType.values()) {
            BinaryOp op = dt == DType.BOOL ? BinaryOp.AND : BinaryOp.SUB;
            CpuStorage ha = onHeap(dt, 60, 1), hb = onHeap(dt, 5, 2);
            CpuStorage oa = offHeapCopy(ha), obs = offHeapCopy(hb);
            long[] shape = {5, 12};
            // a: the transpose of a (12, 5) block; b: a column broadcast along rows
            long[] sa = {1, 5}, sb = {1, 0};
            CpuStorage hOut = heap(dt, 60), oOut = CpuStorage.allocateOffHeap(dt, 60);
            CPU.binary(op, on(ha, 0, shape, sa), on(hb, 0, shape, sb), dense(hOut, shape));
            CPU.binary(op, on(oa, 0, shape, sa), on(obs, 0, shape, sb), dense(oOut, shape));
            assertSameValues(read(dense(hOut, shape)), read(dense(oOut, shape)), dt + " piece " + piece);
            // mixed forms: only the output off-heap, only one input off-heap
            CPU.binary(op, on(ha, 0, shape, sa), on(obs, 0, shape, sb), dense(oOut, shape));
            assertSameValues(read(dense(hOut, shape)), read(dense(oOut, shape)), dt + " mixed");
            CpuStorage hOut2 = heap(dt, 60);
            CPU.binary(op, on(oa, 0, shape, sa), on(hb, 0, shape, sb), dense(hOut2, shape));
            assertSameValues(read(dense(hOut, shape)), read(dense(hOut2, shape)), dt + " off-heap input, array output");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 37})
    void comparisonsScalarsUnaryWhereAndCopyMatchTheArrayKernels(int piece) {
        CpuPieces.setPieceElements(piece);
        long[] shape = {3, 4, 5};
        long[] strided = {40, 2, 8}; // every other element of a (3, 5, 8) block, dims swapped
        CpuStorage h = onHeap(DType.FLOAT32, 120, 3), o = offHeapCopy(h);
        View hx = on(h, 1, shape, strided), ox = on(o, 1, shape, strided);

        CpuStorage hc = heap(DType.BOOL, 60), oc = CpuStorage.allocateOffHeap(DType.BOOL, 60);
        CPU.binaryScalar(BinaryOp.GT, hx, 0.5, false, dense(hc, shape));
        CPU.binaryScalar(BinaryOp.GT, ox, 0.5, false, dense(oc, shape));
        assertSameValues(read(dense(hc, shape)), read(dense(oc, shape)), "gt scalar");

        CpuStorage hr = heap(DType.FLOAT32, 60), or = CpuStorage.allocateOffHeap(DType.FLOAT32, 60);
        CPU.binaryScalar(BinaryOp.SUB, hx, 2.0, true, dense(hr, shape));
        CPU.binaryScalar(BinaryOp.SUB, ox, 2.0, true, dense(or, shape));
        assertSameValues(read(dense(hr, shape)), read(dense(or, shape)), "reversed sub");

        CPU.unary(UnaryOp.EXP, hx, dense(hr, shape), 0, 0);
        CPU.unary(UnaryOp.EXP, ox, dense(or, shape), 0, 0);
        assertSameValues(read(dense(hr, shape)), read(dense(or, shape)), "exp");

        // where with a condition broadcast over the first dim
        long[] condStrides = {0, 5, 1};
        CpuStorage hw = heap(DType.FLOAT32, 60), ow = CpuStorage.allocateOffHeap(DType.FLOAT32, 60);
        CPU.where(on(hc, 0, shape, condStrides), hx, dense(hr, shape), dense(hw, shape));
        CPU.where(on(oc, 0, shape, condStrides), ox, dense(or, shape), dense(ow, shape));
        assertSameValues(read(dense(hw, shape)), read(dense(ow, shape)), "where");

        // copy with a conversion, into a strided off-heap destination (every other element)
        for (DType to : DType.values()) {
            CpuStorage hd = heap(to, 120), od = CpuStorage.allocateOffHeap(to, 120);
            CPU.fill(dense(hd, 120), 7);
            CPU.fill(dense(od, 120), 7);
            View hdst = on(hd, 0, shape, new long[] {40, 10, 2}), odst = on(od, 0, shape, new long[] {40, 10, 2});
            CPU.copy(hx, hdst);
            CPU.copy(ox, odst);
            assertSameValues(read(dense(hd, 120)), read(dense(od, 120)), "copy to " + to);
        }
    }

    @Test
    void fillWritesOnlyTheViewsElements() {
        CpuPieces.setPieceElements(7);
        for (DType dt : DType.values()) {
            CpuStorage o = CpuStorage.allocateOffHeap(dt, 50);
            CPU.fill(dense(o, 50), 0);
            CPU.fill(on(o, 1, new long[] {24}, new long[] {2}), 1);
            Object all = read(dense(o, 50));
            for (int i = 0; i < 50; i++) {
                double v = switch (all) {
                    case float[] a -> a[i];
                    case double[] a -> a[i];
                    case long[] a -> a[i];
                    case boolean[] a -> a[i] ? 1 : 0;
                    default -> throw new AssertionError();
                };
                assertEquals(i % 2 == 1 && i < 49 ? 1 : 0, v, dt + " at " + i);
            }
        }
    }

    // ---- reductions ----

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 37, 1 << 16})
    void reductionsOverEveryDimAndOverAllMatchTheArrayKernel(int piece) {
        CpuPieces.setPieceElements(piece);
        long[] shape = {4, 23, 6};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            CpuStorage h = onHeap(dt, 4 * 23 * 6, 5), o = offHeapCopy(h);
            for (ReduceOp op : ReduceOp.values()) {
                if (op == ReduceOp.MEAN && !dt.isFloating()) continue;
                DType outType = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? DType.INT64 : dt;
                for (int dim = -1; dim < 3; dim++) {
                    long[] outShape = dim < 0 ? new long[0] : removeDim(shape, dim);
                    int outN = (int) Arrays.stream(outShape).reduce(1, (a, b) -> a * b);
                    CpuStorage ho = heap(outType, outN), oo = CpuStorage.allocateOffHeap(outType, outN);
                    CPU.reduce(op, dense(h, shape), dim, dense(ho, outShape));
                    CPU.reduce(op, dense(o, shape), dim, dense(oo, outShape));
                    assertClose(read(dense(ho, outShape)), read(dense(oo, outShape)), dt + " " + op + " dim " + dim);
                }
            }
        }
    }

    @Test
    void argmaxTiesAndNanFollowPyTorchAcrossPieces() {
        CpuPieces.setPieceElements(37);
        int n = 200;
        CpuStorage x = CpuStorage.allocateOffHeap(DType.FLOAT32, n);
        CPU.fill(dense(x, n), 1);
        x.writeD(5, 3);
        x.writeD(150, 3); // a tie in a later piece: the first index wins
        assertEquals(5L, reduceAllL(ReduceOp.ARGMAX, x, n));
        x.writeD(120, -2);
        x.writeD(190, -2);
        assertEquals(120L, reduceAllL(ReduceOp.ARGMIN, x, n));
        x.writeD(100, Float.NaN);
        x.writeD(180, Float.NaN); // the first NaN wins MAX, MIN and both arg-reductions
        assertEquals(100L, reduceAllL(ReduceOp.ARGMAX, x, n));
        assertEquals(100L, reduceAllL(ReduceOp.ARGMIN, x, n));
        CpuStorage out = heap(DType.FLOAT32, 1);
        CPU.reduce(ReduceOp.MAX, dense(x, n), -1, dense(out));
        assertTrue(Float.isNaN(out.f[0]));
        CPU.reduce(ReduceOp.MIN, dense(x, n), -1, dense(out));
        assertTrue(Float.isNaN(out.f[0]));
    }

    private static long reduceAllL(ReduceOp op, CpuStorage x, int n) {
        CpuStorage out = heap(DType.INT64, 1);
        CPU.reduce(op, dense(x, n), -1, dense(out));
        return out.l[0];
    }

    @Test
    void float32SumsOfLongRowsAccumulatePiecesInDouble() {
        CpuPieces.setPieceElements(1 << 20);
        int n = 17_000_000; // past 2^24: a float accumulator would stop growing at 16777216
        CpuStorage x = CpuStorage.allocateOffHeap(DType.FLOAT32, n);
        try {
            CPU.fill(dense(x, n), 1);
            CpuStorage out = heap(DType.FLOAT32, 2);
            CPU.reduce(ReduceOp.SUM, dense(x, n), -1, on(out, 0, new long[0], new long[0]));
            CPU.reduce(ReduceOp.MEAN, dense(x, n), -1, on(out, 1, new long[0], new long[0]));
            assertEquals(17_000_000f, out.f[0]);
            assertEquals(1f, out.f[1]);
        } finally {
            x.close();
        }
    }

    // ---- matmul ----

    @ParameterizedTest
    @ValueSource(ints = {1, 37, 1 << 16})
    void matmulTilesMatchTheArrayGemm(int piece) {
        CpuPieces.setPieceElements(piece);
        int m = 13, k = 11, n = 9;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            CpuStorage ha = onHeap(dt, 2 * m * k, 7), hb = onHeap(dt, k * n, 8);
            CpuStorage oa = offHeapCopy(ha), ob = offHeapCopy(hb);
            // a: two batches, dense; b: one (n, k) matrix transposed and broadcast over the batch
            long[] as = {m * k, k, 1}, bs = {0, 1, k};
            long[] outShape = {2, m, n};
            CpuStorage ho = heap(dt, 2 * m * n), oo = CpuStorage.allocateOffHeap(dt, 2 * m * n);
            CPU.matmul(on(ha, 0, new long[] {2, m, k}, as), on(hb, 0, new long[] {2, k, n}, bs), dense(ho, outShape));
            CPU.matmul(on(oa, 0, new long[] {2, m, k}, as), on(ob, 0, new long[] {2, k, n}, bs), dense(oo, outShape));
            assertClose(read(dense(ho, outShape)), read(dense(oo, outShape)), dt + " piece " + piece);
            if (dt == DType.FLOAT32) {
                CpuStorage bias = onHeap(dt, n, 9), obias = offHeapCopy(bias);
                View hbv = on(bias, 0, outShape, new long[] {0, 0, 1}), obv = on(obias, 0, outShape, new long[] {0, 0, 1});
                CPU.matmulBias(on(ha, 0, new long[] {2, m, k}, as), on(hb, 0, new long[] {2, k, n}, bs), hbv, dense(ho, outShape));
                CPU.matmulBias(on(oa, 0, new long[] {2, m, k}, as), on(ob, 0, new long[] {2, k, n}, bs), obv, dense(oo, outShape));
                assertClose(read(dense(ho, outShape)), read(dense(oo, outShape)), "bias, piece " + piece);
            }
        }
    }

    // ---- take / put ----

    @ParameterizedTest
    @EnumSource(DType.class)
    void takeAndPutMatchTheArrayKernels(DType dt) {
        CpuPieces.setPieceElements(7);
        CpuStorage h = onHeap(dt, 50, 11), o = offHeapCopy(h);
        long[] at = {3, 49, 0, 3, 17, 3, 22, 8, 49, 30, 31, 32, 33, 34, 35, 3};
        CpuStorage offsets = CpuStorage.adopt(at.clone()), oOffsets = offHeapCopy(offsets);
        int n = at.length;
        CpuStorage ht = heap(dt, n), ot = CpuStorage.allocateOffHeap(dt, n);
        CPU.take(dense(h, 50), dense(offsets, n), dense(ht, n));
        CPU.take(dense(o, 50), dense(oOffsets, n), dense(ot, n));
        assertSameValues(read(dense(ht, n)), read(dense(ot, n)), "take");
        for (boolean accumulate : new boolean[] {false, true}) {
            CpuStorage values = onHeap(dt, n, 12), oValues = offHeapCopy(values);
            CPU.put(dense(h, 50), dense(offsets, n), dense(values, n), accumulate);
            CPU.put(dense(o, 50), dense(oOffsets, n), dense(oValues, n), accumulate);
            assertSameValues(read(dense(h, 50)), read(dense(o, 50)), "put, accumulate " + accumulate);
        }
    }

    // ---- random, transfers, allocation ----

    @ParameterizedTest
    @EnumSource(CounterRng.Kind.class)
    void randomValuesAreTheSameOnAndOffHeap(CounterRng.Kind kind) {
        CpuPieces.setPieceElements(37);
        DType dt = kind == CounterRng.Kind.INTEGER ? DType.INT64 : DType.FLOAT32;
        int n = 500;
        CpuStorage h = heap(dt, n), o = CpuStorage.allocateOffHeap(dt, n);
        CPU.random(kind, dense(h, n), 42, 1000, -3, 5);
        CPU.random(kind, dense(o, n), 42, 1000, -3, 5);
        assertSameValues(read(dense(h, n)), read(dense(o, n)), kind.name());
    }

    @Test
    void downloadsAndUploadsOfOffHeapStorages() {
        CpuStorage h = onHeap(DType.FLOAT64, 30, 13), o = offHeapCopy(h);
        View t = on(o, 2, new long[] {4, 7}, new long[] {1, 4}); // a transposed window
        double[] expected = (double[]) read(on(h, 2, new long[] {4, 7}, new long[] {1, 4}));
        assertArrayEquals(expected, (double[]) read(t));
        assertFalse(CPU.onHostArray("test", dense(o, 30), (a, off, cnt) -> { throw new AssertionError("lent"); }),
                "an off-heap storage has no array to lend");
        assertTrue(o.addressable(), "off-heap memory has an address native code can read");
        assertEquals(o.seg.address(), o.dataPtr());
        assertFalse(h.addressable());
        View tooLong = on(o, 0, new long[] {1L << 31}, new long[] {0});
        assertThrows(DataException.class, () -> CPU.download(tooLong));
        o.close();
        assertThrows(io.flambeau.core.ClosedTensorException.class, () -> CPU.download(dense(o, 30)));
    }

    @Test
    void aBroadcastViewLongerThanAnArrayIsReducedPiecewise() {
        CpuStorage one = heap(DType.FLOAT32, 1);
        one.f[0] = 0.5f;
        long n = (1L << 31) + 7; // an expanded scalar: no memory, more positions than an int counts
        CpuStorage out = heap(DType.FLOAT32, 1);
        CpuPieces.setPieceElements(1 << 22);
        CPU.reduce(ReduceOp.SUM, on(one, 0, new long[] {n}, new long[] {0}), -1, on(out, 0, new long[0], new long[0]));
        assertEquals((float) (n * 0.5), out.f[0]);
    }

    @Test
    void aRefusedOffHeapAllocationIsATypedErrorNamingTheBytes() {
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                () -> CpuStorage.allocateOffHeap(DType.FLOAT32, 1L << 58));
        assertEquals(1L << 60, e.requestedBytes());
        assertTrue(e.getMessage().contains("1.00 EiB"), e.getMessage());
    }

    private static long[] removeDim(long[] a, int dim) {
        long[] r = new long[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != dim) r[j++] = a[i];
        return r;
    }
}
