package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Off-heap memory for the elements a collective sends or receives. Java arrays can move during
 * a non-blocking MPI call, so tensors are staged here; bools are one byte each, as C's
 * {@code _Bool} ({@code MPI_C_BOOL}).
 *
 * <p>A buffer whose collective never completed (a timeout) must never be freed, since the library
 * may still write into it: {@link #abandon()} leaves its memory to the process.
 */
public final class NativeBuffer implements AutoCloseable {
    /**
     * Released blocks by size, reused by the next buffer of that size: collectives in a loop (DDP's
     * buckets, a benchmark) then allocate nothing, and a shared arena's close (a handshake with every
     * thread of the JVM) is paid only when the pool is full.
     */
    private static final Map<Long, ArrayDeque<Block>> FREE = new HashMap<>();
    private static final long MAX_POOLED_BYTES = 512L << 20;
    private static long pooledBytes;

    private record Block(Arena arena, MemorySegment segment) {}

    private final Block block;
    final MemorySegment segment;
    private final DType dtype;
    private final long count;
    private boolean abandoned;
    private boolean closed;

    /** A buffer over memory someone else owns ({@link #over}, {@link #slice}): closing it releases nothing. */
    private NativeBuffer(MemorySegment borrowed, DType dtype) {
        this.dtype = dtype;
        this.count = borrowed.byteSize() / dtype.byteSize();
        this.block = null;
        this.segment = borrowed;
    }

    private NativeBuffer(DType dtype, long count) {
        this.dtype = dtype;
        this.count = count;
        long bytes = Math.max(64, (count * dtype.byteSize() + 63) / 64 * 64);
        Block b = null;
        synchronized (FREE) {
            ArrayDeque<Block> free = FREE.get(bytes);
            if (free != null && !free.isEmpty()) {
                b = free.pop();
                pooledBytes -= bytes;
            }
        }
        if (b == null) {
            Arena arena = Arena.ofShared();
            b = new Block(arena, arena.allocate(bytes, 64));
        }
        this.block = b;
        this.segment = b.segment();
    }

    public static NativeBuffer allocate(DType dtype, long count) {
        return new NativeBuffer(dtype, count);
    }

    /**
     * A buffer over {@code elements}, memory its owner keeps alive while the collective runs (a
     * dense off-heap tensor's own elements): MPI then reads and writes them with no staging copy.
     * Closing or abandoning it releases nothing; after a timeout the owner must keep the memory.
     */
    public static NativeBuffer over(long address, long count, DType dtype) {
        return new NativeBuffer(MemorySegment.ofAddress(address).reinterpret(count * dtype.byteSize()), dtype);
    }

    /** Elements {@code [at, at + n)} of this buffer, as a buffer that releases nothing (a chunk of one collective). */
    public NativeBuffer slice(long at, long n) {
        return new NativeBuffer(segment.asSlice(at * dtype.byteSize(), n * dtype.byteSize()), dtype);
    }

    /** The address of the first element (what MPI is handed). */
    public long address() { return segment.address(); }

    public DType dtype() { return dtype; }

    /** Elements it holds. */
    public long count() { return count; }

    /** Copies {@code array} (float[], double[], long[] or boolean[] of this dtype) to elements {@code at...}. */
    public void write(long at, Object array) {
        long bytes = at * dtype.byteSize();
        switch (array) {
            case float[] a -> MemorySegment.copy(a, 0, segment, ValueLayout.JAVA_FLOAT, bytes, a.length);
            case double[] a -> MemorySegment.copy(a, 0, segment, ValueLayout.JAVA_DOUBLE, bytes, a.length);
            case long[] a -> MemorySegment.copy(a, 0, segment, ValueLayout.JAVA_LONG, bytes, a.length);
            case boolean[] a -> {
                for (int i = 0; i < a.length; i++) segment.set(ValueLayout.JAVA_BYTE, bytes + i, (byte) (a[i] ? 1 : 0));
            }
            default -> throw new DistributedException("cannot stage a " + array.getClass().getSimpleName());
        }
    }

    /** A new array of this dtype with elements {@code at .. at+n-1}. */
    public Object read(long at, int n) {
        long bytes = at * dtype.byteSize();
        return switch (dtype) {
            case FLOAT32 -> { float[] a = new float[n]; MemorySegment.copy(segment, ValueLayout.JAVA_FLOAT, bytes, a, 0, n); yield a; }
            case FLOAT64 -> { double[] a = new double[n]; MemorySegment.copy(segment, ValueLayout.JAVA_DOUBLE, bytes, a, 0, n); yield a; }
            case INT64 -> { long[] a = new long[n]; MemorySegment.copy(segment, ValueLayout.JAVA_LONG, bytes, a, 0, n); yield a; }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = segment.get(ValueLayout.JAVA_BYTE, bytes + i) != 0;
                yield a;
            }
        };
    }

    /** AVG in place: every element divided by {@code n} (int64 truncates toward zero, as C and NCCL do). */
    public void divide(int n) {
        if (n <= 1) return;
        switch (dtype) {
            case FLOAT32 -> {
                for (long i = 0; i < count; i++) segment.setAtIndex(ValueLayout.JAVA_FLOAT, i, segment.getAtIndex(ValueLayout.JAVA_FLOAT, i) / n);
            }
            case FLOAT64 -> {
                for (long i = 0; i < count; i++) segment.setAtIndex(ValueLayout.JAVA_DOUBLE, i, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, i) / n);
            }
            case INT64 -> {
                for (long i = 0; i < count; i++) segment.setAtIndex(ValueLayout.JAVA_LONG, i, segment.getAtIndex(ValueLayout.JAVA_LONG, i) / n);
            }
            case BOOL -> throw new DistributedException("cannot average bool elements");
        }
    }

    /** Keeps the memory for good: a collective that timed out may still write into it. */
    public void abandon() { abandoned = true; }

    /** Gives the memory back (to the pool, or to the system when the pool is full); closing twice is harmless. */
    @Override
    public void close() {
        if (abandoned || closed || block == null) return;
        closed = true;
        long bytes = block.segment().byteSize();
        synchronized (FREE) {
            if (pooledBytes + bytes <= MAX_POOLED_BYTES) {
                FREE.computeIfAbsent(bytes, k -> new ArrayDeque<>()).push(block);
                pooledBytes += bytes;
                return;
            }
        }
        block.arena().close();
    }
}
