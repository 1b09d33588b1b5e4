package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.FlambeauException;

import java.util.Arrays;

/**
 * What one run saw of a variable after a step: its metadata and values, or the exception the step
 * threw. Two runs of a program on different backends must see the same observations.
 *
 * @param what     the variable (or "grad of tN"), for messages
 * @param shape    null for an error
 * @param strides  layout is decided above the backends, so it must match too
 * @param floats   float values widened to double (exact: float32 → double is lossless), else null
 * @param longs    int64 values, and bools as 0/1, else null
 * @param error    "ExceptionClass: message" when the step threw
 * @param internal the exception was not a {@link FlambeauException}: a crash, never a valid outcome
 */
record Observation(String what, long[] shape, DType dtype, Device device, long[] strides, double[] floats, long[] longs,
        String error, boolean internal) {
    /** Relative tolerance for results of rounding-dependent operations (transcendentals, matmul, reductions). */
    static final double RTOL = 1e-5;

    static Observation of(String what, Tensor t) {
        DType dtype = t.dtype();
        double[] floats = dtype.isFloating() ? t.toDoubleArray() : null;
        long[] longs = dtype.isFloating() ? null : t.toLongArray();
        return new Observation(what, t.shape().toArray(), dtype, t.device(), t.stride(), floats, longs, null, false);
    }

    static Observation of(String what, RuntimeException e) {
        return new Observation(what, null, null, null, null, null, null, e.getClass().getSimpleName() + ": " + e.getMessage(),
                !(e instanceof FlambeauException));
    }

    /** No gradient was accumulated into a leaf. */
    static Observation noGrad(String what) {
        return new Observation(what, null, null, null, null, null, null, "no gradient", false);
    }

    /**
     * How {@code other} (the run on {@code device}) differs from this CPU observation, or null when
     * it agrees: same error, or same shape, dtype, strides, and values equal ({@code exact}) or
     * within {@link #RTOL}; NaN equals NaN. A rounded result is compared relative to itself and,
     * since cancellation leaves an absolute error, to the largest of 1, its own largest value and
     * {@code magnitude}, the largest value it was computed from.
     */
    String differenceFrom(Observation other, Device device, boolean exact, double magnitude) {
        if (error != null || other.error != null) {
            return java.util.Objects.equals(error, other.error) ? null
                    : "the CPU gives " + (error == null ? "a tensor" : "<" + error + ">") + ", " + device + " gives "
                            + (other.error == null ? "a tensor" : "<" + other.error + ">");
        }
        if (!device.equals(other.device)) return "the result is on " + other.device + ", not on " + device;
        if (!Arrays.equals(shape, other.shape)) return "shape " + Arrays.toString(other.shape) + ", the CPU gives " + Arrays.toString(shape);
        if (dtype != other.dtype) return "dtype " + other.dtype + ", the CPU gives " + dtype;
        if (!Arrays.equals(strides, other.strides)) {
            return "strides " + Arrays.toString(other.strides) + ", the CPU gives " + Arrays.toString(strides);
        }
        if (longs != null) {
            for (int i = 0; i < longs.length; i++) {
                if (longs[i] != other.longs[i]) return "element " + i + " is " + other.longs[i] + ", the CPU gives " + longs[i];
            }
            return null;
        }
        double scale = Math.max(1, magnitude(floats, magnitude));
        for (int i = 0; i < floats.length; i++) {
            double e = floats[i], a = other.floats[i];
            if (e == a || (Double.isNaN(e) && Double.isNaN(a))) continue;
            double tol = RTOL * (Math.abs(e) + scale);
            if (exact || !(Math.abs(a - e) <= tol)) {
                return "element " + i + " is " + a + ", the CPU gives " + e + (exact ? " (an exact operation)" : " (tolerance " + tol + ")");
            }
        }
        return null;
    }

    /** The largest finite absolute value of {@code values}, or {@code atLeast} if larger. */
    static double magnitude(double[] values, double atLeast) {
        double m = atLeast;
        for (double v : values) if (Double.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** The values, short, for the report. */
    String describe() {
        if (error != null) return "<" + error + ">";
        String values = floats != null ? Arrays.toString(floats) : Arrays.toString(longs);
        if (values.length() > 400) values = values.substring(0, 400) + "...";
        return dtype.pyName() + " " + Arrays.toString(shape) + " " + values;
    }
}
