package io.flambeau.backend.cuda.sim;

import static io.flambeau.backend.cuda.sim.SimHarness.asF32;
import static io.flambeau.backend.cuda.sim.SimHarness.asF64;
import static io.flambeau.backend.cuda.sim.SimHarness.f32;
import static io.flambeau.backend.cuda.sim.SimHarness.f64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/**
 * Instruction semantics against PTX-NOTES and the PTX ISA, case by case; expected values are
 * derived independently (exact decimals, Java reference formulas), and float results compared bit
 * for bit unless the instruction is {@code .approx}.
 */
class PtxSemanticsTest {
    private final SimHarness sim = new SimHarness();

    private long[] run(String body, long[] a, long[] b) {
        return sim.elementwise(TestKernels.elementwise(body), a, b, TestKernels.outputs(body));
    }

    private static void assertF32(float want, long slot, String what) {
        assertEquals(Float.floatToRawIntBits(want), (int) slot, what + ": want " + want + " got " + asF32(slot));
    }

    private static void assertF64(double want, long slot, String what) {
        assertEquals(Double.doubleToRawLongBits(want), slot, what + ": want " + want + " got " + asF64(slot));
    }

    @Test
    void floatToIntegerConversionsRoundSaturateAndMapNaN() {
        float[] xs = {2.5f, -2.5f, 3.5f, -0.5f, 1e10f, -1e10f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 300.7f, -1.5f, 5e9f, 1e-40f, 0.49999997f, -130.2f};
        long[] a = new long[xs.length];
        for (int i = 0; i < xs.length; i++) a[i] = f32(xs[i]);
        String body = SemanticsKernels.CVT_FROM_F32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, null);
        for (int i = 0; i < xs.length; i++) {
            float x = xs[i];
            String c = "x=" + x + " slot ";
            boolean nan = Float.isNaN(x);
            assertEquals(nan ? 0 : (int) Math.rint(x), (int) out[i * k], c + "rni.s32");
            assertEquals(nan ? 0 : (int) x, (int) out[i * k + 1], c + "rzi.s32");
            assertEquals(nan ? 0 : (int) Math.floor(x), (int) out[i * k + 2], c + "rmi.s32");
            assertEquals(nan ? 0 : (int) Math.ceil(x), (int) out[i * k + 3], c + "rpi.s32");
            long u32 = nan || x <= 0 ? 0 : x >= 4294967295.0 ? 0xFFFF_FFFFL : (long) x;
            assertEquals((int) u32, (int) out[i * k + 4], c + "rzi.u32");
            assertEquals(nan ? Long.MIN_VALUE : (long) x, out[i * k + 5], c + "rzi.s64 (NaN gives 1<<63)");
            long u64 = nan ? Long.MIN_VALUE : x <= 0 ? 0 : x >= 0x1p64 ? -1L
                    : new BigDecimal(x).setScale(0, RoundingMode.DOWN).toBigInteger().longValue();
            assertEquals(u64, out[i * k + 6], c + "rzi.u64");
            assertEquals(nan ? 0 : (int) Math.max(0, Math.min(255, (long) x)), (int) out[i * k + 7], c + "rzi.u8");
            assertF32((float) Math.rint(x), out[i * k + 8], c + "rni.f32.f32");
            assertF32((float) Math.floor(x), out[i * k + 9], c + "rmi.f32.f32");
            assertF32((float) Math.ceil(x), out[i * k + 10], c + "rpi.f32.f32");
            assertF32(x < 0 ? (float) Math.ceil(x) : (float) Math.floor(x), out[i * k + 11], c + "rzi.f32.f32");
            assertF64(x, out[i * k + 12], c + "f64.f32");
            assertEquals(nan ? 0 : (int) Math.max(-128, Math.min(127, (long) x)), (int) out[i * k + 13], c + "rzi.s8");
        }
    }

    @Test
    void integerConversionsExtendTruncateSaturateAndRoundToFloat() {
        int[] xs = {5, -5, 16777217, 16777219, -16777217, 300, 200, -40000, Integer.MAX_VALUE, Integer.MIN_VALUE, -1};
        long[] a = new long[xs.length];
        for (int i = 0; i < xs.length; i++) a[i] = xs[i] & 0xFFFF_FFFFL;
        String body = SemanticsKernels.CVT_FROM_S32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, null);
        for (int i = 0; i < xs.length; i++) {
            int x = xs[i];
            BigDecimal v = BigDecimal.valueOf(x);
            String c = "x=" + x + " ";
            assertEquals((long) x, out[i * k], c + "s64.s32 sign-extends");
            assertEquals(x & 0xFFFF_FFFFL, out[i * k + 1], c + "u64.u32 zero-extends");
            assertEquals((int) (byte) x, (int) out[i * k + 2], c + "s8.s32 truncates then sign-extends");
            assertEquals(x & 0xFF, (int) out[i * k + 3], c + "u8.s32 truncates then zero-extends");
            assertEquals(Math.max(0, Math.min(255, x)), (int) out[i * k + 4], c + "sat.u8.s32");
            assertEquals(Math.max(-32768, Math.min(32767, x)), (int) out[i * k + 5], c + "sat.s16.s32");
            assertF32(ReferenceRounding.f32(v, RoundingMode.HALF_EVEN), out[i * k + 6], c + "rn.f32.s32");
            assertF32(ReferenceRounding.f32(v, RoundingMode.DOWN), out[i * k + 7], c + "rz.f32.s32");
            assertF32(ReferenceRounding.f32(v, RoundingMode.FLOOR), out[i * k + 8], c + "rm.f32.s32");
            assertF32(ReferenceRounding.f32(v, RoundingMode.CEILING), out[i * k + 9], c + "rp.f32.s32");
            assertF32(ReferenceRounding.f32(BigDecimal.valueOf(x & 0xFFFF_FFFFL), RoundingMode.HALF_EVEN),
                    out[i * k + 10], c + "rn.f32.u32");
            assertF64(x, out[i * k + 11], c + "rn.f64.s32");
        }
    }

    @Test
    void sixtyFourBitAndDoubleConversions() {
        long[] ints = {-1L, (1L << 53) + 1, Long.MIN_VALUE, 123456789012345678L, 3};
        double[] ds = {1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-40, -1 - 0x1p-24 - 0x1p-40, 3.5e38, Double.NaN};
        long[] a = ints.clone(), b = new long[ds.length];
        for (int i = 0; i < ds.length; i++) b[i] = f64(ds[i]);
        String body = SemanticsKernels.CVT_64;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < ints.length; i++) {
            BigDecimal unsigned = new BigDecimal(Long.toUnsignedString(ints[i]));
            BigDecimal signed = BigDecimal.valueOf(ints[i]);
            String c = "x=" + ints[i] + " ";
            assertF32(ReferenceRounding.f32(unsigned, RoundingMode.HALF_EVEN), out[i * k], c + "rn.f32.u64");
            assertF32(ReferenceRounding.f32(signed, RoundingMode.HALF_EVEN), out[i * k + 1], c + "rn.f32.s64");
            assertF64(ReferenceRounding.f64(unsigned, RoundingMode.DOWN), out[i * k + 2], c + "rz.f64.u64");
            assertF64(ReferenceRounding.f64(signed, RoundingMode.CEILING), out[i * k + 3], c + "rp.f64.s64");
            double d = ds[i];
            c = "d=" + d + " ";
            if (Double.isNaN(d)) {
                assertEquals(Long.MIN_VALUE, out[i * k + 8], c + "rni.s64.f64 of NaN");
                assertEquals(true, Float.isNaN(asF32(out[i * k + 4])), c + "rn.f32.f64 of NaN");
                continue;
            }
            BigDecimal e = new BigDecimal(d);
            float rn = d > Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0 ? Float.POSITIVE_INFINITY
                    : ReferenceRounding.f32(e, RoundingMode.HALF_EVEN);
            assertF32(rn, out[i * k + 4], c + "rn.f32.f64");
            assertF32(ReferenceRounding.f32(e, RoundingMode.DOWN), out[i * k + 5], c + "rz.f32.f64");
            assertF32(ReferenceRounding.f32(e, RoundingMode.FLOOR), out[i * k + 6], c + "rm.f32.f64");
            assertF32(ReferenceRounding.f32(e, RoundingMode.CEILING), out[i * k + 7], c + "rp.f32.f64");
            assertEquals((long) Math.rint(d), out[i * k + 8], c + "rni.s64.f64");
        }
    }

    @Test
    void setpIsOrderedUnlessUnorderedAndCombinesPredicates() {
        float nan = Float.NaN;
        float[][] pairs = {{1, 2}, {2, 1}, {1, 1}, {nan, 1}, {1, nan}, {nan, nan}, {-0f, 0f},
                {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = f32(pairs[i][0]);
            b[i] = f32(pairs[i][1]);
        }
        String body = SemanticsKernels.SETP_F32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            float x = pairs[i][0], y = pairs[i][1];
            boolean un = Float.isNaN(x) || Float.isNaN(y);
            boolean[] want = {
                !un && x == y, !un && x != y, !un && x < y, !un && x >= y,
                un || x == y, un || x != y, un || x < y, un || x >= y,
                !un, un,
                !(!un && x <= y), // q of setp.le p|q
                !un && x > y && !(!un && x <= y)};
            String[] names = {"eq", "ne", "lt", "ge", "equ", "neu", "ltu", "geu", "num", "nan", "le's q", "gt.and !p"};
            for (int s = 0; s < want.length; s++) {
                assertEquals(want[s] ? 1 : 0, (int) out[i * k + s], names[s] + "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void minMaxReturnTheNonNaNOperandAndOrderSignedZeros() {
        float nan = Float.NaN;
        float[][] pairs = {{nan, 1}, {1, nan}, {nan, nan}, {-0f, 0f}, {0f, -0f}, {3, -2}, {-3, 5}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = f32(pairs[i][0]);
            b[i] = f32(pairs[i][1]);
        }
        String body = SemanticsKernels.MINMAX_F32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            float x = pairs[i][0], y = pairs[i][1];
            String c = "(" + x + ", " + y + ") ";
            if (Float.isNaN(x) && Float.isNaN(y)) {
                assertEquals(true, Float.isNaN(asF32(out[i * k])), c + "min of two NaNs");
            } else {
                float wantMin = Float.isNaN(x) ? y : Float.isNaN(y) ? x : Math.min(x, y);
                float wantMax = Float.isNaN(x) ? y : Float.isNaN(y) ? x : Math.max(x, y);
                assertF32(wantMin, out[i * k], c + "min");
                assertF32(wantMax, out[i * k + 1], c + "max");
            }
            assertF32(Float.isNaN(x) ? 0f : Math.max(x, 0f), out[i * k + 2], c + "max(x, 0) turns NaN into 0");
            float relu = x <= 0 ? 0f : x;
            assertEquals(Float.isNaN(x), Float.isNaN(asF32(out[i * k + 3])), c + "setp.le+selp relu keeps NaN");
            if (!Float.isNaN(x)) assertF32(relu, out[i * k + 3], c + "relu");
            assertF64(1.0, out[i * k + 4], "min.f64(NaN, 1)");
        }
    }

    @Test
    void integerOpsRespectWidthSignednessAndClampShifts() {
        int[][] pairs = {{-1, 2}, {Integer.MIN_VALUE, Integer.MIN_VALUE}, {7, 40}, {-100, 3}, {Integer.MAX_VALUE, 1},
                {12345678, 31}, {1, 32}, {0xF0F0F0F0, 4}, {-100, 33}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = pairs[i][0] & 0xFFFF_FFFFL;
            b[i] = pairs[i][1] & 0xFFFF_FFFFL;
        }
        String body = SemanticsKernels.INT_OPS;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            int x = pairs[i][0], y = pairs[i][1];
            long ux = x & 0xFFFF_FFFFL, uy = y & 0xFFFF_FFFFL;
            String c = "(" + x + ", " + y + ") ";
            assertEquals((int) (((long) x * y) >> 32), (int) out[i * k], c + "mul.hi.s32");
            assertEquals((int) ((ux * uy) >>> 32), (int) out[i * k + 1], c + "mul.hi.u32");
            assertEquals((long) x * y, out[i * k + 2], c + "mul.wide.s32");
            assertEquals(ux * uy, out[i * k + 3], c + "mul.wide.u32");
            assertEquals(Math.min(x, y), (int) out[i * k + 4], c + "min.s32");
            assertEquals((int) Math.min(ux, uy), (int) out[i * k + 5], c + "min.u32");
            assertEquals(uy >= 32 ? 0 : x << y, (int) out[i * k + 6], c + "shl.b32 clamps");
            assertEquals(uy >= 32 ? 0 : x >>> y, (int) out[i * k + 7], c + "shr.u32 clamps");
            assertEquals(x >> Math.min(uy, 31), (int) out[i * k + 8], c + "shr.s32 clamps to sign fill");
            assertEquals((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) x + y)), (int) out[i * k + 9], c + "add.sat.s32");
            assertEquals((x < y ? 1 : 0) | (ux < uy ? 2 : 0), (int) out[i * k + 10], c + "setp.lt s32 vs u32");
            assertEquals(Integer.bitCount(x), (int) out[i * k + 11], c + "popc");
            assertEquals(Integer.numberOfLeadingZeros(x), (int) out[i * k + 12], c + "clz");
            assertEquals(Integer.reverse(x), (int) out[i * k + 13], c + "brev");
            assertEquals(Math.abs(x), (int) out[i * k + 14], c + "abs.s32");
            assertEquals(x * y + 7, (int) out[i * k + 15], c + "mad.lo.s32");
        }
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        int[][] pairs = {{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {100, 7}, {-1, 3}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = pairs[i][0] & 0xFFFF_FFFFL;
            b[i] = pairs[i][1] & 0xFFFF_FFFFL;
        }
        String body = SemanticsKernels.DIV_REM;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            int x = pairs[i][0], y = pairs[i][1];
            String c = "(" + x + ", " + y + ") ";
            assertEquals(x / y, (int) out[i * k], c + "div.s32");
            assertEquals(x % y, (int) out[i * k + 1], c + "rem.s32");
            assertEquals(Integer.divideUnsigned(x, y), (int) out[i * k + 2], c + "div.u32");
            assertEquals(Integer.remainderUnsigned(x, y), (int) out[i * k + 3], c + "rem.u32");
            assertEquals((long) x / y, out[i * k + 4], c + "div.s64");
            assertEquals(Long.divideUnsigned(x, y), out[i * k + 5], c + "div.u64");
        }
    }

    @Test
    void f32ArithmeticRoundsPerModeAndHonoursFtzAndSat() {
        float max = Float.MAX_VALUE;
        float[][] pairs = {{1f, 0x1p-24f}, {1f, 3 * 0x1p-25f}, {-1f, -0x1p-24f}, {1e-40f, 1e-40f}, {0.75f, 0.5f},
                {3f, -7f}, {max, max}, {2f, 0f}, {-4f, 0.1f}, {Float.NaN, 1f}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = f32(pairs[i][0]);
            b[i] = f32(pairs[i][1]);
        }
        String body = SemanticsKernels.FLOAT_F32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            float x = pairs[i][0], y = pairs[i][1];
            String c = "(" + x + ", " + y + ") ";
            long[] o = java.util.Arrays.copyOfRange(out, i * k, i * k + k);
            if (Float.isNaN(x)) {
                for (int s : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}) assertEquals(true, Float.isNaN(asF32(o[s])), c + "slot " + s);
                assertF32(0f, o[9], c + "add.sat of NaN is 0");
                continue;
            }
            BigDecimal sum = new BigDecimal(x).add(new BigDecimal(y));
            assertF32(x + y, o[0], c + "add.rn");
            assertF32(ReferenceRounding.f32(sum, RoundingMode.DOWN), o[1], c + "add.rz");
            assertF32(ReferenceRounding.f32(sum, RoundingMode.FLOOR), o[2], c + "add.rm");
            assertF32(ReferenceRounding.f32(sum, RoundingMode.CEILING), o[3], c + "add.rp");
            BigDecimal prod = new BigDecimal(x).multiply(new BigDecimal(y));
            assertF32(ReferenceRounding.f32(prod, RoundingMode.DOWN), o[4], c + "mul.rz");
            if (y != 0) {
                assertF32(x / y, o[5], c + "div.rn");
                assertF32(ReferenceRounding.f32(ReferenceRounding.divide(x, y), RoundingMode.DOWN), o[6], c + "div.rz");
            } else {
                assertF32(Float.POSITIVE_INFINITY, o[5], c + "div.rn by zero");
            }
            BigDecimal fma = prod.add(new BigDecimal(x));
            assertF32(Float.isInfinite(x * y) ? x * y : ReferenceRounding.f32(fma, RoundingMode.HALF_EVEN), o[7], c + "fma.rn");
            float fx = Math.abs(x) < Float.MIN_NORMAL ? 0f : x, fy = Math.abs(y) < Float.MIN_NORMAL ? 0f : y;
            assertF32(fx + fy, o[8], c + "add.ftz flushes subnormal inputs");
            float sat = x + y;
            assertF32(sat > 1 ? 1f : sat > 0 ? sat : 0f, o[9], c + "add.sat");
            assertF32(Math.copySign(y, x), o[10], c + "copysign(a, b) = |b| with a's sign");
            int tp = (x != 0 && Math.abs(x) < Float.MIN_NORMAL ? 1 : 0) | (Float.isInfinite(x) ? 2 : 0);
            assertEquals(tp, (int) o[11], c + "testp");
            assertF32((float) Math.sqrt(x), o[12], c + "sqrt.rn");
            assertF32(1f / y, o[13], c + "rcp.rn");
            assertF32(Math.abs(x), o[14], c + "abs");
            assertF32(-x, o[15], c + "neg");
        }
    }

    @Test
    void approximateFunctionsAreWithinTheirPtxErrorBounds() {
        float[] xs = {0.5f, 1f, 2f, 10f, -3f, 0.1f};
        long[] a = new long[xs.length];
        for (int i = 0; i < xs.length; i++) a[i] = f32(xs[i]);
        String body = SemanticsKernels.APPROX_F32;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, null);
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            String c = "x=" + x + " ";
            close(Math.pow(2, x), asF32(out[i * k]), 0x1p-21, c + "ex2");
            close(Math.log(x) / Math.log(2), asF32(out[i * k + 1]), 0x1p-21, c + "lg2");
            close(Math.sin(x), asF32(out[i * k + 2]), 0x1p-20, c + "sin");
            close(Math.cos(x), asF32(out[i * k + 3]), 0x1p-20, c + "cos");
            close(Math.tanh(x), asF32(out[i * k + 4]), 0x1p-11, c + "tanh");
            close(1 / Math.sqrt(x), asF32(out[i * k + 5]), 0x1p-21, c + "rsqrt");
            close(1 / x, asF32(out[i * k + 6]), 0x1p-22, c + "rcp.approx");
            close(Math.sqrt(x), asF32(out[i * k + 7]), 0x1p-21, c + "sqrt.approx");
        }
    }

    private static void close(double want, float got, double relTol, String what) {
        if (Double.isNaN(want)) {
            assertEquals(true, Float.isNaN(got), what + " should be NaN");
            return;
        }
        assertEquals(want, got, Math.max(Math.abs(want) * relTol, 1e-30), what);
    }

    @Test
    void f64ArithmeticRoundsPerMode() {
        double[][] pairs = {{1, 0x1p-53}, {1, 0x1.8p-53}, {1 + 0x1p-52, 1 - 0x1p-53}, {-2.5, 1e-17}, {1e308, 1e308}};
        long[] a = new long[pairs.length], b = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            a[i] = f64(pairs[i][0]);
            b[i] = f64(pairs[i][1]);
        }
        String body = SemanticsKernels.FLOAT_F64;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, b);
        for (int i = 0; i < pairs.length; i++) {
            double x = pairs[i][0], y = pairs[i][1];
            String c = "(" + x + ", " + y + ") ";
            BigDecimal sum = new BigDecimal(x).add(new BigDecimal(y));
            BigDecimal prod = new BigDecimal(x).multiply(new BigDecimal(y));
            assertF64(x + y, out[i * k], c + "add.rn");
            assertF64(ReferenceRounding.f64(sum, RoundingMode.DOWN), out[i * k + 1], c + "add.rz");
            assertF64(ReferenceRounding.f64(sum, RoundingMode.CEILING), out[i * k + 2], c + "add.rp");
            assertF64(ReferenceRounding.f64(prod, RoundingMode.FLOOR), out[i * k + 3], c + "mul.rm");
            assertF64(x / y, out[i * k + 4], c + "div.rn");
            assertF64(Math.fma(x, y, x), out[i * k + 5], c + "fma.rn");
            assertF64(Math.sqrt(x), out[i * k + 6], c + "sqrt.rn");
        }
    }

    @Test
    void narrowLoadsExtendAndPackingSwapsHalves() {
        long[] a = {0x1234_5678_9ABC_DEF0L, 0xFFFF_FFFF_FFFF_FF80L, 0x0000_0001_0000_7F01L};
        String body = SemanticsKernels.WIDTHS;
        int k = TestKernels.outputs(body);
        long[] out = run(body, a, null);
        for (int i = 0; i < a.length; i++) {
            long v = a[i];
            String c = "0x" + Long.toHexString(v) + " ";
            assertEquals(v & 0xFF, out[i * k] & 0xFFFF_FFFFL, c + "ld.u8");
            assertEquals((int) (byte) v, (int) out[i * k + 1], c + "ld.s8");
            assertEquals((int) (short) v, (int) out[i * k + 2], c + "ld.s16");
            assertEquals(v & 0xFFFF_FFFFL, out[i * k + 3], c + "ld.u32 into a 64-bit register zero-extends");
            assertEquals((long) (int) v, out[i * k + 4], c + "ld.s32 into a 64-bit register sign-extends");
            assertEquals((v << 32) | (v >>> 32), out[i * k + 5], c + "mov.b64 unpack/pack");
            assertEquals(v & 0xFF, out[i * k + 6], c + "st.u8 writes one byte");
        }
    }
}
