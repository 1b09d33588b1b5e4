package io.flambeau.backend.cuda.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads and writes of byte arrays: the simulator's view of memory cells. */
final class Bytes {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    /** Reads a value of {@link IntKind} {@code kind}, extended to 64 bits as the kind says. */
    static long read(byte[] a, int off, int kind) {
        return switch (kind) {
            case IntKind.U8 -> a[off] & 0xFF;
            case IntKind.S8 -> a[off];
            case IntKind.U16 -> (short) I16.get(a, off) & 0xFFFF;
            case IntKind.S16 -> (short) I16.get(a, off);
            case IntKind.U32 -> (int) I32.get(a, off) & 0xFFFF_FFFFL;
            case IntKind.S32 -> (int) I32.get(a, off);
            default -> (long) I64.get(a, off);
        };
    }

    /** Writes the low bytes of {@code v} as {@code kind} says. */
    static void write(byte[] a, int off, int kind, long v) {
        switch (kind) {
            case IntKind.U8, IntKind.S8 -> a[off] = (byte) v;
            case IntKind.U16, IntKind.S16 -> I16.set(a, off, (short) v);
            case IntKind.U32, IntKind.S32 -> I32.set(a, off, (int) v);
            default -> I64.set(a, off, v);
        }
    }

    static int getInt(byte[] a, int off) { return (int) I32.get(a, off); }

    static long getLong(byte[] a, int off) { return (long) I64.get(a, off); }

    static void putInt(byte[] a, int off, int v) { I32.set(a, off, v); }

    static void putLong(byte[] a, int off, long v) { I64.set(a, off, v); }
}
