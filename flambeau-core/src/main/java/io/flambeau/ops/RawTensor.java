package io.flambeau.ops;

import io.flambeau.backend.Backend;
import io.flambeau.backend.Backends;
import io.flambeau.backend.Storage;
import io.flambeau.backend.View;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

/**
 * A tensor without autograd: a storage seen through an offset, a shape and strides (in
 * elements). Immutable metadata; views share the storage. Every op of the ops layer takes and
 * returns these.
 */
public final class RawTensor {
    public final Storage storage;
    public final long offset;
    public final long[] shape;
    public final long[] strides;
    private final Backend backend;

    RawTensor(Storage storage, long offset, long[] shape, long[] strides, Backend backend) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.backend = backend;
    }

    /** A new dense tensor with uninitialised contents. */
    public static RawTensor empty(long[] shape, DType dtype, Device device) {
        return empty("empty", shape, dtype, device);
    }

    /**
     * A new dense tensor with uninitialised contents, for {@code op}: a shape whose size overflows
     * and a heap that cannot hold it are errors naming that op (see {@link Allocation}).
     */
    public static RawTensor empty(String op, long[] shape, DType dtype, Device device) {
        Backend b = Backends.of(device);
        Storage s = Allocation.allocate(op, b, shape, dtype);
        return new RawTensor(s, 0, shape.clone(), Shapes.contiguousStrides(shape), b);
    }

    /** A dense tensor over host data ({@code float[]}, {@code double[]}, {@code long[]}, {@code boolean[]}). */
    public static RawTensor fromHost(Object array, long[] shape, Device device) {
        Backend b = Backends.of(device);
        return new RawTensor(Allocation.upload("tensor", b, array, shape), 0, shape.clone(), Shapes.contiguousStrides(shape), b);
    }

    /**
     * A tensor over an existing storage, such as device memory made outside Flambeau and wrapped by
     * its backend. The caller has checked that every element the strides reach lies in the storage.
     */
    public static RawTensor over(Storage storage, long offset, long[] shape, long[] strides) {
        return new RawTensor(storage, offset, shape.clone(), strides.clone(), Backends.of(storage.device()));
    }

    /** Another view of the same storage. */
    public RawTensor asStrided(long[] shape, long[] strides, long offset) {
        return new RawTensor(storage, offset, shape, strides, backend);
    }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return backend.device(); }

    /** The backend that computes on this tensor: reached by the ops of this package only. */
    Backend backend() { return backend; }

    public View view() { return new View(storage, offset, shape, strides); }

    public int dim() { return shape.length; }

    public long numel() { return Shapes.numel(shape); }

    public boolean isContiguous() { return View.isContiguous(shape, strides); }

    /** Dense row-major host copy: {@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]}. */
    public Object toHost() { return backend.download(view()); }

    /** All elements as doubles in row-major order (bools as 0/1). */
    public double[] toDoubles() {
        Object h = toHost();
        return switch (h) {
            case double[] d -> d;
            case float[] f -> { double[] d = new double[f.length]; for (int i = 0; i < f.length; i++) d[i] = f[i]; yield d; }
            case long[] l -> { double[] d = new double[l.length]; for (int i = 0; i < l.length; i++) d[i] = l[i]; yield d; }
            case boolean[] b -> { double[] d = new double[b.length]; for (int i = 0; i < b.length; i++) d[i] = b[i] ? 1 : 0; yield d; }
            default -> throw new IllegalStateException();
        };
    }

    /** All elements as longs in row-major order (floats truncated). */
    public long[] toLongs() {
        Object h = toHost();
        if (h instanceof long[] l) return l;
        double[] d = toDoubles();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) l[i] = (long) d[i];
        return l;
    }

    @Override
    public String toString() {
        return "RawTensor" + Shapes.format(shape) + " " + dtype().pyName() + " on " + device();
    }
}
