package io.flambeau.ops;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CallTally;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.DeviceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Off-heap CPU tensors move to and from the simulated GPU without a Java array in between: each
 * piece of a dense off-heap tensor is one copy straight between the C heap and device memory
 * ({@code memcpyHtoDFromAddress} / {@code memcpyDtoHToAddress}), and no {@code ByteBuffer} copy runs.
 * A strided off-heap source has no single address per piece and takes the array route. Runs in the
 * off-heap-forced execution ({@code flambeau.cpu.offHeapAbove=16}); elsewhere (tensors on the Java
 * heap) it is skipped.
 */
class OffHeapCudaTransferTest {
    private static final Device GPU = Device.cuda(0);
    private static final int N = 1000;
    private static CallTally tally;

    @BeforeAll
    static void countingGpu() {
        tally = CallTally.create();
        tally.installAsCuda0();
    }

    @AfterAll
    static void sharedGpu() { CallTally.restoreSharedDevice(); }

    @AfterEach
    void defaultPieces() { System.clearProperty(Transfer.PIECE_PROPERTY); }

    private static void pieces(long elements) { System.setProperty(Transfer.PIECE_PROPERTY, Long.toString(elements)); }

    /** {@code n} distinct values of {@code t} (every bit of a float/double/long mantissa in play), in a Java array. */
    private static Object values(DType t, int n) {
        Object a = switch (t) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        for (int i = 0; i < n; i++) {
            switch (a) {
                case float[] f -> f[i] = (float) (Math.PI * (i - 500)) / 7f;
                case double[] d -> d[i] = Math.E * (i - 333) / 11.0;
                case long[] l -> l[i] = (i - 400) * 0x1_0000_0001L + (1L << 53) + 1;
                case boolean[] b -> b[i] = (i * 7) % 3 == 0;
                default -> throw new IllegalStateException();
            }
        }
        return a;
    }

    /** A fresh CPU tensor holding {@code a} (the clone allocates its own storage). */
    private static Tensor cpu(Object a) { return Torch.tensor(a).clone(); }

    private static boolean offHeap(Tensor t) {
        try {
            t.dataPtr();
            return true;
        } catch (DeviceException e) {
            return false;
        }
    }

    private static void assumeOffHeap(Tensor t) {
        assumeTrue(offHeap(t), "CPU tensors of " + t.numel() + " elements are on the Java heap: run with -Dflambeau.cpu.offHeapAbove=16");
    }

    private static long hostToDeviceBufferCopies() { return tally.count("memcpyHtoD") + tally.count("memcpyHtoDAsync"); }

    private static long deviceToHostBufferCopies() { return tally.count("memcpyDtoH") + tally.count("memcpyDtoHAsync"); }

    private static void assertSameValues(Object expected, Object actual, String what) {
        switch (expected) {
            case float[] e -> assertArrayEquals(e, (float[]) actual, what);
            case double[] e -> assertArrayEquals(e, (double[]) actual, what);
            case long[] e -> assertArrayEquals(e, (long[]) actual, what);
            case boolean[] e -> assertArrayEquals(e, (boolean[]) actual, what);
            default -> throw new IllegalStateException();
        }
    }

    /** {@code a} seen as (rows, cols) row-major, transposed: what {@code reshape(rows, cols).t()} holds. */
    private static Object transposed(Object a, int rows, int cols) {
        Object out = Array.newInstance(a.getClass().getComponentType(), rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) Array.set(out, c * rows + r, Array.get(a, r * cols + c));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void denseOffHeapUploadIsOneAddressCopyPerPiece(DType t) {
        Object a = values(t, N);
        Tensor x = cpu(a);
        assumeOffHeap(x);
        pieces(64);
        long buffers = hostToDeviceBufferCopies(), byAddress = tally.count("memcpyHtoDFromAddress");
        DeviceCounters before = Cuda.counters(GPU);
        Tensor g = x.to(GPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(16, tally.count("memcpyHtoDFromAddress") - byAddress, "ceil(1000 / 64) pieces, one copy each");
        assertEquals(0, hostToDeviceBufferCopies() - buffers, "no ByteBuffer staging");
        assertEquals(16, work.hostToDevice(), "counted as host-to-device copies: " + work);
        assertEquals(0, work.deviceToHost(), work.toString());
        assertSameValues(a, g.toArray(), t + " values on the device");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void downloadToOffHeapIsOneAddressCopyPerPiece(DType t) {
        Object a = values(t, N);
        Tensor g = Torch.tensor(a, t, GPU);
        pieces(100);
        long buffers = deviceToHostBufferCopies(), byAddress = tally.count("memcpyDtoHToAddress");
        DeviceCounters before = Cuda.counters(GPU);
        Tensor back = g.to(Device.CPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assumeOffHeap(back);
        assertEquals(10, tally.count("memcpyDtoHToAddress") - byAddress, "1000 / 100 pieces, one copy each");
        assertEquals(0, deviceToHostBufferCopies() - buffers, "no ByteBuffer staging");
        assertEquals(10, work.deviceToHost(), "counted as device-to-host copies: " + work);
        assertEquals(0, work.hostToDevice(), work.toString());
        assertEquals(0, work.launches(), "a dense source needs no gather: " + work);
        assertSameValues(a, back.toArray(), t + " values back on the host");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedOffHeapSourceTakesTheArrayRoute(DType t) {
        Object a = values(t, N);
        Tensor x = cpu(a).reshape(20, 50);
        assumeOffHeap(x);
        Tensor strided = x.t(); // (50, 20), strides (1, 50): no piece is one run of memory
        pieces(100);
        long byAddress = tally.count("memcpyHtoDFromAddress"), buffers = hostToDeviceBufferCopies();
        Tensor g = strided.to(GPU);
        assertEquals(0, tally.count("memcpyHtoDFromAddress") - byAddress, "a strided host piece has no single address");
        assertTrue(hostToDeviceBufferCopies() - buffers >= 10, "each of the 10 pieces staged through a buffer");
        assertSameValues(transposed(a, 20, 50), g.reshape(N).toArray(), t + " values of the transposed view");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedGpuSourceIsGatheredThenCopiedToTheAddress(DType t) {
        Object a = values(t, N);
        Tensor strided = Torch.tensor(a, t, GPU).reshape(20, 50).t(); // (50, 20), strides (1, 50)
        pieces(100); // 5 rows of 20 per piece
        long byAddress = tally.count("memcpyDtoHToAddress"), buffers = deviceToHostBufferCopies();
        DeviceCounters before = Cuda.counters(GPU);
        Tensor back = strided.to(Device.CPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assumeOffHeap(back);
        assertEquals(10, tally.count("memcpyDtoHToAddress") - byAddress, "one copy per gathered piece");
        assertEquals(0, deviceToHostBufferCopies() - buffers, "no ByteBuffer staging");
        assertEquals(10, work.launches(), "one gather per piece: " + work);
        assertSameValues(transposed(a, 20, 50), back.reshape(N).toArray(), t + " values of the transposed view");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void heapTensorsStillStageThroughBuffers(DType t) {
        Object a = values(t, 12); // at most 16 elements: a Java array even in the off-heap-forced run
        Tensor x = cpu(a);
        assertFalse(offHeap(x), "12 elements stay on the Java heap");
        long up = tally.count("memcpyHtoDFromAddress"), down = tally.count("memcpyDtoHToAddress");
        Tensor back = x.to(GPU).to(Device.CPU);
        assertEquals(0, tally.count("memcpyHtoDFromAddress") - up, "an array has no address to copy from");
        assertEquals(0, tally.count("memcpyDtoHToAddress") - down, "an array has no address to copy to");
        assertSameValues(a, back.toArray(), t + " values after a round trip");
    }
}
