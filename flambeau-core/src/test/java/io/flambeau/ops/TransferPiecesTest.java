package io.flambeau.ops;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code to(device)} moves a tensor piece by piece ({@link Transfer}): with the piece size forced
 * small through {@value Transfer#PIECE_PROPERTY}, every transfer between the CPU and the simulated
 * GPU makes exactly one host-device copy per piece into memory allocated once, and the values
 * arrive intact for every dtype, dense or strided.
 */
class TransferPiecesTest {
    private static final Device GPU = Device.cuda(0);

    @BeforeAll
    static void gpu() { SimCuda.install(); }

    @AfterEach
    void defaultPieces() { System.clearProperty(Transfer.PIECE_PROPERTY); }

    private static void pieces(long elements) { System.setProperty(Transfer.PIECE_PROPERTY, Long.toString(elements)); }

    private static Tensor floats(long n) {
        return Torch.arange(0.0, n, 1.0, DType.FLOAT64).mul(0.5).add(-3).to(DType.FLOAT32);
    }

    @Test
    void uploadMakesOneHostToDeviceCopyPerPiece() {
        Tensor x = floats(1000);
        pieces(64);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor g = x.to(GPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(16, work.hostToDevice(), "ceil(1000 / 64) pieces: " + work);
        assertEquals(0, work.deviceToHost(), work.toString());
        assertArrayEquals(x.toFloatArray(), g.toFloatArray());
    }

    @Test
    void downloadMakesOneDeviceToHostCopyPerPiece() {
        Tensor g = floats(1000).to(GPU);
        pieces(100);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor back = g.to(Device.CPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        assertEquals(10, work.deviceToHost(), work.toString());
        assertEquals(0, work.hostToDevice(), work.toString());
        assertEquals(0, work.launches(), "a dense source needs no gather: " + work);
        assertArrayEquals(floats(1000).toFloatArray(), back.toFloatArray());
    }

    @Test
    void onePieceWhenTheTensorFits() {
        Tensor x = floats(1000);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor g = x.to(GPU); // the default piece, 2^22 elements
        assertEquals(1, Cuda.counters(GPU).minus(before).hostToDevice());
        assertArrayEquals(x.toFloatArray(), g.toFloatArray());
    }

    @Test
    void stridedGpuSourceIsGatheredPieceByPiece() {
        Tensor dense = floats(1200).reshape(30, 40);
        Tensor t = dense.to(GPU).t(); // shape (40, 30), strides (1, 40)
        pieces(100);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor back = t.to(Device.CPU);
        DeviceCounters work = Cuda.counters(GPU).minus(before);
        // rows of 30 elements, 3 rows per piece of 100: 40 rows in 14 pieces, each gathered then read
        assertEquals(14, work.deviceToHost(), work.toString());
        assertEquals(14, work.launches(), work.toString());
        assertArrayEquals(dense.t().contiguous().toFloatArray(), back.toFloatArray());
    }

    @Test
    void rowsLongerThanAPieceAreCutToo() {
        Tensor dense = floats(1200).reshape(30, 40);
        Tensor t = dense.t(); // rows of 30
        pieces(7);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor g = t.to(GPU);
        // each row of 30 goes in 5 pieces (7, 7, 7, 7, 2): 40 rows, 200 copies
        assertEquals(200, Cuda.counters(GPU).minus(before).hostToDevice());
        assertArrayEquals(t.contiguous().toFloatArray(), g.toFloatArray());
    }

    @Test
    void broadcastViewIsNotMaterialisedWhole() {
        Tensor row = floats(7).reshape(1, 7);
        Tensor wide = row.expand(1000, 7); // 7000 elements over a storage of 7
        pieces(70);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor g = wide.to(GPU);
        assertEquals(100, Cuda.counters(GPU).minus(before).hostToDevice(), "10 rows of 7 per piece");
        assertArrayEquals(wide.contiguous().toFloatArray(), g.toFloatArray());
    }

    @Test
    void everyDtypeRoundTripsInOddPieces() {
        pieces(7);
        Tensor f64 = Torch.arange(0.0, 101, 1.0, DType.FLOAT64).mul(-0.25);
        Tensor i64 = Torch.arange(0L, 101L).mul(1L << 40);
        Tensor bool = Torch.arange(0L, 101L).gt(50);
        for (Tensor x : new Tensor[] {f64, i64, bool, f64.to(DType.FLOAT32)}) {
            Tensor back = x.to(GPU).to(Device.CPU);
            assertEquals(x.dtype(), back.dtype());
            assertEquals(x.shape(), back.shape());
            assertArrayEquals(x.toDoubleArray(), back.toDoubleArray(), x.dtype().toString());
        }
        assertArrayEquals(i64.toLongArray(), i64.to(GPU).to(Device.CPU).toLongArray(), "int64 bit for bit");
    }

    @Test
    void scalarAndEmptyTensorsMove() {
        pieces(3);
        Tensor scalar = Torch.tensor(2.5f).to(GPU);
        assertEquals(2.5, scalar.to(Device.CPU).item());
        assertEquals(0, scalar.to(Device.CPU).dim());
        Tensor empty = Torch.zeros(0, 4).to(GPU).to(Device.CPU);
        assertArrayEquals(new long[] {0, 4}, empty.shape().toArray());
    }

    @Test
    void gradientFlowsBackThroughAPiecewiseTransfer() {
        pieces(5);
        Tensor x = floats(23).requiresGrad_(true);
        x.to(GPU).mul(3).sum().backward();
        float[] expected = new float[23];
        java.util.Arrays.fill(expected, 3f);
        assertArrayEquals(expected, x.grad().toFloatArray());
    }
}
