package io.flambeau.core;

/**
 * Turns one tensor element into text of a common width, choosing the notation from a survey of
 * the elements that will be shown: Flambeau's port of PyTorch's {@code _Formatter}.
 *
 * <p>Floating tensors use one of three notations, decided over the finite nonzero elements only:
 * <ul>
 *   <li>integer mode, when every one is integral: {@code 3.}, {@code -0.} ({@code '{:.0f}'} plus a dot,
 *       which marks the tensor as floating);</li>
 *   <li>scientific, when max/min &gt; 1000 or max &gt; 1e8, or (outside integer mode) min &lt; 1e-4,
 *       over the absolute values: {@code 1.0000e-05};</li>
 *   <li>fixed otherwise: {@code 0.1000}.</li>
 * </ul>
 * nan and inf print as {@code nan}, {@code inf}, {@code -inf} and do not count towards the width.
 * int64 and bool elements print as Python prints them ({@code -20}, {@code True}). Every element
 * is right-aligned to the widest surveyed one.
 */
final class ElementFormatter {
    /** Digits after the point, PyTorch's default print precision. */
    static final int PRECISION = 4;

    private final DType dtype;
    private final double[] floats; // floating dtypes
    private final long[] integers; // int64 and bool (0/1)
    private boolean intMode = true;
    private boolean sciMode = false;
    private int maxWidth = 1;

    /**
     * @param floats   the elements of a floating tensor, else null
     * @param integers the elements of an int64 or bool tensor, else null
     * @param surveyed flat indices of the elements that will be printed; the notation and width
     *                 depend on these only (PyTorch surveys the summarised tensor)
     */
    ElementFormatter(DType dtype, double[] floats, long[] integers, int[] surveyed) {
        this.dtype = dtype;
        this.floats = floats;
        this.integers = integers;
        if (dtype.isFloating()) {
            surveyFloats(surveyed);
        } else {
            for (int index : surveyed) maxWidth = Math.max(maxWidth, integerText(index).length());
        }
    }

    /** Characters every formatted element takes. */
    int width() { return maxWidth; }

    /** The element at {@code flatIndex}, padded on the left to {@link #width()}. */
    String format(int flatIndex) {
        String text;
        if (!dtype.isFloating()) {
            text = integerText(flatIndex);
        } else {
            double value = floats[flatIndex];
            if (sciMode) {
                text = PythonFloatFormat.scientific(value, PRECISION);
            } else if (intMode) {
                text = PythonFloatFormat.fixed(value, 0);
                if (Double.isFinite(value)) text += ".";
            } else {
                text = PythonFloatFormat.fixed(value, PRECISION);
            }
        }
        return text.length() >= maxWidth ? text : " ".repeat(maxWidth - text.length()) + text;
    }

    private void surveyFloats(int[] surveyed) {
        int count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int index : surveyed) {
            double value = floats[index];
            if (!Double.isFinite(value) || value == 0) continue;
            count++;
            min = Math.min(min, Math.abs(value));
            max = Math.max(max, Math.abs(value));
            if (value != Math.ceil(value)) intMode = false;
        }
        if (count == 0) return; // only zeros and non-finite values: integer mode, width 1

        if (intMode) {
            sciMode = max / min > 1000.0 || max > 1.0e8;
        } else {
            sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
        }
        for (int index : surveyed) {
            double value = floats[index];
            if (!Double.isFinite(value) || value == 0) continue;
            int length;
            if (sciMode) {
                length = PythonFloatFormat.scientific(value, PRECISION).length();
            } else if (intMode) {
                length = PythonFloatFormat.fixed(value, 0).length() + 1; // the trailing dot
            } else {
                length = PythonFloatFormat.fixed(value, PRECISION).length();
            }
            maxWidth = Math.max(maxWidth, length);
        }
    }

    private String integerText(int index) {
        long value = integers[index];
        if (dtype == DType.BOOL) return value != 0 ? "True" : "False";
        return Long.toString(value);
    }
}
