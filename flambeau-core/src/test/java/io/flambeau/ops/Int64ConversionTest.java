package io.flambeau.ops;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value int64 cannot hold is refused where it meets an int64 tensor, with PyTorch's words
 * ({@code value cannot be converted to type int64 without overflow}), the op and the value;
 * a tensor cast keeps its defined rule (NaN → 0, out of range → saturated).
 */
class Int64ConversionTest {
    static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);

    private static void assertOverflow(String op, String value, Executable call) {
        DTypeException e = assertThrows(DTypeException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ": value cannot be converted to type int64 without overflow"), m);
        assertTrue(m.contains(value), m);
    }

    private static Tensor longs(long... v) { return Torch.tensor(v); }

    @Test
    void fullRefusesNanInfinityAndValuesBeyondInt64() {
        assertOverflow("full", "nan", () -> Torch.full(new long[] {2}, Double.NaN, DType.INT64, Torch.defaultDevice()));
        assertOverflow("full", "1.0E30", () -> Torch.full(new long[] {2}, 1e30, DType.INT64, Torch.defaultDevice()));
        assertOverflow("full", "-Infinity", () -> Torch.full(new long[] {2}, Double.NEGATIVE_INFINITY, DType.INT64,
                Torch.defaultDevice()));
        assertOverflow("full", "9.223372036854776E18", () -> Torch.full(new long[] {1}, 0x1p63, DType.INT64,
                Torch.defaultDevice()));
        // the edges that fit, and PyTorch's truncation toward zero
        assertArrayEquals(new long[] {Long.MIN_VALUE}, Torch.full(new long[] {1}, -0x1p63, DType.INT64,
                Torch.defaultDevice()).toLongArray());
        assertArrayEquals(new long[] {2, 2}, Torch.full(new long[] {2}, 2.7, DType.INT64, Torch.defaultDevice()).toLongArray());
        assertArrayEquals(new long[] {-2}, Torch.full(new long[] {1}, -2.7, DType.INT64, Torch.defaultDevice()).toLongArray());
        // other dtypes take any double
        assertArrayEquals(new float[] {Float.NaN}, Torch.full(new long[] {1}, Double.NaN).toFloatArray());
    }

    @Test
    void creationFromListsRefusesValuesBeyondInt64() {
        assertOverflow("tensor", "1.0E30", () -> Torch.longTensor(List.of(1e30)));
        assertOverflow("tensor", "1.0E30", () -> Torch.tensor(List.of(1.0, 1e30), DType.INT64));
        assertOverflow("tensor", "nan", () -> Torch.tensor(List.of(List.of(Double.NaN)), DType.INT64));
        assertOverflow("tensor", "9223372036854775808", () -> Torch.tensor(List.of(TWO_63)));
        assertOverflow("tensor", "-9223372036854775809", () -> Torch.longTensor(List.of(TWO_63.negate().subtract(BigInteger.ONE))));
        assertOverflow("tensor", "9223372036854775808", () -> Torch.tensor(TWO_63));
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE},
                Torch.tensor(List.of(TWO_63.subtract(BigInteger.ONE), TWO_63.negate())).toLongArray());
        assertArrayEquals(new long[] {1, -2}, Torch.longTensor(List.of(1.5, -2.5)).toLongArray());
    }

    @Test
    void fillRefusesValuesBeyondInt64() {
        Tensor t = longs(1, 2);
        assertOverflow("fill_", "Infinity", () -> t.fill_(Double.POSITIVE_INFINITY));
        assertOverflow("fill_", "nan", () -> t.fill_(Double.NaN));
        assertArrayEquals(new long[] {1, 2}, t.toLongArray(), "a refused fill_ writes nothing");
        t.fill_(-7.9);
        assertArrayEquals(new long[] {-7, -7}, t.toLongArray());
        Tensor f = Torch.zeros(2).fill_(1e30);
        assertArrayEquals(new float[] {1e30f, 1e30f}, f.toFloatArray());
    }

    @Test
    void setRefusesValuesBeyondInt64() {
        Tensor t = longs(1, 2, 3);
        assertOverflow("set", "1.0E30", () -> t.set(0, 1e30));
        assertOverflow("set", "nan", () -> t.set(":", Double.NaN));
        assertOverflow("set", "9223372036854775808", () -> t.set(1, TWO_63));
        assertArrayEquals(new long[] {1, 2, 3}, t.toLongArray());
        t.set(0, -5L);
        t.set(2, 1L << 53);
        assertArrayEquals(new long[] {-5, 2, 1L << 53}, t.toLongArray());
        // beyond 2^53 the double scalar path would round: refused, pointing to a tensor operand
        DTypeException e = assertThrows(DTypeException.class, () -> t.set(1, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("9223372036854775807") && e.getMessage().contains("2^53"), e.getMessage());
        t.set(1, longs(Long.MAX_VALUE));
        assertArrayEquals(new long[] {-5, Long.MAX_VALUE, 1L << 53}, t.toLongArray());
    }

    @Test
    void integerScalarOpsRefuseScalarsTheyWouldRound() {
        Tensor t = longs(1, 2);
        for (Executable op : List.<Executable>of(() -> t.add(Long.MAX_VALUE), () -> t.mul(1L << 60),
                () -> t.sub(-(1L << 54)), () -> t.rsub(Long.MIN_VALUE))) {
            DTypeException e = assertThrows(DTypeException.class, op);
            assertTrue(e.getMessage().contains("beyond ±2^53"), e.getMessage());
        }
        assertArrayEquals(new long[] {(1L << 53) + 1, (1L << 53) + 2}, t.add(1L << 53).toLongArray());
        assertArrayEquals(new long[] {3, 6}, t.mul(3L).toLongArray());
        // a float scalar promotes to float32, as in PyTorch: no int64 conversion happens
        assertArrayEquals(new float[] {1e30f, 1e30f}, t.add(1e30).toFloatArray());
    }

    /** The cast keeps the rule of Java, of PTX's cvt.rzi and of PyTorch on CUDA: NaN → 0, saturation. */
    @Test
    void aCastKeepsItsDefinedRule() {
        Tensor x = Torch.tensor(new float[] {Float.NaN, 1e30f, -1e30f, Float.POSITIVE_INFINITY, -2.9f});
        assertArrayEquals(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, -2}, x.to(DType.INT64).toLongArray());
    }
}
