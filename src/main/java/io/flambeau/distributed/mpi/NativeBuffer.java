package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap memory for the elements a collective sends or receives. Java arrays can move during
 * a non-blocking MPI call, so tensors are staged here; bools are one byte each, as C's
 * {@code _Bool} ({@code MPI_C_BOOL}).
 *
 * <p>A buffer whose collective never completed (a timeout) must never be freed, since the library
 * may still write into it: {@link #abandon()} leaves its memory to the process.
 */
public final class NativeBuffer implements AutoCloseable {
    private final Arena arena;
    final MemorySegment segment;
    private final DType dtype;
    private final long count;
    private boolean abandoned;

    private NativeBuffer(DType dtype, long count) {
        this.arena = Arena.ofShared();
        this.dtype = dtype;
        this.count = count;
        this.segment = arena.allocate(Math.max(1, count * dtype.byteSize()), 64);
    }

    public static NativeBuffer allocate(DType dtype, long count) {
        return new NativeBuffer(dtype, count);
    }

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

    /** Keeps the memory for good: a collective that timed out may still write into it. */
    public void abandon() { abandoned = true; }

    @Override
    public void close() {
        if (!abandoned && arena.scope().isAlive()) arena.close();
    }
}
