package io.flambeau.ops;

import io.flambeau.backend.Backends;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.DeviceRanges;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.ShapeException;

/**
 * Tensors made from nothing: constants, identity, ranges, random draws and host arrays.
 *
 * <p>Constants, random draws and {@code arange} are written by device kernels ({@code fill},
 * {@code random}, and {@code DeviceRanges} where the backend has it), so making them uploads
 * nothing. {@code linspace}, and {@code arange} on other backends, are computed on the host and
 * uploaded in one transfer.
 */
public final class Creation {
    private Creation() {}

    // ---- constants ----------------------------------------------------------------------------

    public static RawTensor full(long[] shape, double value, DType dtype, Device device) {
        return full("full", shape, value, dtype, device);
    }

    /** {@link #full} for {@code op} ({@code zeros}, {@code ones}...), the name its errors give. */
    public static RawTensor full(String op, long[] shape, double value, DType dtype, Device device) {
        checkShape(op, shape);
        Int64Conversion.check(op, value, dtype);
        RawTensor out = RawTensor.empty(op, shape, dtype, device);
        if (out.numel() > 0) Elementwise.fill(out, value);
        return out;
    }

    public static RawTensor zeros(long[] shape, DType dtype, Device device) {
        return full("zeros", shape, 0, dtype, device);
    }

    public static RawTensor ones(long[] shape, DType dtype, Device device) {
        return full("ones", shape, 1, dtype, device);
    }

    /** A 0-dim tensor holding {@code value}. */
    public static RawTensor scalar(double value, DType dtype, Device device) {
        return full(new long[0], value, dtype, device);
    }

    /** An n×m matrix with ones on the main diagonal. */
    public static RawTensor eye(long n, long m, DType dtype, Device device) {
        if (n < 0 || m < 0) {
            throw new ShapeException("eye: n and m must be greater or equal to 0, got n=" + n + ", m=" + m);
        }
        RawTensor out = zeros(new long[] {n, m}, dtype, device);
        long diag = Math.min(n, m);
        // The diagonal of a dense n×m matrix is the strided view {offset 0, stride m+1}.
        if (diag > 0) Elementwise.fill(out.asStrided(new long[] {diag}, new long[] {m + 1}, 0), 1);
        return out;
    }

    public static RawTensor eye(long n, DType dtype, Device device) {
        return eye(n, n, dtype, device);
    }

    // ---- ranges -------------------------------------------------------------------------------

    /**
     * Values {@code start, start+step, ...} below {@code end} (above, for a negative step):
     * {@code ceil((end-start)/step)} of them, computed in double and converted. For an int64
     * result the bounds and step are first truncated to integers, as PyTorch does.
     */
    public static RawTensor arange(double start, double end, double step, DType dtype, Device device) {
        // before anything compares the bounds: a NaN bound is not an inconsistency with the step's sign
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new DataException("arange: unsupported range: " + pyFloat(start) + " -> " + pyFloat(end)
                    + "; bounds must be finite");
        }
        if (!Double.isFinite(step)) throw new DataException("arange: step must be finite, got " + pyFloat(step));
        if (dtype == DType.INT64) return arange((long) start, (long) end, (long) step, device);
        if (dtype == DType.BOOL) throw new DTypeException("arange: not implemented for 'Bool'; use int64 or a float dtype");
        checkStep(step != 0, step > 0, step < 0, start <= end, start >= end);
        double sized = Math.ceil((end - start) / step);
        if (!(sized >= 0 && sized <= Long.MAX_VALUE / 8)) {
            throw new DataException("arange: invalid size " + sized + " for range " + start + " -> " + end + " step " + step
                    + ", possible overflow?");
        }
        long size = (long) sized;
        if (Backends.of(device) instanceof DeviceRanges ranges) {
            RawTensor out = RawTensor.empty(new long[] {size}, dtype, device);
            ranges.arange(out.view(), start, step);
            return out;
        }
        return fromHostChunks("arange", size, dtype, device, (from, n) -> {
            if (dtype == DType.FLOAT32) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) (start + (from + i) * step);
                return v;
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = start + (from + i) * step;
            return v;
        });
    }

    /** Elements {@code [from, from + n)} of a 1-D result computed on the host. */
    private interface HostChunk {
        Object make(long from, int n);
    }

    /** Elements per host array when a 1-D result is computed on the host (a Java array's int index bounds one). */
    private static final int HOST_CHUNK = 1 << 24;

    /**
     * A 1-D tensor of {@code n} elements computed on the host: one upload when it fits one host
     * chunk, else written chunk by chunk into a fresh tensor, so its length is not bounded by what
     * a Java array holds (2^31-9 elements).
     */
    private static RawTensor fromHostChunks(String op, long n, DType dtype, Device device, HostChunk chunk) {
        if (n <= HOST_CHUNK) return RawTensor.fromHost(chunk.make(0, (int) n), new long[] {n}, device);
        RawTensor out = RawTensor.empty(op, new long[] {n}, dtype, device);
        for (long from = 0; from < n; from += HOST_CHUNK) {
            int len = (int) Math.min(HOST_CHUNK, n - from);
            RawTensor part = RawTensor.fromHost(chunk.make(from, len), new long[] {len}, device);
            Elementwise.copyInto(op, ShapeOps.slice(out, 0, from, from + len, 1), part);
            part.storage.close();
        }
        return out;
    }

    /** int64 range in exact long arithmetic. */
    public static RawTensor arange(long start, long end, long step, Device device) {
        checkStep(step != 0, step > 0, step < 0, start <= end, start >= end);
        long sign = step > 0 ? 1 : -1;
        long size = Math.addExact(Math.subtractExact(end, start), step - sign) / step; // ceil((end-start)/step)

        if (Backends.of(device) instanceof DeviceRanges ranges) {
            RawTensor out = RawTensor.empty(new long[] {size}, DType.INT64, device);
            ranges.arange(out.view(), start, step);
            return out;
        }
        return fromHostChunks("arange", size, DType.INT64, device, (from, n) -> {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = start + (from + i) * step;
            return v;
        });
    }

    private static void checkStep(boolean nonzero, boolean up, boolean down, boolean startBelowEnd, boolean startAboveEnd) {
        if (!nonzero) throw new DataException("arange: step must be nonzero");
        if (!(up && startBelowEnd || down && startAboveEnd)) {
            throw new DataException("arange: upper bound and larger bound inconsistent with step sign;"
                    + " use a positive step when start <= end and a negative one when start >= end");
        }
    }

    /**
     * {@code steps} evenly spaced values from start to end inclusive, by PyTorch's symmetric formula
     * (the first half counts up from start, the second half down from end, so both ends are exact),
     * computed in the result's arithmetic (float for float32; for int64 the bounds are truncated first).
     */
    public static RawTensor linspace(double start, double end, long steps, DType dtype, Device device) {
        if (steps < 0) throw new DataException("linspace: number of steps must be non-negative, got " + steps);
        if (dtype == DType.BOOL) throw new DTypeException("linspace: not implemented for 'Bool'; use int64 or a float dtype");
        if (steps == 1) return full(new long[] {1}, start, dtype, device); // not end: PyTorch gives [start]
        long n = steps;
        long halfway = steps / 2;
        return fromHostChunks("linspace", n, dtype, device, (from, len) -> switch (dtype) {
            case FLOAT32 -> {
                float s = (float) start, e = (float) end, step = n > 1 ? (e - s) / (n - 1) : 0f;
                float[] v = new float[len];
                for (int j = 0; j < len; j++) {
                    long i = from + j;
                    v[j] = i < halfway ? s + step * i : e - step * (n - 1 - i);
                }
                yield v;
            }
            case FLOAT64 -> {
                double step = n > 1 ? (end - start) / (n - 1) : 0;
                double[] v = new double[len];
                for (int j = 0; j < len; j++) {
                    long i = from + j;
                    v[j] = i < halfway ? start + step * i : end - step * (n - 1 - i);
                }
                yield v;
            }
            default -> {
                long s = (long) start, e = (long) end;
                double step = n > 1 ? (double) (e - s) / (n - 1) : 0;
                long[] v = new long[len];
                for (int j = 0; j < len; j++) {
                    long i = from + j;
                    v[j] = (long) (i < halfway ? s + step * i : e - step * (n - 1 - i));
                }
                yield v;
            }
        });
    }

    // ---- random -------------------------------------------------------------------------------

    /** Uniform on [0, 1). */
    public static RawTensor rand(long[] shape, DType dtype, Device device, Generator gen) {
        return draw("rand", CounterRng.Kind.UNIFORM, shape, dtype, device, gen, 0, 1);
    }

    /** Standard normal. */
    public static RawTensor randn(long[] shape, DType dtype, Device device, Generator gen) {
        return draw("randn", CounterRng.Kind.NORMAL, shape, dtype, device, gen, 0, 1);
    }

    /** Integers uniform on [low, high), int64. */
    public static RawTensor randint(long low, long high, long[] shape, Device device, Generator gen) {
        if (low >= high) {
            throw new DataException("randint: random_ expects 'from' to be less than 'to', but got from=" + low
                    + " >= to=" + high);
        }
        return draw("randint", CounterRng.Kind.INTEGER, shape, DType.INT64, device, gen, low, high);
    }

    private static RawTensor draw(String op, CounterRng.Kind kind, long[] shape, DType dtype, Device device, Generator gen,
                                  double a, double b) {
        checkShape(op, shape);
        if (kind != CounterRng.Kind.INTEGER && !dtype.isFloating()) {
            throw new DTypeException(op + ": expected a floating dtype (float32 or float64), got " + dtype.pyName()
                    + "; use randint for integers");
        }
        RawTensor out = RawTensor.empty(op, shape, dtype, device);
        long n = out.numel();
        if (n > 0) out.backend().random(kind, out.view(), gen.seed(), gen.advance(n), a, b);
        return out;
    }

    // ---- host data ----------------------------------------------------------------------------

    /**
     * A tensor of {@code shape} over a flat row-major host array ({@code float[]}, {@code double[]},
     * {@code long[]}, {@code boolean[]}); the array's length must equal the shape's element count.
     */
    public static RawTensor fromHost(Object flatArray, long[] shape, Device device) {
        checkShape("fromHost", shape);
        if (flatArray == null) throw new DataException("fromHost: the host array is null");
        if (flatArray.getClass().isArray()) {
            long length = java.lang.reflect.Array.getLength(flatArray);
            if (length != Shapes.numel(shape)) {
                throw new ShapeException("fromHost: an array of " + length + " elements cannot fill shape "
                        + Shapes.format(shape) + " (" + Shapes.numel(shape) + " elements)");
            }
        }
        return RawTensor.fromHost(flatArray, shape, device); // reports unsupported element types
    }

    /** A double as Python prints it in PyTorch's messages: nan, inf, -inf, else Java's form. */
    private static String pyFloat(double v) {
        return Double.isNaN(v) ? "nan" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : Double.toString(v);
    }

    private static void checkShape(String op, long[] shape) {
        for (long s : shape) {
            if (s < 0) {
                throw new ShapeException(op + ": Trying to create tensor with negative dimension " + s + ": "
                        + Shapes.format(shape));
            }
        }
        Shapes.checkedNumel(op, shape);
    }
}
