package io.flambeau.backend.cuda;

import io.flambeau.backend.Backend;
import io.flambeau.backend.View;
import io.flambeau.backend.cpu.CpuBackendProvider;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same data seen through the same strides on the CPU backend (the reference) and on a CUDA
 * backend: random values including NaN, infinities, signed zeros and extremes, in dense, permuted,
 * broadcast and stepped layouts. Tests run a primitive on both and compare.
 */
final class TwinViews {
    /** A pair of views holding identical elements. */
    record Twin(View cpu, View gpu) {
        DType dtype() { return cpu.dtype(); }
        long[] shape() { return cpu.shape(); }
    }

    enum Layout { DENSE, PERMUTED, BROADCAST, STEPPED }

    static final Backend CPU = new CpuBackendProvider().backend(Device.CPU);

    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        1.0, -1.0, 0.5, 1e-30, -1e-30, 1e30, -88.5, 88.5, 700, -745, 3.0, -2.0, 1e-45, 2.5, 7.0};

    final Random rnd;
    final CudaBackend gpu;

    TwinViews(CudaBackend gpu, long seed) {
        this.gpu = gpu;
        this.rnd = new Random(seed);
    }

    /** Host data of {@code n} elements; {@code specials} mixes in NaN, infinities, zeros and extremes. */
    Object data(DType t, int n, boolean specials) {
        return switch (t) {
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) value(specials); yield a; }
            case FLOAT64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = value(specials); yield a; }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = specials && rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                            : rnd.nextInt(21) - 10;
                }
                yield a;
            }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = rnd.nextBoolean(); yield a; }
        };
    }

    private double value(boolean specials) {
        if (specials && rnd.nextInt(3) == 0) return SPECIAL[rnd.nextInt(SPECIAL.length)];
        return rnd.nextGaussian() * 3;
    }

    /** A twin over the given host data, as a dense view of the given shape. */
    Twin dense(Object host, long[] shape) {
        return new Twin(CudaBackend.dense(CPU.upload(host), shape), CudaBackend.dense(gpu.upload(host), shape));
    }

    /** Random data of dtype {@code t} seen as {@code shape} through the given layout. */
    Twin random(DType t, long[] shape, Layout layout, boolean specials) {
        int rank = shape.length;
        long[] baseShape = shape.clone();
        long offset = 0;
        long[] strides;
        switch (layout) {
            case DENSE -> strides = contiguous(shape);
            case PERMUTED -> { // stored with the dims reversed, viewed back in order
                long[] rev = new long[rank];
                for (int d = 0; d < rank; d++) rev[d] = shape[rank - 1 - d];
                long[] rs = contiguous(rev);
                strides = new long[rank];
                for (int d = 0; d < rank; d++) strides[d] = rs[rank - 1 - d];
            }
            case BROADCAST -> { // every other dim repeats one element
                for (int d = 0; d < rank; d += 2) baseShape[d] = 1;
                strides = contiguous(baseShape);
                for (int d = 0; d < rank; d += 2) strides[d] = 0;
            }
            default -> { // every second element of a larger array, starting at 1
                for (int d = 0; d < rank; d++) baseShape[d] = shape[d] * 2;
                strides = contiguous(baseShape);
                for (int d = 0; d < rank; d++) strides[d] *= 2;
                offset = 1;
            }
        }
        long n = 1;
        for (long s : baseShape) n *= s;
        Object host = data(t, (int) (n + offset), specials);
        return new Twin(new View(CPU.upload(host), offset, shape, strides),
                new View(gpu.upload(host), offset, shape, strides));
    }

    /** Fresh dense outputs of the same shape on both sides. */
    Twin empty(DType t, long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return new Twin(CudaBackend.dense(CPU.allocate(t, n), shape), CudaBackend.dense(gpu.allocate(t, n), shape));
    }

    static long[] contiguous(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    long[] randomShape(int rank) {
        long[] s = new long[rank];
        for (int d = 0; d < rank; d++) s[d] = 1 + rnd.nextInt(4);
        return s;
    }

    /** Asserts the GPU result equals the CPU one: bit-exact when ulps is 0, else within ulps (NaN matches NaN). */
    void assertSame(String what, Twin t, int ulps) {
        assertClose(what, t, ulps, 0);
    }

    /**
     * For sums of many terms (matmul), where cancellation makes small results relatively inexact:
     * every element within {@code rel} times the largest magnitude of the CPU result.
     */
    void assertNear(String what, Twin t, double rel) {
        double[] c = doubles(CPU.download(t.cpu)), g = doubles(gpu.download(t.gpu));
        double scale = 0;
        for (double v : c) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < c.length; i++) {
            if (Double.compare(c[i], g[i]) == 0 || Math.abs(c[i] - g[i]) <= rel * scale) continue;
            fail(what + ": element " + i + " is " + g[i] + " on " + gpu.device() + ", " + c[i] + " on the cpu (scale " + scale + ")");
        }
    }

    static double[] doubles(Object a) {
        return switch (a) {
            case double[] d -> d;
            case float[] f -> { double[] d = new double[f.length]; for (int i = 0; i < f.length; i++) d[i] = f[i]; yield d; }
            case long[] l -> { double[] d = new double[l.length]; for (int i = 0; i < l.length; i++) d[i] = l[i]; yield d; }
            default -> throw new IllegalArgumentException();
        };
    }

    /** As {@link #assertSame}, also accepting a relative difference up to {@code rel}. */
    void assertClose(String what, Twin t, int ulps, double rel) {
        Object c = CPU.download(t.cpu), g = gpu.download(t.gpu);
        switch (c) {
            case float[] a -> {
                float[] b = (float[]) g;
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])) continue;
                    if (!Float.isNaN(a[i]) && Math.abs(a[i] - b[i]) <= Math.max(ulps * Math.ulp(a[i]), rel * Math.abs(a[i]))) continue;
                    fail(what + ": element " + i + " is " + b[i] + " on " + gpu.device() + ", " + a[i] + " on the cpu");
                }
            }
            case double[] a -> {
                double[] b = (double[]) g;
                for (int i = 0; i < a.length; i++) {
                    if (Double.doubleToLongBits(a[i]) == Double.doubleToLongBits(b[i])) continue;
                    if (!Double.isNaN(a[i]) && Math.abs(a[i] - b[i]) <= Math.max(ulps * Math.ulp(a[i]), rel * Math.abs(a[i]))) continue;
                    fail(what + ": element " + i + " is " + b[i] + " on " + gpu.device() + ", " + a[i] + " on the cpu");
                }
            }
            case long[] a -> {
                long[] b = (long[]) g;
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], what + ": element " + i);
            }
            case boolean[] a -> {
                boolean[] b = (boolean[]) g;
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], what + ": element " + i);
            }
            default -> fail("unexpected host type " + c.getClass());
        }
    }
}
