package io.flambeau.ops;

import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The checks a Java value passes before it becomes an int64 element: PyTorch refuses a value that
 * int64 cannot hold ({@code value cannot be converted to type int64_t without overflow}) wherever a
 * scalar meets an int64 tensor — creation from values, {@code fill_}, {@code t[i] = v} — instead of
 * wrapping or saturating it. NaN and ±inf count as out of range.
 *
 * <p>A tensor cast ({@code .to(INT64)}, {@code .long()}) is not checked, as in PyTorch: there NaN
 * becomes 0 and out-of-range values saturate to the nearest int64 (Java's and PTX's {@code cvt.rzi}
 * rule, PyTorch's on CUDA; PyTorch on an x86 CPU gives {@code Long.MIN_VALUE} for all of them).
 *
 * <p>Scalars reach the kernels as doubles, which hold every integer up to 2^53 exactly; an int64
 * scalar beyond that is refused too, rather than rounded (a tensor operand carries any int64).
 */
public final class Int64Conversion {
    /** 2^63: the first double above every int64. */
    private static final double TWO_63 = 0x1p63;
    /** 2^53: the last integer from which every smaller one is a double. */
    private static final double TWO_53 = 0x1p53;

    private Int64Conversion() {}

    /** Refuses {@code value} when {@code target} is int64 and it does not fit (NaN, ±inf, |v| ≥ 2^63). */
    public static void check(String op, double value, DType target) {
        if (target == DType.INT64 && !fits(value)) throw overflow(op, Double.toString(value).replace("NaN", "nan"));
    }

    /**
     * A Java number as the double scalar the kernels take, for an element of {@code target}: for
     * int64, out-of-range values are refused (any {@link Number}: boxed floats, {@link BigInteger},
     * {@link BigDecimal}), and so are integers beyond ±2^53, which a double would round.
     */
    public static double scalar(String op, Number value, DType target) {
        if (target != DType.INT64) return value.doubleValue();
        long exact = toInt64(op, value);
        if (Math.abs((double) exact) > TWO_53) {
            throw new DTypeException(op + ": the int64 value " + exact + " is beyond ±2^53, which the scalar path"
                    + " carries exactly; pass it in a tensor instead (Torch.tensor(new long[] {" + exact + "}))");
        }
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger ? exact : value.doubleValue();
    }

    /** {@code value} as an int64 element, truncated toward zero as PyTorch does; refused when out of range. */
    public static long toInt64(String op, Number value) {
        return switch (value) {
            case Long l -> l;
            case Integer i -> i;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger big -> {
                if (big.bitLength() > 63) throw overflow(op, big.toString());
                yield big.longValue();
            }
            case BigDecimal dec -> {
                BigInteger whole = dec.toBigInteger();
                if (whole.bitLength() > 63) throw overflow(op, dec.toString());
                yield whole.longValue();
            }
            default -> {
                double d = value.doubleValue();
                if (!fits(d)) throw overflow(op, Double.toString(d).replace("NaN", "nan"));
                yield (long) d;
            }
        };
    }

    /**
     * Refuses an integer scalar that reached the scalar path as a double beyond ±2^53: the int64
     * it came from was already rounded, so the result would be silently off.
     */
    public static void checkExactScalar(String op, double s) {
        if (Math.abs(s) > TWO_53) {
            throw new DTypeException(op + ": the int64 scalar " + (long) s + " is beyond ±2^53, which the scalar path"
                    + " carries exactly; pass it in a tensor instead (Torch.tensor(new long[] {value}))");
        }
    }

    private static boolean fits(double v) {
        return v >= -TWO_63 && v < TWO_63; // false for NaN
    }

    private static DTypeException overflow(String op, String value) {
        return new DTypeException(op + ": value cannot be converted to type int64 without overflow (the value is "
                + value + ")");
    }
}
