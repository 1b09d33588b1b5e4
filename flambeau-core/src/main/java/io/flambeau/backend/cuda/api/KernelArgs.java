package io.flambeau.backend.cuda.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The values of a kernel's parameters, in the order the PTX declares them.
 *
 * <p>Built fluently ({@code new KernelArgs().ptr(x).ptr(y).u64(n).f32(alpha)}). Each value is kept as
 * its little-endian bytes with its size and kind, which is all that either consumer needs: a binding
 * builds {@code cuLaunchKernel}'s {@code void** kernelParams} (one pointer per parameter, pointing at
 * {@link #size(int)} bytes), and the simulator binds the bytes to the {@code .param} names in
 * declaration order and checks each size against the declaration.
 *
 * <p>Sizes follow the PTX declaration: 8 bytes for {@code .u64/.s64/.b64/.f64} and pointers, 4 for
 * {@code .u32/.s32/.b32/.f32}, N for {@code .align A .b8 name[N]} (use {@link #bytes(byte[], int)}).
 */
public final class KernelArgs {
    /** What the caller said a value is; the simulator checks it against the {@code .param} type. */
    public enum Kind {
        PTR, U64, S64, U32, S32, F32, F64, BYTES;

        public boolean isFloat() { return this == F32 || this == F64; }
    }

    private record Arg(Kind kind, byte[] bytes, int alignment) {}

    private final List<Arg> args = new ArrayList<>();

    /** A device pointer (CUdeviceptr, 8 bytes). */
    public KernelArgs ptr(long devicePointer) { return put(Kind.PTR, devicePointer, 8); }

    public KernelArgs u64(long value) { return put(Kind.U64, value, 8); }

    public KernelArgs s64(long value) { return put(Kind.S64, value, 8); }

    /** A {@code .u32} value: the int's 32 bits, read by the kernel as unsigned. */
    public KernelArgs u32(int value) { return put(Kind.U32, value, 4); }

    public KernelArgs s32(int value) { return put(Kind.S32, value, 4); }

    public KernelArgs f32(float value) { return put(Kind.F32, Float.floatToRawIntBits(value), 4); }

    public KernelArgs f64(double value) { return put(Kind.F64, Double.doubleToRawLongBits(value), 8); }

    /**
     * A {@code .param .align A .b8 name[N]} array (a by-value struct such as a shape/stride table):
     * {@code data.length} must equal N. {@code alignment} is the declared A, kept for bindings that
     * copy parameters into one aligned block.
     */
    public KernelArgs bytes(byte[] data, int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        args.add(new Arg(Kind.BYTES, data.clone(), alignment));
        return this;
    }

    /** Convenience for a {@code .b8} array holding little-endian 64-bit values (shapes, strides). */
    public KernelArgs longs(long... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) bb.putLong(v);
        return bytes(bb.array(), 8);
    }

    private KernelArgs put(Kind kind, long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (value >>> (8 * i));
        args.add(new Arg(kind, b, size));
        return this;
    }

    /** Number of parameters. */
    public int count() { return args.size(); }

    public Kind kind(int index) { return args.get(index).kind; }

    /** Size in bytes of parameter {@code index}'s value. */
    public int size(int index) { return args.get(index).bytes.length; }

    /** Alignment of parameter {@code index}: its size for scalars, the declared one for arrays. */
    public int alignment(int index) { return args.get(index).alignment; }

    /** A copy of parameter {@code index}'s little-endian bytes. */
    public byte[] bytes(int index) { return args.get(index).bytes.clone(); }

    /** Copies parameter {@code index}'s bytes into {@code dst} at {@code offset} (no allocation). */
    public void copyTo(int index, byte[] dst, int offset) {
        byte[] b = args.get(index).bytes;
        System.arraycopy(b, 0, dst, offset, b.length);
    }

    /** Parameter {@code index} read back as a little-endian integer (scalars only; for messages). */
    public long scalar(int index) {
        byte[] b = args.get(index).bytes;
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    /** Human-readable, e.g. {@code (ptr 0x100000000, u64 1000, f32 1.5)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) sb.append(", ");
            Arg a = args.get(i);
            sb.append(a.kind.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            long v = a.kind == Kind.BYTES ? 0 : scalar(i);
            switch (a.kind) {
                case PTR -> sb.append("0x").append(Long.toHexString(v));
                case U64 -> sb.append(Long.toUnsignedString(v));
                case S64 -> sb.append(v);
                case U32 -> sb.append(Integer.toUnsignedString((int) v));
                case S32 -> sb.append((int) v);
                case F32 -> sb.append(Float.intBitsToFloat((int) v));
                case F64 -> sb.append(Double.longBitsToDouble(v));
                case BYTES -> sb.append(Arrays.toString(a.bytes));
            }
        }
        return sb.append(')').toString();
    }
}
