package io.flambeau.backend.cuda;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.cuda.TwinViews.Layout;
import io.flambeau.backend.cuda.TwinViews.Twin;
import io.flambeau.core.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every elementwise primitive of the CUDA backend against the CPU backend (the reference
 * semantics), for every dtype, on random dense, permuted, broadcast and stepped views with NaN,
 * infinities, signed zeros and extreme values mixed in. Exact ops must agree bit for bit;
 * elementary functions within a few ulps.
 */
class CudaElementwiseTest {
    private static CudaBackend gpu;

    /** float32 functions computed with float32 polynomials: within a few ulps of the double result rounded. */
    private static final Set<UnaryOp> F32_APPROX = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID);
    /**
     * Functions evaluated by routines (in double for sin, cos and the rarer ones, float32 included): within a
     * few ulps of Java's. Every op not {@link UnaryOp#exactEverywhere()}.
     */
    private static final Set<UnaryOp> ROUTINES = EnumSet.copyOf(java.util.Arrays.stream(UnaryOp.values())
            .filter(op -> !op.exactEverywhere()).toList());
    /**
     * {@code x/2 (1 + erf)} and {@code x/2 (1 + tanh)} cancel for negative x (as PyTorch's formulas do), so an
     * ulp of erf or tanh becomes many ulps of the result: compared within this fraction of the largest value.
     */
    private static final Set<UnaryOp> CANCELLING = EnumSet.of(UnaryOp.GELU, UnaryOp.GELU_TANH);

    private static void assertAgrees(TwinViews tw, String what, Twin out, UnaryOp op, DType t) {
        if (CANCELLING.contains(op)) tw.assertNear(what, out, t == DType.FLOAT32 ? 1e-7 : 1e-15);
        else tw.assertSame(what, out, ulps(op, t));
    }

    @BeforeAll
    static void device() {
        gpu = SimCuda.install();
    }

    private static int ulps(UnaryOp op, DType t) {
        if (t == DType.FLOAT32 && F32_APPROX.contains(op)) return 4;
        if (op == UnaryOp.TANH || op == UnaryOp.SIGMOID || op == UnaryOp.ERF) return 4; // a few roundings after exp/expm1
        return ROUTINES.contains(op) ? 2 : 0;
    }

    @Test
    void unaryOpsMatchTheCpuForEveryDtypeAndLayout() {
        TwinViews tw = new TwinViews(gpu, 1);
        for (DType t : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                if (!op.computesIn(t)) continue;
                double[][] params = op == UnaryOp.CLAMP ? new double[][] {{-0.5, 0.7}, {Double.NaN, 0.3}, {-1, Double.NaN}, {2, 1}}
                        : op == UnaryOp.LEAKY_RELU ? new double[][] {{0.01, 0}, {-3, 0}} : new double[][] {{0, 0}};
                for (Layout layout : Layout.values()) {
                    long[] shape = tw.randomShape(1 + tw.rnd.nextInt(3));
                    Twin x = tw.random(t, shape, layout, true);
                    for (double[] pq : params) {
                        Twin out = tw.empty(t, shape);
                        TwinViews.CPU.unary(op, x.cpu(), out.cpu(), pq[0], pq[1]);
                        gpu.unary(op, x.gpu(), out.gpu(), pq[0], pq[1]);
                        assertAgrees(tw, op + " " + t + " " + layout, out, op, t);
                    }
                }
            }
        }
    }

    @Test
    void unaryFunctionsAreAccurateOverWideRanges() {
        TwinViews tw = new TwinViews(gpu, 2);
        int n = 512;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) xs[i] = (i % 4 == 0 ? 1e-3 : i % 4 == 1 ? 1 : i % 4 == 2 ? 30 : 700) * (tw.rnd.nextDouble() * 2 - 1);
            Object host = t == DType.FLOAT64 ? xs : toFloats(xs);
            Twin x = tw.dense(host, new long[] {n});
            for (UnaryOp op : ROUTINES) {
                Twin out = tw.empty(t, new long[] {n});
                TwinViews.CPU.unary(op, x.cpu(), out.cpu(), 0, 0);
                gpu.unary(op, x.gpu(), out.gpu(), 0, 0);
                assertAgrees(tw, op + " " + t + " over wide ranges", out, op, t);
            }
        }
    }

    @Test
    void sinAndCosOfHugeArgumentsAreReducedExactly() {
        TwinViews tw = new TwinViews(gpu, 9);
        double[] xs = {1e6, -3e7, 1e22, 1e300, -1.7e308, Math.scalb(1.0, 1023), 6381956970095103.0 * Math.pow(2, 797),
            5.0e9 * Math.PI, 1048576.0, 123456789.125, 1e15 + 0.5, Math.nextDown(1048576.0)};
        Twin x = tw.dense(xs, new long[] {xs.length});
        for (boolean cos : new boolean[] {false, true}) {
            UnaryOp op = cos ? UnaryOp.COS : UnaryOp.SIN;
            Twin out = tw.empty(DType.FLOAT64, new long[] {xs.length});
            TwinViews.CPU.unary(op, x.cpu(), out.cpu(), 0, 0);
            gpu.unary(op, x.gpu(), out.gpu(), 0, 0);
            tw.assertSame(op + " of huge arguments", out, 2);
        }
    }

    @Test
    void binaryOpsMatchTheCpuWithBroadcasting() {
        TwinViews tw = new TwinViews(gpu, 3);
        for (DType t : DType.values()) {
            for (BinaryOp op : BinaryOp.values()) {
                // integer (floor) division by zero throws on the cpu; public division is always floating
                if (!t.isFloating() && op == BinaryOp.DIV) continue;
                for (Layout la : Layout.values()) {
                    Layout lb = Layout.values()[tw.rnd.nextInt(Layout.values().length)];
                    long[] shape = tw.randomShape(1 + tw.rnd.nextInt(3));
                    Twin a = tw.random(t, shape, la, true), b = tw.random(t, shape, lb, true);
                    DType outType = op.isComparison() ? DType.BOOL : t;
                    Twin out = tw.empty(outType, shape);
                    TwinViews.CPU.binary(op, a.cpu(), b.cpu(), out.cpu());
                    gpu.binary(op, a.gpu(), b.gpu(), out.gpu());
                    tw.assertClose(op + " " + t + " " + la + "/" + lb, out, op == BinaryOp.POW ? 1 : 0, powTolerance(op, t));
                }
            }
        }
    }

    /** float64 pow is exp(b log a): its relative error grows like |b log a| 2^-53. */
    private static double powTolerance(BinaryOp op, DType t) {
        return op == BinaryOp.POW && t == DType.FLOAT64 ? 1e-13 : 0;
    }

    @Test
    void binaryScalarOpsMatchTheCpuBothWaysRound() {
        TwinViews tw = new TwinViews(gpu, 4);
        double[] scalars = {2.5, -3, 0, 0.1, Double.NaN, 1e20};
        for (DType t : DType.values()) {
            for (BinaryOp op : BinaryOp.values()) {
                for (double s : scalars) {
                    for (boolean reversed : new boolean[] {false, true}) {
                        if (!t.isFloating() && op == BinaryOp.DIV) continue; // division by zero throws on the cpu
                        long[] shape = tw.randomShape(2);
                        Twin a = tw.random(t, shape, Layout.STEPPED, true);
                        Twin out = tw.empty(op.isComparison() ? DType.BOOL : t, shape);
                        TwinViews.CPU.binaryScalar(op, a.cpu(), s, reversed, out.cpu());
                        gpu.binaryScalar(op, a.gpu(), s, reversed, out.gpu());
                        tw.assertClose(op + " " + t + " scalar " + s + (reversed ? " reversed" : ""), out,
                                op == BinaryOp.POW ? 1 : 0, powTolerance(op, t));
                    }
                }
            }
        }
    }

    @Test
    void integerFloorDivisionAndPowersFollowJava() {
        TwinViews tw = new TwinViews(gpu, 5);
        long[] a = {7, -7, 7, -7, 0, Long.MIN_VALUE, 5, -9, 3, 2, Long.MIN_VALUE, -3};
        long[] divisors = {2, 2, -2, -2, 3, 3, 1, 4, 13, 62, -1, 7};
        long[] exponents = {2, 3, 0, 1, 3, 1, 27, 4, 40, 62, 2, 5};
        Twin x = tw.dense(a, new long[] {a.length});
        for (BinaryOp op : new BinaryOp[] {BinaryOp.DIV, BinaryOp.POW}) {
            Twin y = tw.dense(op == BinaryOp.DIV ? divisors : exponents, new long[] {a.length});
            Twin out = tw.empty(DType.INT64, new long[] {a.length});
            TwinViews.CPU.binary(op, x.cpu(), y.cpu(), out.cpu());
            gpu.binary(op, x.gpu(), y.gpu(), out.gpu());
            tw.assertSame("int64 " + op, out, 0);
        }
    }

    @Test
    void copyConvertsBetweenEveryPairOfDtypesLikeJavaCasts() {
        TwinViews tw = new TwinViews(gpu, 6);
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                for (Layout layout : Layout.values()) {
                    long[] shape = tw.randomShape(3);
                    Twin src = tw.random(from, shape, layout, true);
                    Twin dst = tw.empty(to, shape);
                    TwinViews.CPU.copy(src.cpu(), dst.cpu());
                    gpu.copy(src.gpu(), dst.gpu());
                    tw.assertSame("copy " + from + " -> " + to + " " + layout, dst, 0);
                }
            }
        }
    }

    @Test
    void fillConvertsTheValueToTheDtype() {
        TwinViews tw = new TwinViews(gpu, 7);
        for (DType t : DType.values()) {
            for (double v : new double[] {0, -2.7, 1e30, Double.NaN, Double.NEGATIVE_INFINITY, 3}) {
                Twin x = tw.random(t, new long[] {3, 4}, Layout.STEPPED, false);
                TwinViews.CPU.fill(x.cpu(), v);
                gpu.fill(x.gpu(), v);
                tw.assertSame("fill " + t + " " + v, x, 0);
            }
        }
    }

    @Test
    void whereSelectsWithBroadcastConditions() {
        TwinViews tw = new TwinViews(gpu, 8);
        for (DType t : DType.values()) {
            for (Layout layout : Layout.values()) {
                long[] shape = tw.randomShape(3);
                Twin c = tw.random(DType.BOOL, shape, layout, false);
                Twin a = tw.random(t, shape, Layout.DENSE, true), b = tw.random(t, shape, Layout.BROADCAST, true);
                Twin out = tw.empty(t, shape);
                TwinViews.CPU.where(c.cpu(), a.cpu(), b.cpu(), out.cpu());
                gpu.where(c.gpu(), a.gpu(), b.gpu(), out.gpu());
                tw.assertSame("where " + t + " " + layout, out, 0);
            }
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
