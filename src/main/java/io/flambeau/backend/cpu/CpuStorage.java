package io.flambeau.backend.cpu;

import io.flambeau.backend.Storage;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;

/**
 * Host memory for one dtype: exactly one of the arrays is non-null. Java arrays keep the hot
 * loops simple and let the JIT vectorise them; the price is at most 2^31-1 elements per tensor.
 */
final class CpuStorage extends Storage {
    float[] f;
    double[] d;
    long[] l;
    boolean[] b;

    private CpuStorage(DType dtype, long size) {
        super(dtype, size);
    }

    static CpuStorage allocate(DType dtype, long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new DataException("a CPU tensor holds at most 2^31-9 elements; asked for " + numel);
        }
        int n = (int) numel;
        CpuStorage s = new CpuStorage(dtype, numel);
        Object recycled = CpuArrayPool.take(dtype, n);
        switch (dtype) {
            case FLOAT32 -> s.f = recycled != null ? (float[]) recycled : new float[n];
            case FLOAT64 -> s.d = recycled != null ? (double[]) recycled : new double[n];
            case INT64 -> s.l = recycled != null ? (long[]) recycled : new long[n];
            case BOOL -> s.b = recycled != null ? (boolean[]) recycled : new boolean[n];
        }
        return s;
    }

    static CpuStorage wrap(Object array) {
        CpuStorage s;
        switch (array) {
            case float[] a -> { s = new CpuStorage(DType.FLOAT32, a.length); s.f = a; }
            case double[] a -> { s = new CpuStorage(DType.FLOAT64, a.length); s.d = a; }
            case long[] a -> { s = new CpuStorage(DType.INT64, a.length); s.l = a; }
            case boolean[] a -> { s = new CpuStorage(DType.BOOL, a.length); s.b = a; }
            default -> throw new DataException("cannot make a tensor from " + array.getClass().getSimpleName()
                    + ": expected float[], double[], long[] or boolean[]");
        }
        return s;
    }

    @Override
    public Device device() { return Device.CPU; }

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
        Object array = f != null ? f : d != null ? d : l != null ? l : b;
        CpuArrayPool.give(dtype(), array, (int) size());
        f = null;
        d = null;
        l = null;
        b = null;
    }
}
