package io.flambeau.testutil;

import io.flambeau.core.DType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tensor recorded in a golden file: {@code {"shape": [2, 3], "dtype": "float32", "data": [...]}},
 * with {@code data} flat in row-major order.
 *
 * <p>{@code values} always holds the elements as doubles: floats as recorded (the strings "nan",
 * "inf" and "-inf" stand for the non-finite ones), bools as 1/0, int64 converted (exact up to
 * 2^53). {@code longValues} holds int64 elements exactly and is null for other dtypes.
 *
 * @param shape      dimension sizes; empty for a 0-dim tensor
 * @param dtype      element type
 * @param values     elements as doubles, row-major
 * @param longValues int64 elements, row-major; null unless {@code dtype} is INT64
 */
public record GoldenTensor(long[] shape, DType dtype, double[] values, long[] longValues) {

    public GoldenTensor {
        if (values.length != numel(shape)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + numel(shape)
                    + " elements but " + values.length + " values were given");
        }
        if ((dtype == DType.INT64) != (longValues != null)) {
            throw new IllegalArgumentException("longValues must be given exactly for int64, not for " + dtype);
        }
    }

    /** Parses the JSON form of a tensor (as returned by {@link Json#parse}). */
    public static GoldenTensor of(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a golden tensor is a JSON object, got " + json);
        }
        long[] shape = ((List<?>) require(map, "shape")).stream()
                .mapToLong(size -> ((Long) size).longValue())
                .toArray();
        DType dtype = DType.parse((String) require(map, "dtype"));
        List<?> data = (List<?>) require(map, "data");
        double[] values = new double[data.size()];
        long[] longValues = dtype == DType.INT64 ? new long[data.size()] : null;
        for (int i = 0; i < values.length; i++) {
            Object element = data.get(i);
            switch (dtype) {
                case INT64 -> {
                    longValues[i] = (Long) element;
                    values[i] = longValues[i];
                }
                case BOOL -> values[i] = ((Boolean) element) ? 1 : 0;
                case FLOAT32, FLOAT64 -> values[i] = floatElement(element);
            }
        }
        return new GoldenTensor(shape, dtype, values, longValues);
    }

    /** Number of elements: the product of the shape (1 for a 0-dim tensor). */
    public long numel() {
        return numel(shape);
    }

    private static long numel(long[] shape) {
        long numel = 1;
        for (long size : shape) numel *= size;
        return numel;
    }

    private static double floatElement(Object element) {
        return switch (element) {
            case Number number -> number.doubleValue();
            case String s when s.equals("nan") -> Double.NaN;
            case String s when s.equals("inf") -> Double.POSITIVE_INFINITY;
            case String s when s.equals("-inf") -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a float element: " + element);
        };
    }

    private static Object require(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) throw new IllegalArgumentException("golden tensor lacks \"" + key + "\": " + map);
        return value;
    }

    // Records compare arrays by identity; golden tensors compare by content.

    @Override
    public boolean equals(Object other) {
        return other instanceof GoldenTensor that
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(values, that.values)
                && Arrays.equals(longValues, that.longValues);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        String data = longValues != null ? Arrays.toString(longValues) : Arrays.toString(values);
        if (data.length() > 200) data = data.substring(0, 200) + "...]";
        return "GoldenTensor[shape=" + Arrays.toString(shape) + ", dtype=" + dtype.pyName() + ", data=" + data + "]";
    }
}
