package io.flambeau.backend.cpu;

import io.flambeau.backend.Storage;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host memory for one dtype, in one of two forms.
 *
 * <ul>
 *   <li><b>A Java array</b> (exactly one of {@link #f}, {@link #d}, {@link #l}, {@link #b} is
 *       non-null): every storage of at most {@link #OFF_HEAP_ABOVE} elements. Arrays keep the hot
 *       loops simple and let the JIT vectorise them; every array kernel of this package
 *       ({@link CpuElementwise}, {@link CpuReduce}, {@link CpuMatmul}, {@link CpuIndexing}, the
 *       GEMMs) works on this form only, with int indices.</li>
 *   <li><b>Off-heap</b> ({@link #seg} non-null, every array null): {@code numel * elementSize}
 *       bytes of C heap ({@link NativeHeap}; bool takes one byte per element), used above
 *       {@link #OFF_HEAP_ABOVE} elements (property {@code flambeau.cpu.offHeapAbove}, default
 *       2^31-9, the most a Java array holds, so every tensor that fits an array keeps one). Any
 *       size that fits in memory; native libraries can read it in place.</li>
 * </ul>
 *
 * <p>The piecewise rule: a backend primitive with any off-heap operand runs through
 * {@link CpuPieces}, which splits the output's flat index range into pieces of at most
 * {@code flambeau.cpu.pieceElements} elements, gathers each operand's piece into a heap array
 * ({@link PieceCopy}, long offsets), runs the array kernel on it and scatters the result back. So
 * the array kernels never see an off-heap storage, and there is one implementation of each op.
 *
 * <p>Ownership: a storage either owns its memory ({@link #allocate}, {@link #adopt}: nobody else
 * holds a reference, so once the storage is released or unreachable an array may go to
 * {@link CpuArrayPool} and off-heap memory is freed — never pooled) or borrows an array
 * ({@link #borrow}: it belongs to someone else, typically a result being handed to the user, or a
 * piece buffer, and is never pooled). Memory never leaves an owning storage: host reads copy.
 */
final class CpuStorage extends Storage {
    /** Element counts above which storages live off the Java heap. */
    static final long OFF_HEAP_ABOVE = Math.min(Long.getLong("flambeau.cpu.offHeapAbove", Integer.MAX_VALUE - 8),
            Integer.MAX_VALUE - 8);
    /** Off-heap bytes allocated and not yet freed, and the level that prompts the collector next. */
    private static final AtomicLong LIVE_OFF_HEAP = new AtomicLong();
    private static final long PROMPT_BYTES = Long.getLong("flambeau.cpu.offHeapPromptBytes", 4L << 30);
    private static volatile long promptAt = PROMPT_BYTES;
    private static final Cleaner OFF_HEAP_CLEANER = Cleaner.create();

    float[] f;
    double[] d;
    long[] l;
    boolean[] b;
    /** The off-heap form's memory, or null for an array storage. */
    MemorySegment seg;
    /** Returns an owned array to the pool or frees off-heap memory: run by release, or by the GC's notice. */
    private Cleaner.Cleanable giveBack;

    private CpuStorage(DType dtype, long size, boolean owned) {
        super(dtype, size, owned);
    }

    static CpuStorage allocate(DType dtype, long numel) {
        if (numel > OFF_HEAP_ABOVE) return allocateOffHeap(dtype, numel);
        int n = (int) numel;
        CpuStorage s = new CpuStorage(dtype, numel, true);
        Object recycled = CpuArrayPool.take(dtype, n);
        switch (dtype) {
            case FLOAT32 -> s.f = recycled != null ? (float[]) recycled : new float[n];
            case FLOAT64 -> s.d = recycled != null ? (double[]) recycled : new double[n];
            case INT64 -> s.l = recycled != null ? (long[]) recycled : new long[n];
            case BOOL -> s.b = recycled != null ? (boolean[]) recycled : new boolean[n];
        }
        s.giveBack = CpuArrayPool.track(s, dtype, s.array(), n);
        return s;
    }

    /** Uninitialised off-heap memory for {@code numel} elements, freed at release or by the GC's notice. */
    static CpuStorage allocateOffHeap(DType dtype, long numel) {
        long bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        long live = LIVE_OFF_HEAP.get() + bytes;
        if (live > promptAt) {
            // storages dropped without close() free their memory only when the collector finds
            // them, and their heap objects are tiny: prompt it, as CpuArrayPool does for arrays
            promptAt = live + PROMPT_BYTES;
            System.gc();
        }
        MemorySegment seg = NativeHeap.malloc(bytes, numel + " " + dtype.pyName() + " elements");
        CpuStorage s;
        try {
            s = new CpuStorage(dtype, numel, true);
        } catch (RuntimeException | Error e) {
            NativeHeap.free(seg.address());
            throw e;
        }
        s.seg = seg;
        LIVE_OFF_HEAP.addAndGet(bytes);
        long address = seg.address();
        // the action holds the address, never the storage
        s.giveBack = OFF_HEAP_CLEANER.register(s, () -> {
            NativeHeap.free(address);
            long left = LIVE_OFF_HEAP.addAndGet(-bytes);
            if (left + PROMPT_BYTES < promptAt) promptAt = left + PROMPT_BYTES;
        });
        return s;
    }

    /** Takes ownership of an array no one else references (a private copy), like {@link #allocate}. */
    static CpuStorage adopt(Object array) {
        return over(array, true);
    }

    /**
     * A transient, untracked storage over an array that belongs to the caller: kernels can write
     * into it, and releasing it never recycles the array.
     */
    static CpuStorage borrow(Object array) {
        return over(array, false);
    }

    private static CpuStorage over(Object array, boolean owned) {
        CpuStorage s;
        switch (array) {
            case float[] a -> { s = new CpuStorage(DType.FLOAT32, a.length, owned); s.f = a; }
            case double[] a -> { s = new CpuStorage(DType.FLOAT64, a.length, owned); s.d = a; }
            case long[] a -> { s = new CpuStorage(DType.INT64, a.length, owned); s.l = a; }
            case boolean[] a -> { s = new CpuStorage(DType.BOOL, a.length, owned); s.b = a; }
            default -> throw new DataException("cannot make a tensor from " + array.getClass().getSimpleName()
                    + ": expected float[], double[], long[] or boolean[]");
        }
        if (owned) s.giveBack = CpuArrayPool.track(s, s.dtype(), array, (int) s.size());
        return s;
    }

    /** A new, zeroed array of this dtype that no pool has ever seen. */
    static Object freshArray(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    @Override
    public Device device() { return Device.CPU; }

    /** The address of off-heap memory (what a native library reads in place); a unique id for an array. */
    @Override
    public long dataPtr() {
        MemorySegment m = seg;
        return m != null ? m.address() : super.dataPtr();
    }

    @Override
    public boolean addressable() { return seg != null; }

    /** Whether this storage is the off-heap form (its elements are in {@link #seg}). */
    boolean offHeap() { return seg != null; }

    /** The backing array (tests check that no two live storages share one); null for off-heap memory. */
    Object array() {
        return f != null ? f : d != null ? d : l != null ? l : b;
    }

    /** The layout of one element of {@code dtype} in off-heap memory. */
    static ValueLayout layout(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case FLOAT64 -> ValueLayout.JAVA_DOUBLE;
            case INT64 -> ValueLayout.JAVA_LONG;
            case BOOL -> ValueLayout.JAVA_BOOLEAN;
        };
    }

    double getD(int i) {
        return switch (dtype()) {
            case FLOAT32 -> f[i];
            case FLOAT64 -> d[i];
            case INT64 -> l[i];
            case BOOL -> b[i] ? 1 : 0;
        };
    }

    void setD(int i, double v) {
        switch (dtype()) {
            case FLOAT32 -> f[i] = (float) v;
            case FLOAT64 -> d[i] = v;
            case INT64 -> l[i] = (long) v;
            case BOOL -> b[i] = v != 0;
        }
    }

    long getL(int i) {
        return switch (dtype()) {
            case FLOAT32 -> (long) f[i];
            case FLOAT64 -> (long) d[i];
            case INT64 -> l[i];
            case BOOL -> b[i] ? 1 : 0;
        };
    }

    void setL(int i, long v) {
        switch (dtype()) {
            case FLOAT32 -> f[i] = v;
            case FLOAT64 -> d[i] = v;
            case INT64 -> l[i] = v;
            case BOOL -> b[i] = v != 0;
        }
    }

    /** Element {@code i} as a double, in either form (long index). */
    double readD(long i) {
        if (seg == null) return getD((int) i);
        return switch (dtype()) {
            case FLOAT32 -> seg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> seg.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case INT64 -> seg.getAtIndex(ValueLayout.JAVA_LONG, i);
            case BOOL -> seg.get(ValueLayout.JAVA_BOOLEAN, i) ? 1 : 0;
        };
    }

    /** Element {@code i} as a long, in either form (long index). */
    long readL(long i) {
        if (seg == null) return getL((int) i);
        return switch (dtype()) {
            case FLOAT32 -> (long) seg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> (long) seg.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case INT64 -> seg.getAtIndex(ValueLayout.JAVA_LONG, i);
            case BOOL -> seg.get(ValueLayout.JAVA_BOOLEAN, i) ? 1 : 0;
        };
    }

    /** Writes element {@code i} from a double, in either form (long index). */
    void writeD(long i, double v) {
        if (seg == null) { setD((int) i, v); return; }
        switch (dtype()) {
            case FLOAT32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> seg.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case INT64 -> seg.setAtIndex(ValueLayout.JAVA_LONG, i, (long) v);
            case BOOL -> seg.set(ValueLayout.JAVA_BOOLEAN, i, v != 0);
        }
    }

    /** Writes element {@code i} from a long, in either form (long index). */
    void writeL(long i, long v) {
        if (seg == null) { setL((int) i, v); return; }
        switch (dtype()) {
            case FLOAT32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> seg.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (double) v);
            case INT64 -> seg.setAtIndex(ValueLayout.JAVA_LONG, i, v);
            case BOOL -> seg.set(ValueLayout.JAVA_BOOLEAN, i, v != 0);
        }
    }

    @Override
    protected void release() {
        if (giveBack != null) giveBack.clean(); // at most once, whoever comes first
        f = null;
        d = null;
        l = null;
        b = null;
        seg = null;
    }
}
