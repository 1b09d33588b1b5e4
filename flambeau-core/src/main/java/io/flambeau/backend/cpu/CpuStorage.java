package io.flambeau.backend.cpu;

import io.flambeau.backend.Storage;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;

/**
 * Host memory for one dtype: exactly one of the arrays is non-null. Java arrays keep the hot
 * loops simple and let the JIT vectorise them; the price is at most 2^31-1 elements per tensor.
 *
 * <p>Ownership: a storage either owns its array ({@link #allocate}, {@link #adopt}: nobody else
 * holds a reference, so once the storage is released or unreachable it may go to
 * {@link CpuArrayPool}) or borrows it ({@link #borrow}: the array belongs to someone else,
 * typically a result being handed to the user, and is never pooled). Arrays never leave an owning
 * storage: host reads copy.
 */
final class CpuStorage extends Storage {
    float[] f;
    double[] d;
    long[] l;
    boolean[] b;
    /** Returns an owned array to the pool: run by release, or by the GC's notice of this storage. */
    private java.lang.ref.Cleaner.Cleanable giveBack;

    private CpuStorage(DType dtype, long size, boolean owned) {
        super(dtype, size, owned);
    }

    static CpuStorage allocate(DType dtype, long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new DataException("a CPU tensor holds at most 2^31-9 elements; asked for " + numel);
        }
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

    /** The backing array (tests check that no two live storages share one). */
    Object array() {
        return f != null ? f : d != null ? d : l != null ? l : b;
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

    @Override
    protected void release() {
        if (giveBack != null) giveBack.clean(); // at most once, whoever comes first
        f = null;
        d = null;
        l = null;
        b = null;
    }
}
