package io.flambeau.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders a tensor exactly as PyTorch 1.13's {@code str(tensor)} does with default print options
 * (precision 4, threshold 1000, edge items 3, line width 80).
 *
 * <ul>
 *   <li>Elements share one notation and width ({@link ElementFormatter}): {@code tensor([ 0.1000, -2.2500])},
 *       {@code tensor([1., 2.])}, {@code tensor([1.0000e-05, 1.0000e+05])}, {@code tensor([ True, False])}.</li>
 *   <li>Above 1000 elements every dimension longer than 6 shows its first and last 3 entries around
 *       {@code ...}; the notation is then chosen from the shown elements only.</li>
 *   <li>Rows wrap at 80 columns; nested dimensions indent under their bracket, with one blank line
 *       between 3-d blocks, two between 4-d blocks, and so on.</li>
 *   <li>0-dim tensors print bare ({@code tensor(2.5000)}); empty ones print {@code tensor([])}, adding
 *       {@code size=(2, 0)} unless they are 1-d.</li>
 * </ul>
 *
 * <p>Suffixes ({@code device='cuda:0'}, {@code dtype=torch.float64}, {@code requires_grad=True},
 * {@code grad_fn=<AddBackward0>}) are the caller's to choose, in PyTorch's order: device, dtype, then
 * grad_fn or requires_grad. This class only adds {@code size=} for empty tensors, placing it after any
 * {@code device=} suffix as PyTorch does. Whether {@code dtype=} belongs is
 * {@link #needsDtypeSuffix(DType, boolean)}.
 */
public final class TensorFormatter {
    private static final String PREFIX = "tensor(";
    private static final int LINE_WIDTH = 80;

    private TensorFormatter() {}

    /**
     * Formats a floating or bool tensor given all its elements.
     *
     * @param shape    dimension sizes; empty for a 0-dim tensor
     * @param dtype    FLOAT32 (values are rounded to float32 first, as the tensor would hold them),
     *                 FLOAT64, BOOL (values 0 or 1), or INT64 when every value is an integer of
     *                 magnitude at most 2^53 (larger ones need {@link #format(long[], DType, long[], List)})
     * @param values   elements in row-major order
     * @param suffixes preformatted suffixes, e.g. {@code dtype=torch.float64}, {@code requires_grad=True}
     */
    public static String format(long[] shape, DType dtype, double[] values, List<String> suffixes) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(values, "values");
        checkedNumel(shape, values.length, "");
        return switch (dtype) {
            case FLOAT32, FLOAT64 -> render(shape, dtype, shown(shape, asDtype(dtype, values)), null, suffixes);
            case BOOL -> render(shape, dtype, null, shown(shape, boolsAsLongs(values)), suffixes);
            case INT64 -> render(shape, dtype, null, shown(shape, integralAsLongs(values)), suffixes);
        };
    }

    /**
     * Formats an int64 tensor whose elements are given exactly.
     *
     * @param intValues elements in row-major order
     * @see #format(long[], DType, double[], List)
     */
    public static String format(long[] shape, DType dtype, long[] intValues, List<String> suffixes) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(intValues, "intValues");
        requireInt64(dtype);
        checkedNumel(shape, intValues.length, "");
        return render(shape, dtype, null, shown(shape, intValues), suffixes);
    }

    /**
     * Formats a tensor of any size from the elements it shows only: for a tensor of more than
     * {@value PrintedElements#THRESHOLD} elements, the first and last {@value PrintedElements#EDGE_ITEMS}
     * entries of every long dimension (see {@link PrintedElements}), else all of them. The text is the
     * same as {@link #format(long[], DType, double[], List)} would give with every element.
     *
     * @param shape the tensor's own shape
     * @param shown the shown elements in row-major order, laid out in {@link PrintedElements#shownShape(long[])};
     *              same dtype rules as {@link #format(long[], DType, double[], List)}
     */
    public static String formatShown(long[] shape, DType dtype, double[] shown, List<String> suffixes) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shown, "shown");
        checkedNumel(shape, 0, null);
        checkedNumel(PrintedElements.shownShape(shape), shown.length, "shown ");
        return switch (dtype) {
            case FLOAT32, FLOAT64 -> render(shape, dtype, asDtype(dtype, shown), null, suffixes);
            case BOOL -> render(shape, dtype, null, boolsAsLongs(shown), suffixes);
            case INT64 -> render(shape, dtype, null, integralAsLongs(shown), suffixes);
        };
    }

    /**
     * Formats an int64 tensor of any size from the elements it shows, given exactly.
     *
     * @see #formatShown(long[], DType, double[], List)
     */
    public static String formatShown(long[] shape, DType dtype, long[] shown, List<String> suffixes) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shown, "shown");
        requireInt64(dtype);
        checkedNumel(shape, 0, null);
        checkedNumel(PrintedElements.shownShape(shape), shown.length, "shown ");
        return render(shape, dtype, null, shown, suffixes);
    }

    private static void requireInt64(DType dtype) {
        if (dtype != DType.INT64) {
            throw new DTypeException("long[] elements can only be formatted as torch.int64, not " + dtype);
        }
    }

    /** The elements as the tensor holds them: float32 values rounded to float32. */
    private static double[] asDtype(DType dtype, double[] values) {
        if (dtype != DType.FLOAT32) return values;
        double[] rounded = new double[values.length];
        for (int i = 0; i < values.length; i++) rounded[i] = (float) values[i];
        return rounded;
    }

    /** The shown elements of a tensor given whole. */
    private static double[] shown(long[] shape, double[] all) {
        if (!PrintedElements.summarizes(shape)) return all;
        int[] offsets = PrintedElements.shownOffsets(shape);
        double[] out = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) out[i] = all[offsets[i]];
        return out;
    }

    private static long[] shown(long[] shape, long[] all) {
        if (!PrintedElements.summarizes(shape)) return all;
        int[] offsets = PrintedElements.shownOffsets(shape);
        long[] out = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) out[i] = all[offsets[i]];
        return out;
    }

    /**
     * Whether PyTorch appends {@code dtype=torch.<name>} to {@code str(tensor)}: a non-empty tensor
     * shows it unless the dtype is float32 (the default), int64 or bool, whose elements already say
     * what they are; an empty tensor has no elements to tell, so it shows every dtype but float32.
     */
    public static boolean needsDtypeSuffix(DType dtype, boolean empty) {
        if (empty) return dtype != DType.FLOAT32;
        return dtype != DType.FLOAT32 && dtype != DType.INT64 && dtype != DType.BOOL;
    }

    /** The dtype suffix as PyTorch spells it, e.g. {@code dtype=torch.float64}. */
    public static String dtypeSuffix(DType dtype) {
        return "dtype=" + dtype;
    }

    /** @param floats or {@code integers}: the shown elements (see {@link PrintedElements}) */
    private static String render(long[] shape, DType dtype, double[] floats, long[] integers,
                                 List<String> suffixes) {
        Objects.requireNonNull(suffixes, "suffixes");
        int numel = floats != null ? floats.length : integers.length;
        List<String> allSuffixes = new ArrayList<>(suffixes);
        String body;
        if (shape.length == 0) {
            body = new ElementFormatter(dtype, floats, integers, new int[] {0}).format(0);
        } else if (numel == 0) {
            body = "[]";
            if (shape.length != 1) allSuffixes.add(leadingDeviceCount(suffixes), "size=" + pythonTuple(shape));
        } else {
            body = new TensorLayout(shape, dtype, floats, integers).render(PREFIX.length());
        }
        return withSuffixes(PREFIX + body, allSuffixes, PREFIX.length());
    }

    /**
     * Appends {@code , suffix} for each suffix, starting a new line indented by {@code indent}
     * when the current line would pass the line width. PyTorch counts the current line as its length
     * plus 2, which decides borderline cases, so that count is kept.
     */
    private static String withSuffixes(String text, List<String> suffixes, int indent) {
        StringBuilder out = new StringBuilder(text);
        int lastLineLength = text.length() - text.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLength = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /** How many suffixes at the front name the device; PyTorch prints size= right after them. */
    private static int leadingDeviceCount(List<String> suffixes) {
        int count = 0;
        while (count < suffixes.size() && suffixes.get(count).startsWith("device=")) count++;
        return count;
    }

    /** Python's {@code str(tuple(shape))}: {@code (2, 0)}, {@code (0,)}. */
    private static String pythonTuple(long[] shape) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) out.append(", ");
            out.append(shape[i]);
        }
        if (shape.length == 1) out.append(',');
        return out.append(')').toString();
    }

    /**
     * The element count, after checking the shape is valid and, unless {@code what} is null, that it
     * matches the {@code dataLength} values given ({@code what}: how the message names them).
     */
    private static long checkedNumel(long[] shape, int dataLength, String what) {
        Objects.requireNonNull(shape, "shape");
        long numel = 1;
        for (long size : shape) {
            if (size < 0) throw new ShapeException("negative dimension in shape " + pythonTuple(shape));
            try {
                numel = Math.multiplyExact(numel, size);
            } catch (ArithmeticException overflow) {
                throw new ShapeException("shape " + pythonTuple(shape) + " has too many elements");
            }
        }
        if (what != null && numel != dataLength) {
            throw new DataException("shape " + pythonTuple(shape) + " holds " + numel
                    + " " + what + "elements but " + dataLength + " values were given");
        }
        return numel;
    }

    private static long[] boolsAsLongs(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                throw new DataException("bool element " + i + " is " + values[i] + ", expected 0 or 1");
            }
            out[i] = (long) values[i];
        }
        return out;
    }

    /** Largest magnitude below which every integer is a double: beyond it, values may have been rounded. */
    private static final double EXACT_INTEGER_LIMIT = 0x1p53;

    private static long[] integralAsLongs(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            if (value != Math.rint(value) || Math.abs(value) > EXACT_INTEGER_LIMIT) {
                throw new DataException("int64 element " + i + " is " + value + ", not an integer a double"
                        + " holds exactly; pass int64 data as long[]");
            }
            out[i] = (long) value;
        }
        return out;
    }
}
