package io.flambeau.nn;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The binary file format of saved state dicts ({@link Module#save}/{@link Module#load}).
 *
 * <p>Version 1, every number little-endian:
 * <pre>
 *   magic     8 bytes   ASCII "FLAMBEAU"
 *   version   u32       1
 *   count     u32       number of entries
 *   count × entry:
 *     nameLen u16       length of the name in bytes
 *     name    nameLen   UTF-8, e.g. "fc1.weight"; unique within the file
 *     dtype   u8        0 = bool, 1 = int64, 2 = float32, 3 = float64
 *     rank    u8        number of dimensions (0 for a scalar)
 *     dims    rank × i64
 *     data    numel × element size, row-major (bool: one byte, 0 or 1)
 *   checksum  u32       CRC-32 of every byte before it
 * </pre>
 * Nothing may follow the checksum. No field holds a byte length: an entry's data length follows from
 * its 64-bit dims, so an entry may be of any size. Tensors are written and read in pieces of at most
 * {@value #PIECE_PROPERTY} elements (default 2^22): a piece is copied from the tensor (from its device)
 * to the file, and on reading the tensor is allocated once and filled piece by piece, so no entry
 * passes through one Java array (which could not hold more than 2^31-9 elements). The piece size
 * changes nothing in the file. A reader refuses a file whose magic, version, structure or
 * checksum is wrong with a {@link DataException} saying what is wrong; it reads and checks the
 * whole file before handing anything back. Writing goes to a temporary file in the same folder
 * that then replaces the target, so an interrupted save does not destroy the previous file.
 *
 * <pre>{@code
 * model.save(Path.of("spiral.flambeau"));                  // StateDictFile.write(file, model.stateDict())
 * Map<String, Tensor> state = StateDictFile.read(Path.of("spiral.flambeau"));
 * other.loadStateDict(state);
 * }</pre>
 */
public final class StateDictFile {
    /** The first eight bytes of every state dict file. */
    public static final byte[] MAGIC = "FLAMBEAU".getBytes(StandardCharsets.US_ASCII);
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    /** System property: the most elements of a tensor moved between memory and the file at once. */
    public static final String PIECE_PROPERTY = "flambeau.stateDict.pieceElements";
    private static final long DEFAULT_PIECE = 1L << 22;
    private static final int MAX_RANK = 64;

    private StateDictFile() {}

    // ---- writing -----------------------------------------------------------------------------

    /** Writes {@code state} to {@code file}, replacing it. I/O failures are {@link StateDictException}s naming the path. */
    public static void write(Path file, Map<String, Tensor> state) {
        write(file, state, pieceElements());
    }

    /** The piece size in elements: {@value #PIECE_PROPERTY}, else 2^22; at least 1. */
    static long pieceElements() {
        return Math.max(1, Long.getLong(PIECE_PROPERTY, DEFAULT_PIECE));
    }

    /** {@link #write(Path, Map)} moving at most {@code piece} elements at a time (tests force many pieces). */
    static void write(Path file, Map<String, Tensor> state, long piece) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writeTo(out, state, piece);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new StateDictException("save: cannot write the state dict to " + file.toAbsolutePath() + ": " + e
                    + "; check that the directory exists and is writable", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error is the one worth reporting
                }
            }
        }
    }

    private static void writeTo(OutputStream out, Map<String, Tensor> state, long piece) throws IOException {
        CRC32 crc = new CRC32();
        Sink sink = new Sink(out, crc);
        sink.bytes(MAGIC);
        sink.u32(VERSION);
        sink.u32(state.size());
        for (var e : state.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > 0xFFFF) {
                throw new DataException("state dict key '" + e.getKey() + "' cannot be saved: names must be 1 to 65535 UTF-8 bytes");
            }
            Tensor t = e.getValue();
            sink.u16(name.length);
            sink.bytes(name);
            sink.u8(dtypeCode(t.dtype()));
            long[] dims = t.shape().toArray();
            if (dims.length > MAX_RANK) throw new DataException("state dict entry '" + e.getKey() + "' has too many dimensions");
            sink.u8(dims.length);
            for (long d : dims) sink.i64(d);
            writeElements(sink, t, piece);
        }
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        out.write(tail.array());
    }

    /**
     * The elements of {@code t} in row-major order, little-endian, one piece at a time: each piece is a
     * view of the flat tensor copied to the host on its own (a strided tensor is made dense once first).
     */
    private static void writeElements(Sink sink, Tensor t, long piece) throws IOException {
        Tensor flat = t.detach().reshape(-1);
        long n = flat.numel();
        int size = t.dtype().byteSize();
        byte[] buffer = new byte[(int) Math.min(n, piece) * size];
        for (long from = 0; from < n; from += piece) {
            int count = (int) Math.min(piece, n - from);
            Tensor part = flat.get(Index.slice(from, from + count));
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, count * size).order(ByteOrder.LITTLE_ENDIAN);
            switch (t.dtype()) {
                case BOOL -> { for (boolean v : part.toBooleanArray()) b.put((byte) (v ? 1 : 0)); }
                case INT64 -> b.asLongBuffer().put(part.toLongArray());
                case FLOAT32 -> b.asFloatBuffer().put(part.toFloatArray());
                case FLOAT64 -> b.asDoubleBuffer().put(part.toDoubleArray());
            }
            sink.bytes(buffer, count * size);
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    /**
     * Reads a state dict (tensors on the CPU, in file order). A missing or unreadable file is a
     * {@link StateDictException} naming the path, with the I/O error as its cause; a file that is not
     * a valid state dict is a {@link DataException}.
     */
    public static Map<String, Tensor> read(Path file) {
        return read(file, pieceElements());
    }

    /** {@link #read(Path)} moving at most {@code piece} elements at a time (tests force many pieces). */
    static Map<String, Tensor> read(Path file, long piece) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new StateDictException("load: no such file " + file.toAbsolutePath() + " (state dict not found);"
                    + " check the path, or save the model there first with save(path)", e);
        } catch (IOException e) {
            throw new StateDictException("load: cannot read the state dict " + file.toAbsolutePath() + ": " + e, e);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readFrom(new Source(in, size, file), piece);
        } catch (IOException e) {
            throw new StateDictException("load: cannot read the state dict " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /** Reads every entry; on any failure the tensors already allocated are released before the error leaves. */
    private static Map<String, Tensor> readFrom(Source in, long piece) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            readEntries(in, piece, out);
            return Collections.unmodifiableMap(out);
        } catch (RuntimeException | IOException e) {
            out.values().forEach(Tensor::close);
            throw e;
        }
    }

    private static void readEntries(Source in, long piece, Map<String, Tensor> out) throws IOException {
        byte[] magic = in.bytes(MAGIC.length, "the magic number");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw in.error("not a Flambeau state dict (wrong magic number; expected \"FLAMBEAU\")");
        }
        long version = in.u32("the version");
        if (version != VERSION) {
            throw in.error("unsupported format version " + version + " (this Flambeau reads version " + VERSION + ")");
        }
        long count = in.u32("the entry count");
        for (long i = 0; i < count; i++) {
            int nameLen = in.u16("the length of name " + i);
            String name = new String(in.bytes(nameLen, "name " + i), StandardCharsets.UTF_8);
            String what = "entry '" + name + "'";
            DType dtype = dtypeOf(in.u8("the dtype of " + what), in, what);
            int rank = in.u8("the rank of " + what);
            if (rank > MAX_RANK) throw in.error(what + " claims " + rank + " dimensions (corrupted header)");
            long[] dims = new long[rank];
            long numel = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = in.i64("the shape of " + what);
                if (dims[d] < 0) throw in.error(what + " has a negative dimension " + dims[d] + " (corrupted header)");
                numel = multiplyOrHuge(numel, dims[d]);
            }
            long bytes = multiplyOrHuge(numel, dtype.byteSize());
            if (bytes > in.remaining() - 4) {
                throw in.error("truncated or corrupted: " + what + " of shape " + java.util.Arrays.toString(dims)
                        + " needs " + bytes + " bytes of data but only " + Math.max(0, in.remaining() - 4) + " remain before the checksum");
            }
            if (out.containsKey(name)) throw in.error("the key '" + name + "' appears twice");
            Tensor t = Torch.full(dims, 0, dtype, Device.CPU); // allocated once, filled piece by piece
            out.put(name, t);
            readElements(in, t, piece, "the data of " + what);
        }
        long expected = in.crc();
        long stored = in.u32("the checksum");
        if (stored != expected) {
            throw in.error(String.format("checksum mismatch (stored %08x, computed %08x): the file is corrupted", stored, expected));
        }
        if (in.remaining() != 0) throw in.error(in.remaining() + " unexpected bytes after the checksum");
    }

    private static long multiplyOrHuge(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Fills the fresh dense tensor {@code t} from the file, {@code piece} elements at a time. */
    private static void readElements(Source in, Tensor t, long piece, String what) throws IOException {
        Tensor flat = t.reshape(-1);
        long n = flat.numel();
        int size = t.dtype().byteSize();
        byte[] buffer = new byte[(int) Math.min(n, piece) * size];
        for (long from = 0; from < n; from += piece) {
            int count = (int) Math.min(piece, n - from);
            in.readFully(buffer, count * size, what);
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, count * size).order(ByteOrder.LITTLE_ENDIAN);
            Object values = switch (t.dtype()) {
                case BOOL -> {
                    boolean[] v = new boolean[count];
                    for (int i = 0; i < count; i++) v[i] = buffer[i] != 0;
                    yield v;
                }
                case INT64 -> { long[] v = new long[count]; b.asLongBuffer().get(v); yield v; }
                case FLOAT32 -> { float[] v = new float[count]; b.asFloatBuffer().get(v); yield v; }
                case FLOAT64 -> { double[] v = new double[count]; b.asDoubleBuffer().get(v); yield v; }
            };
            Tensor part = Torch.tensor(values, t.dtype(), Device.CPU);
            flat.get(Index.slice(from, from + count)).copy_(part);
            part.close(); // the piece is copied: its memory goes back now, not at the end of a scope
        }
    }

    // Codes are fixed by the format, independent of the order of DType's constants.
    private static int dtypeCode(DType t) {
        return switch (t) { case BOOL -> 0; case INT64 -> 1; case FLOAT32 -> 2; case FLOAT64 -> 3; };
    }

    private static DType dtypeOf(int code, Source in, String what) {
        return switch (code) {
            case 0 -> DType.BOOL;
            case 1 -> DType.INT64;
            case 2 -> DType.FLOAT32;
            case 3 -> DType.FLOAT64;
            default -> throw in.error(what + " has an unknown dtype code " + code + " (corrupted header)");
        };
    }

    /** Little-endian writer that feeds every byte to the checksum. */
    private record Sink(OutputStream out, CRC32 crc) {
        void bytes(byte[] b) throws IOException { bytes(b, b.length); }
        void bytes(byte[] b, int n) throws IOException { out.write(b, 0, n); crc.update(b, 0, n); }
        void u8(int v) throws IOException { bytes(new byte[] {(byte) v}); }
        void u16(int v) throws IOException { bytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array()); }
        void u32(long v) throws IOException { bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array()); }
        void i64(long v) throws IOException { bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array()); }
    }

    /** Little-endian reader that checksums what it reads and reports short reads as truncation. */
    private static final class Source {
        private final InputStream in;
        private final CRC32 crc = new CRC32();
        private final Path file;
        private long remaining;

        Source(InputStream in, long size, Path file) {
            this.in = in;
            this.remaining = size;
            this.file = file;
        }

        long remaining() { return remaining; }

        long crc() { return crc.getValue(); }

        DataException error(String what) {
            return new DataException("cannot load state dict " + file + ": " + what);
        }

        byte[] bytes(int n, String what) throws IOException {
            if (n > remaining) {
                throw error("truncated file: it ends while reading " + what + " (" + remaining + " bytes left, " + n + " needed)");
            }
            byte[] b = in.readNBytes(n);
            if (b.length != n) throw error("truncated file: it ends while reading " + what);
            remaining -= n;
            crc.update(b);
            return b;
        }

        /** Reads exactly {@code n} bytes into the start of {@code buffer}. */
        void readFully(byte[] buffer, int n, String what) throws IOException {
            if (n > remaining) {
                throw error("truncated file: it ends while reading " + what + " (" + remaining + " bytes left, " + n + " needed)");
            }
            if (in.readNBytes(buffer, 0, n) != n) throw error("truncated file: it ends while reading " + what);
            remaining -= n;
            crc.update(buffer, 0, n);
        }

        int u8(String what) throws IOException { return bytes(1, what)[0] & 0xFF; }

        int u16(String what) throws IOException { return ByteBuffer.wrap(bytes(2, what)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF; }

        long u32(String what) throws IOException {
            return ByteBuffer.wrap(bytes(4, what)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        }

        long i64(String what) throws IOException { return ByteBuffer.wrap(bytes(8, what)).order(ByteOrder.LITTLE_ENDIAN).getLong(); }
    }
}
