package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static io.flambeau.nn.StateDictTest.assertSameValues;
import static io.flambeau.nn.StateDictTest.model;
import static io.flambeau.nn.StateDictTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Module#save}/{@link Module#load} and the {@link StateDictFile} format. */
class SaveLoadTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() {
        Sequential source = model(), target = model();
        Path file = dir.resolve("model.flb");
        source.save(file);
        target.load(file);
        assertSameValues(snapshot(source), target);
        try (var stream = Files.list(dir)) {
            assertEquals(List.of(file), stream.toList(), "no temporary file left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyDtypeAndScalarsSurviveTheFile() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("f32", Torch.tensor(new float[][] {{1.5f, -2}, {Float.NaN, Float.POSITIVE_INFINITY}}));
        state.put("f64", Torch.tensor(new double[] {Math.PI, -0.0}));
        state.put("i64", Torch.tensor(new long[] {Long.MIN_VALUE, 7, Long.MAX_VALUE}));
        state.put("bool", Torch.tensor(new boolean[] {true, false, true}));
        state.put("empty", Torch.zeros(0, 3));
        state.put("scalar", Torch.tensor(new float[] {4.25f}).reshape());
        state.put("t", Torch.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).t());
        Path file = dir.resolve("all.flb");
        StateDictFile.write(file, state);
        Map<String, Tensor> back = StateDictFile.read(file);
        assertEquals(List.copyOf(state.keySet()), List.copyOf(back.keySet()));
        state.forEach((k, t) -> {
            Tensor r = back.get(k);
            assertEquals(t.dtype(), r.dtype(), k);
            assertEquals(t.shape(), r.shape(), k);
            if (t.dtype() == DType.INT64) assertArrayEquals(t.toLongArray(), r.toLongArray(), k);
            else assertArrayEquals(t.toDoubleArray(), r.toDoubleArray(), k);
        });
        assertEquals(1.0 / -0.0, 1.0 / back.get("f64").toDoubleArray()[1], "negative zero kept");
    }

    @Test
    void headerIsTheDocumentedLayout() throws IOException {
        Linear l = new Linear(2, 1);
        Path file = dir.resolve("l.flb");
        l.save(file);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        buf.get(magic);
        assertEquals("FLAMBEAU", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, buf.getInt());
        assertEquals(2, buf.getInt());
        int nameLen = buf.getShort();
        byte[] name = new byte[nameLen];
        buf.get(name);
        assertEquals("weight", new String(name, StandardCharsets.UTF_8));
        assertEquals(2, buf.get(), "float32 code");
        assertEquals(2, buf.get(), "rank");
        assertEquals(1, buf.getLong());
        assertEquals(2, buf.getLong());
        float[] w = l.weight().tensor().toFloatArray();
        assertEquals(w[0], buf.getFloat());
        assertEquals(w[1], buf.getFloat());
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    /** Writes {@code bytes} to a file, loads it into a fresh model and checks the error and that nothing changed. */
    private DataException loadFails(byte[] bytes, String messagePart) throws IOException {
        Path file = dir.resolve("bad.flb");
        Files.write(file, bytes);
        Sequential m = model();
        Map<String, float[]> before = snapshot(m);
        DataException e = assertThrows(DataException.class, () -> m.load(file));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertSameValues(before, m);
        return e;
    }

    private byte[] savedModel() throws IOException {
        Path file = dir.resolve("good.flb");
        model().save(file);
        return Files.readAllBytes(file);
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] good = savedModel();
        for (int cut : new int[] {0, 5, 12, 20, good.length / 2, good.length - 4, good.length - 1}) {
            loadFails(Arrays.copyOf(good, cut), "truncated");
        }
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        byte[] bytes = savedModel();
        bytes[0] = 'X';
        loadFails(bytes, "wrong magic");
        loadFails("PK\u0003\u0004 a zip file, say".getBytes(StandardCharsets.ISO_8859_1), "wrong magic");
    }

    @Test
    void unsupportedVersionIsRefused() throws IOException {
        byte[] bytes = savedModel();
        bytes[8] = 2;
        loadFails(bytes, "unsupported format version 2");
    }

    @Test
    void corruptedDataFailsTheChecksum() throws IOException {
        byte[] bytes = savedModel();
        // 0.weight's data starts at 44: magic 8, version 4, count 4, name length 2, "0.weight" 8, dtype 1, rank 1, dims 16
        bytes[50] ^= 0x40;
        loadFails(bytes, "checksum mismatch");
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] good = savedModel();
        loadFails(Arrays.copyOf(good, good.length + 3), "after the checksum");
    }

    @Test
    void aFileForAnotherModelIsRefusedByShape() throws IOException {
        Path file = dir.resolve("other.flb");
        new Sequential(new Linear(2, 5), new Tanh(), new Linear(5, 1)).save(file);
        Sequential m = model();
        Map<String, float[]> before = snapshot(m);
        StateDictException e = assertThrows(StateDictException.class, () -> m.load(file));
        assertInstanceOf(DataException.class, e);
        assertTrue(e.getMessage().contains("size mismatch for 0.weight"), e.getMessage());
        assertTrue(e.keys().contains("2.weight"), e.keys().toString());
        assertSameValues(before, m);
    }

    @Test
    void aMissingFileIsAStateDictErrorNamingThePath() {
        StateDictException missing = assertThrows(StateDictException.class, () -> model().load(dir.resolve("nope.flb")));
        assertTrue(missing.getMessage().contains(dir.resolve("nope.flb").toAbsolutePath().toString()), missing.getMessage());
        assertInstanceOf(java.nio.file.NoSuchFileException.class, missing.getCause());
    }
}
