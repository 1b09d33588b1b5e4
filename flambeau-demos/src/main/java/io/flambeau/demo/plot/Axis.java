package io.flambeau.demo.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a figure: its value range, where its labelled ticks go, what the labels say, and
 * how a value maps onto the axis (linear or base-10 logarithmic).
 *
 * <p>Tick steps are "nice" numbers (1, 2 or 5 times a power of ten) so that labels read like a
 * hand-drawn chart: 0, 0.2, 0.4 ... rather than 0, 0.173, 0.346. The automatic ranges
 * ({@link #linear}, {@link #log}) widen the data's range outward to nice values, so the ends of
 * the axis are readable numbers too; the fixed ranges ({@link #linearFixed}, {@link #logFixed})
 * keep the caller's ends and place ticks inside them, which is what a decision-region grid needs
 * because its cells tile exactly the range it was sampled over.
 */
public final class Axis {
    private final double lo;
    private final double hi;
    private final boolean log;
    private final double[] ticks;
    private final String[] tickLabels;
    private final double[] minorTicks;

    private Axis(double lo, double hi, boolean log, double[] ticks, String[] tickLabels, double[] minorTicks) {
        this.lo = lo;
        this.hi = hi;
        this.log = log;
        this.ticks = ticks;
        this.tickLabels = tickLabels;
        this.minorTicks = minorTicks;
    }

    /**
     * Linear axis covering [dataMin, dataMax], widened to whole nice ticks, with about targetTicks
     * labels. Of the nice steps near span / (targetTicks - 1) it takes the one that wastes the
     * least of the axis on empty range, allowing somewhat more ticks for a tighter fit: data from
     * -5 to 5 gets ticks -5, -4 ... 5 rather than an axis from -6 to 6.
     */
    public static Axis linear(double dataMin, double dataMax, int targetTicks) {
        double[] r = usableLinearRange(dataMin, dataMax);
        int target = Math.max(2, targetTicks);
        int maxTicks = Math.max(target + 2, (int) Math.round(target * 1.6));
        Step base = Step.of(niceNumber((r[1] - r[0]) / (target - 1), true));
        Step best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (Step step : new Step[] {base, base.smaller(), base.larger()}) {
            long first = (long) Math.floor(r[0] / step.value() + 1e-9);
            long last = Math.max(first + 1, (long) Math.ceil(r[1] / step.value() - 1e-9));
            long count = last - first + 1;
            if (step != base && count > maxTicks) continue;
            double waste = 1 - (r[1] - r[0]) / ((last - first) * step.value());
            double score = waste + 0.25 * Math.abs(count - target) / target;
            if (score < bestScore) {
                bestScore = score;
                best = step;
            }
        }
        long first = (long) Math.floor(r[0] / best.value() + 1e-9);
        long last = Math.max(first + 1, (long) Math.ceil(r[1] / best.value() - 1e-9));
        return linearWithTicks(best.at(first), best.at(last), best, first, last);
    }

    /** Linear axis spanning exactly [lo, hi], with nice ticks placed inside it. */
    public static Axis linearFixed(double lo, double hi, int targetTicks) {
        double[] r = usableLinearRange(lo, hi);
        Step step = Step.of(niceNumber((r[1] - r[0]) / Math.max(1, targetTicks - 1), true));
        long first = (long) Math.ceil(r[0] / step.value() - 1e-9);
        long last = (long) Math.floor(r[1] / step.value() + 1e-9);
        return linearWithTicks(r[0], r[1], step, first, last);
    }

    /**
     * Base-10 log axis covering the positive range [dataMin, dataMax], its ends widened to 1, 2 or
     * 5 times a power of ten. Loss curves live here: a loss falling from 2 to 0.002 is a
     * straight-ish line on a log axis and a flat line after the first few iterations on a linear one.
     */
    public static Axis log(double dataMin, double dataMax) {
        double[] r = usableLogRange(dataMin, dataMax);
        return logWithTicks(niceLogEnd(r[0], false), niceLogEnd(r[1], true));
    }

    /** Base-10 log axis spanning exactly [lo, hi] (both positive). */
    public static Axis logFixed(double lo, double hi) {
        double[] r = usableLogRange(lo, hi);
        return logWithTicks(r[0], r[1]);
    }

    public double lo() { return lo; }

    public double hi() { return hi; }

    public boolean isLog() { return log; }

    /** Values of the labelled ticks, ascending, all within [lo, hi]. */
    public double[] ticks() { return ticks.clone(); }

    /** Label text of each tick in {@link #ticks()}, same order. */
    public String[] tickLabels() { return tickLabels.clone(); }

    /** Unlabelled ticks between the labelled ones (log axes only: 2..9 times each decade). */
    public double[] minorTicks() { return minorTicks.clone(); }

    /**
     * Where a value falls along the axis: 0 at lo, 1 at hi, outside [0, 1] beyond the ends.
     * NaN for values the axis cannot show (non-finite, or not positive on a log axis), which
     * drawing code treats as a gap.
     */
    public double fraction(double v) {
        if (!Double.isFinite(v)) return Double.NaN;
        if (log) {
            if (v <= 0) return Double.NaN;
            return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return (v - lo) / (hi - lo);
    }

    /**
     * Heckbert's nice number: a value of the form {1, 2, 5, 10} x 10^k close to x (x > 0).
     * With round it is the nearest such value, otherwise the smallest one at or above x
     * (used for a range, which must not shrink).
     */
    static double niceNumber(double x, boolean round) {
        int exp = (int) Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return scaled(nf, exp);
    }

    // ---- linear ----

    private static Axis linearWithTicks(double lo, double hi, Step step, long first, long last) {
        List<Double> values = new ArrayList<>();
        for (long k = first; k <= last; k++) values.add(step.at(k));
        double[] t = values.stream().mapToDouble(Double::doubleValue).toArray();
        return new Axis(lo, hi, false, t, linearLabels(t, step, Math.max(Math.abs(lo), Math.abs(hi))), new double[0]);
    }

    /**
     * All labels of one axis share one format, so that 0.0, 0.5, 1.0 line up rather than 0, 0.5, 1.
     * Very large or very small magnitudes switch to e-notation to keep labels short.
     */
    private static String[] linearLabels(double[] t, Step step, double maxAbs) {
        String[] out = new String[t.length];
        boolean scientific = maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3);
        int e = scientific ? (int) Math.floor(Math.log10(maxAbs)) : 0;
        // Enough decimals to tell neighbouring ticks apart, no more.
        int decimals = Math.max(0, e - step.exponent());
        for (int i = 0; i < t.length; i++) {
            if (!scientific) out[i] = fixed(t[i], decimals);
            else out[i] = t[i] == 0 ? "0" : fixed(t[i] / scaled(1, e), decimals) + "e" + e;
        }
        return out;
    }

    private static String fixed(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double[] usableLinearRange(double a, double b) {
        boolean fa = Double.isFinite(a), fb = Double.isFinite(b);
        if (!fa && !fb) return new double[] {0, 1};
        if (!fa) a = b;
        if (!fb) b = a;
        if (a > b) { double t = a; a = b; b = t; }
        if (a == b) {
            // A constant series still needs an axis with some height; centre it.
            double half = a == 0 ? 1 : Math.abs(a) * 0.5;
            return new double[] {a - half, b + half};
        }
        return new double[] {a, b};
    }

    // ---- log ----

    private static Axis logWithTicks(double lo, double hi) {
        int kLo = (int) Math.floor(Math.log10(lo) + 1e-9);
        int kHi = (int) Math.ceil(Math.log10(hi) - 1e-9);
        int decades = kHi - kLo;
        // Label every decade, or every 2nd, 3rd ... when the range spans many of them.
        int stride = Math.max(1, (int) Math.ceil(decades / 8.0));
        List<double[]> major = new ArrayList<>(); // {mantissa, exponent}
        for (int k = kLo; k <= kHi; k++) {
            if (Math.floorMod(k, stride) == 0 && inside(decade(k), lo, hi)) major.add(new double[] {1, k});
        }
        // Fewer than three labelled decades says too little about the scale (1 and 0.1 alone do
        // not tell where 0.3 is); label 2x and 5x too, and every multiple if fewer than two labels.
        int[][] fillIns = {{2, 5}, {3, 4, 6, 7, 8, 9}};
        int[] enough = {3, 2};
        for (int f = 0; f < fillIns.length; f++) {
            int[] mantissas = fillIns[f];
            if (major.size() >= enough[f]) break;
            for (int k = kLo - 1; k <= kHi; k++) {
                for (int m : mantissas) {
                    if (inside(scaled(m, k), lo, hi)) major.add(new double[] {m, k});
                }
            }
        }
        major.sort((p, q) -> Double.compare(scaled(p[0], (int) p[1]), scaled(q[0], (int) q[1])));
        double[] t = new double[major.size()];
        String[] labels = new String[major.size()];
        // One notation for the whole axis: plain numbers when every label reads well that way,
        // else e-notation for all, never "0.001" next to "1e-4".
        boolean plain = true;
        for (double[] p : major) plain &= p[1] >= -3 && p[1] <= 4;
        for (int i = 0; i < t.length; i++) {
            int m = (int) major.get(i)[0], k = (int) major.get(i)[1];
            t[i] = scaled(m, k);
            labels[i] = logLabel(m, k, plain);
        }
        List<Double> minor = new ArrayList<>();
        if (stride == 1) {
            for (int k = kLo - 1; k <= kHi; k++) {
                for (int m = 2; m <= 9; m++) {
                    double v = scaled(m, k);
                    if (inside(v, lo, hi) && !contains(t, v)) minor.add(v);
                }
            }
        }
        return new Axis(lo, hi, true, t, labels, minor.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The largest (or with up, the smallest) value {1, 2, 5} x 10^k at or below (above) v. */
    private static double niceLogEnd(double v, boolean up) {
        int k = (int) Math.floor(Math.log10(v));
        double[] candidates = {scaled(1, k), scaled(2, k), scaled(5, k), scaled(1, k + 1)};
        double slack = 1e-9 * v;
        if (up) {
            for (double c : candidates) if (c >= v - slack) return c;
            return scaled(1, k + 1);
        }
        double best = scaled(1, k);
        for (double c : candidates) if (c <= v + slack) best = c;
        return best;
    }

    private static String logLabel(int mantissa, int exp, boolean plain) {
        if (plain) return BigDecimal.valueOf(scaled(mantissa, exp)).stripTrailingZeros().toPlainString();
        return mantissa + "e" + exp;
    }

    private static double[] usableLogRange(double a, double b) {
        boolean fa = Double.isFinite(a) && a > 0, fb = Double.isFinite(b) && b > 0;
        if (!fa && !fb) return new double[] {1, 10};
        if (!fa) a = b;
        if (!fb) b = a;
        if (a > b) { double t = a; a = b; b = t; }
        if (a == b) return new double[] {a / 10, b * 10};
        return new double[] {a, b};
    }

    private static double decade(int k) { return scaled(1, k); }

    /**
     * m x 10^k computed so that e.g. 3 x 10^-1 is exactly the double nearest 0.3 (dividing by an
     * exact power of ten rounds once; multiplying by the inexact 0.1 can round twice).
     */
    private static double scaled(double m, int k) {
        return k >= 0 ? m * Math.pow(10, k) : m / Math.pow(10, -k);
    }

    private static boolean inside(double v, double lo, double hi) {
        double slack = 1e-9 * Math.max(Math.abs(lo), Math.abs(hi));
        return v >= lo - slack && v <= hi + slack;
    }

    private static boolean contains(double[] values, double v) {
        for (double x : values) if (Math.abs(x - v) <= 1e-12 * Math.abs(v)) return true;
        return false;
    }

    /** A nice tick step kept as mantissa x 10^exponent so tick values and labels come out exact. */
    private record Step(int mantissa, int exponent) {
        static Step of(double nice) {
            int exp = (int) Math.floor(Math.log10(nice) + 1e-9);
            int m = (int) Math.round(nice / Math.pow(10, exp));
            if (m == 10) { m = 1; exp++; }
            return new Step(m, exp);
        }

        double value() { return scaled(mantissa, exponent); }

        /** The next smaller step in the 1, 2, 5 sequence. */
        Step smaller() {
            return switch (mantissa) {
                case 1 -> new Step(5, exponent - 1);
                case 2 -> new Step(1, exponent);
                default -> new Step(2, exponent);
            };
        }

        /** The next larger step in the 1, 2, 5 sequence. */
        Step larger() {
            return switch (mantissa) {
                case 1 -> new Step(2, exponent);
                case 2 -> new Step(5, exponent);
                default -> new Step(1, exponent + 1);
            };
        }

        double at(long k) {
            double v = scaled((double) k * mantissa, exponent);
            return v == 0 ? 0.0 : v; // no "-0" labels
        }
    }

    @Override
    public String toString() {
        return (log ? "log" : "linear") + " axis [" + lo + ", " + hi + "] ticks " + String.join(" ", tickLabels);
    }
}
