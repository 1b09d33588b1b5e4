package io.flambeau.nn;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StateDictFile} streams each tensor in pieces: the piece size (forced small here) changes
 * nothing in the file, a file loads the same in any piece size, a GPU tensor leaves the device in
 * exactly one copy per piece, and a damaged piece is still caught by the checksum.
 */
class StateDictPiecesTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("w", Torch.arange(0.0, 1000, 1.0, DType.FLOAT64).mul(0.37).add(-100).to(DType.FLOAT32).reshape(40, 25));
        s.put("wt", s.get("w").t()); // strided
        s.put("f64", Torch.arange(0.0, 333, 1.0, DType.FLOAT64).mul(-1e-3));
        s.put("i64", Torch.arange(0L, 301L).mul(1L << 33));
        s.put("mask", Torch.arange(0L, 97L).gt(40));
        s.put("scalar", Torch.tensor(new float[] {4.25f}).reshape());
        s.put("empty", Torch.zeros(0, 3));
        return s;
    }

    @Test
    void thePieceSizeChangesNothingInTheFile() throws IOException {
        Map<String, Tensor> state = state();
        Path whole = dir.resolve("whole.flb");
        StateDictFile.write(whole, state, Long.MAX_VALUE);
        byte[] expected = Files.readAllBytes(whole);
        for (long piece : new long[] {1, 7, 64, 999}) {
            Path file = dir.resolve("p" + piece + ".flb");
            StateDictFile.write(file, state, piece);
            assertArrayEquals(expected, Files.readAllBytes(file), "pieces of " + piece);
        }
    }

    @Test
    void aFileLoadsTheSameInAnyPieceSize() {
        Map<String, Tensor> state = state();
        Path file = dir.resolve("m.flb");
        StateDictFile.write(file, state);
        for (long piece : new long[] {1, 7, 64, 1 << 22}) {
            Map<String, Tensor> back = StateDictFile.read(file, piece);
            assertEquals(state.keySet(), back.keySet());
            state.forEach((k, t) -> {
                Tensor r = back.get(k);
                assertEquals(t.dtype(), r.dtype(), k);
                assertEquals(t.shape(), r.shape(), k);
                assertEquals(Device.CPU, r.device(), k);
                if (t.dtype() == DType.INT64) assertArrayEquals(t.toLongArray(), r.toLongArray(), k);
                else assertArrayEquals(t.toDoubleArray(), r.toDoubleArray(), k + " in pieces of " + piece);
            });
        }
    }

    @Test
    void aGpuTensorIsSavedOnePieceAtATime() {
        SimCuda.install();
        Device gpu = Device.cuda(0);
        Tensor w = state().get("w").to(gpu);
        Path file = dir.resolve("gpu.flb");
        String old = System.setProperty(StateDictFile.PIECE_PROPERTY, "100");
        DeviceCounters work;
        try {
            DeviceCounters before = Cuda.counters(gpu);
            StateDictFile.write(file, Map.of("w", w));
            work = Cuda.counters(gpu).minus(before);
        } finally {
            if (old == null) System.clearProperty(StateDictFile.PIECE_PROPERTY);
            else System.setProperty(StateDictFile.PIECE_PROPERTY, old);
        }
        assertEquals(10, work.deviceToHost(), "1000 elements in pieces of 100: " + work);
        assertEquals(0, work.hostToDevice(), work.toString());
        assertArrayEquals(w.toFloatArray(), StateDictFile.read(file).get("w").toFloatArray());
    }

    @Test
    void aDamagedPieceFailsTheChecksum() throws IOException {
        Path file = dir.resolve("bad.flb");
        StateDictFile.write(file, Map.of("w", state().get("w")), 64);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 4 - 4 * 500] ^= 0x10; // inside the data, pieces away from both ends
        Files.write(file, b);
        DataException e = assertThrows(DataException.class, () -> StateDictFile.read(file, 64));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void aFileCutInsideAPieceIsTruncated() throws IOException {
        Path file = dir.resolve("cut.flb");
        StateDictFile.write(file, Map.of("w", state().get("w")), 64);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length - 1000));
        DataException e = assertThrows(DataException.class, () -> StateDictFile.read(file, 64));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
