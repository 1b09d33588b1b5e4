package io.flambeau;

import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.ops.Int64Conversion;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversion between nested Java data (primitive arrays of any depth, nested {@code List}s of
 * numbers or booleans, boxed scalars) and flat row-major arrays with a shape.
 */
final class HostArrays {
    private HostArrays() {}

    /** Flat contents ({@code double[]} for floats, {@code long[]} for ints, {@code boolean[]}), shape and inferred dtype. */
    record Flat(Object values, long[] shape, DType dtype) {}

    static Flat flatten(Object data) {
        if (data == null) throw new DataException("tensor: data is null");
        // a flat primitive array (the common large case) is copied in one pass, not element by element
        switch (data) {
            case float[] a -> { return new Flat(a.clone(), new long[] {a.length}, DType.FLOAT32); }
            case double[] a -> { return new Flat(a.clone(), new long[] {a.length}, DType.FLOAT64); }
            case long[] a -> { return new Flat(a.clone(), new long[] {a.length}, DType.INT64); }
            case boolean[] a -> { return new Flat(a.clone(), new long[] {a.length}, DType.BOOL); }
            default -> { }
        }
        List<Long> shape = new ArrayList<>();
        shapeOf(data, shape);
        long[] sh = shape.stream().mapToLong(Long::longValue).toArray();
        DType dtype = inferDType(data);
        long total = io.flambeau.ops.Shapes.numel(sh);
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataException("tensor: nested arrays of shape " + shape + " hold " + total + " elements, more than"
                    + " one host array takes (2^31-9); make the tensor with Torch.empty/full and copy_ the parts into slices");
        }
        int n = (int) total;
        Object flat = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        int[] pos = {0};
        fill(data, sh, 0, flat, pos, new ArrayList<>());
        return new Flat(flat, sh, dtype);
    }

    /**
     * Refuses boxed numbers that int64 cannot hold, for data converted to int64 ({@code
     * tensor(list, INT64)}, {@code longTensor}): Python scalars in PyTorch. Primitive arrays are
     * converted as a tensor cast is (NumPy arrays in PyTorch), unchecked.
     */
    static void checkInt64(String op, Object data) {
        if (data instanceof List<?> l) {
            for (Object o : l) checkInt64(op, o);
        } else if (data != null && data.getClass().isArray() && !data.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(data); i++) checkInt64(op, Array.get(data, i));
        } else if (data instanceof Number n) {
            Int64Conversion.toInt64(op, n);
        }
    }

    private static void shapeOf(Object data, List<Long> shape) {
        if (data instanceof List<?> l) {
            shape.add((long) l.size());
            if (!l.isEmpty()) shapeOf(l.get(0), shape);
        } else if (data.getClass().isArray()) {
            int len = Array.getLength(data);
            shape.add((long) len);
            if (len > 0 && data.getClass().getComponentType().isArray()) shapeOf(Array.get(data, 0), shape);
            else if (len > 0 && !data.getClass().getComponentType().isPrimitive()) shapeOf(Array.get(data, 0), shape);
        }
    }

    private static DType inferDType(Object data) {
        Class<?> c = data.getClass();
        while (c.isArray()) c = c.getComponentType();
        if (c == float.class) return DType.FLOAT32;
        if (c == double.class) return DType.FLOAT64;
        if (c == long.class || c == int.class || c == short.class || c == byte.class) return DType.INT64;
        if (c == boolean.class) return DType.BOOL;
        if (c == char.class) throw charData(data);
        // boxed values inside lists or Object arrays: Python-like rules
        boolean[] seen = new boolean[3]; // bool, int, float
        scan(data, seen);
        if (seen[2]) return DType.FLOAT32;
        if (seen[1]) return DType.INT64;
        if (seen[0]) return DType.BOOL;
        return DType.FLOAT32; // empty lists, as torch.tensor([])
    }

    private static void scan(Object data, boolean[] seen) {
        if (data instanceof List<?> l) {
            for (Object o : l) scan(o, seen);
        } else if (data.getClass().isArray() && !data.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(data); i++) scan(Array.get(data, i), seen);
        } else if (data.getClass().isArray()) {
            Class<?> c = data.getClass().getComponentType();
            if (c == char.class) throw charData(data);
            if (c == float.class || c == double.class) seen[2] = true;
            else if (c == boolean.class) seen[0] = true;
            else seen[1] = true;
        } else if (data instanceof Boolean) {
            seen[0] = true;
        } else if (data instanceof Float || data instanceof Double) {
            seen[2] = true;
        } else if (data instanceof Number) {
            seen[1] = true;
        } else {
            throw new DataException("tensor: cannot convert an element of type " + data.getClass().getSimpleName()
                    + "; expected numbers, booleans, primitive arrays or lists of them");
        }
    }

    private static DataException charData(Object data) {
        return new DataException("tensor: cannot convert char data (" + data.getClass().getSimpleName() + "): a Java"
                + " char is a text character, not a number; convert it first (e.g. String.chars().toArray() for int64)");
    }

    private static void fill(Object data, long[] shape, int depth, Object flat, int[] pos, List<Integer> path) {
        if (depth == shape.length) {
            if (data instanceof List<?> || data.getClass().isArray()) {
                throw ragged(path, shape, depth);
            }
            put(flat, pos[0]++, data);
            return;
        }
        int len;
        if (data instanceof List<?> l) len = l.size();
        else if (data.getClass().isArray()) len = Array.getLength(data);
        else throw ragged(path, shape, depth);
        if (len != shape[depth]) throw ragged(path, shape, depth);
        boolean primitiveLeaf = data.getClass().isArray() && data.getClass().getComponentType().isPrimitive();
        if (primitiveLeaf && depth != shape.length - 1) throw ragged(path, shape, depth);
        for (int i = 0; i < len; i++) {
            path.add(i);
            Object e = data instanceof List<?> l ? l.get(i) : Array.get(data, i);
            if (e == null) throw new DataException("tensor: null element at " + path);
            fill(e, shape, depth + 1, flat, pos, path);
            path.remove(path.size() - 1);
        }
    }

    private static DataException ragged(List<Integer> path, long[] shape, int depth) {
        return new DataException("tensor: ragged nested data: the element at " + path + " does not have the length "
                + (depth < shape.length ? shape[depth] : 0) + " that dim " + depth + " has elsewhere (expected shape "
                + java.util.Arrays.toString(shape) + ")");
    }

    private static void put(Object flat, int i, Object v) {
        switch (flat) {
            case float[] f -> f[i] = ((Double) toDouble(v)).floatValue();
            case double[] d -> d[i] = (Double) toDouble(v);
            case long[] l -> l[i] = v instanceof Boolean b ? (b ? 1 : 0) : Int64Conversion.toInt64("tensor", (Number) v);
            case boolean[] b -> b[i] = (Boolean) v;
            default -> throw new IllegalStateException();
        }
    }

    private static Object toDouble(Object v) {
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        return ((Number) v).doubleValue();
    }

    /** Nested lists (PyTorch's {@code tolist()}): Double for floats, Long for int64, Boolean for bool. */
    static Object toList(Object flat, long[] shape) {
        int[] pos = {0};
        return toList(flat, shape, 0, pos);
    }

    private static Object toList(Object flat, long[] shape, int depth, int[] pos) {
        if (depth == shape.length) {
            int i = pos[0]++;
            return switch (flat) {
                case float[] f -> (double) f[i];
                case double[] d -> d[i];
                case long[] l -> l[i];
                case boolean[] b -> b[i];
                default -> throw new IllegalStateException();
            };
        }
        List<Object> out = new ArrayList<>((int) shape[depth]);
        for (long i = 0; i < shape[depth]; i++) out.add(toList(flat, shape, depth + 1, pos));
        return out;
    }

    /** Nested primitive array of the flat array's element type ({@code float[][]} for a 2-D float32 tensor). */
    static Object toNested(Object flat, long[] shape) {
        if (shape.length == 0) return flat;
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) shape[i];
        Object out = Array.newInstance(flat.getClass().getComponentType(), dims);
        int[] pos = {0};
        fillNested(out, flat, dims, 0, pos);
        return out;
    }

    private static void fillNested(Object out, Object flat, int[] dims, int depth, int[] pos) {
        if (depth == dims.length - 1) {
            System.arraycopy(flat, pos[0], out, 0, dims[depth]);
            pos[0] += dims[depth];
            return;
        }
        for (int i = 0; i < dims[depth]; i++) fillNested(Array.get(out, i), flat, dims, depth + 1, pos);
    }
}
