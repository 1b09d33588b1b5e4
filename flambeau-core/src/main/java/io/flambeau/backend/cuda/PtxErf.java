package io.flambeau.backend.cuda;

import static io.flambeau.backend.cuda.PtxBuilder.f64;

import io.flambeau.backend.Erf;

/**
 * The error function in f64 PTX: the algorithm and coefficients of the CPU's {@link Erf} (fdlibm's),
 * with the same order of roundings (multiply, then add: no fma), so the two devices differ only
 * where their {@code exp} does. Every interval is computed and the right one selected: no branches.
 */
final class PtxErf {
    private PtxErf() {}

    static String erf(PtxBuilder b, String x) {
        String ax = b.f64(), z = b.f64();
        b.ins("abs.f64 %s, %s", ax, x);
        b.ins("mul.rn.f64 %s, %s, %s", z, x, x);
        // |x| < 0.84375: x + x P(z)/Q(z); below 2^-28, x + efx x
        String small = b.f64(), tiny = b.f64();
        b.ins("div.rn.f64 %s, %s, %s", small, poly(b, Erf.PP, z, false), poly(b, Erf.QQ, z, true));
        b.ins("mul.rn.f64 %s, %s, %s", small, x, small);
        b.ins("add.rn.f64 %s, %s, %s", small, x, small);
        b.ins("mul.rn.f64 %s, %s, %s", tiny, x, f64(Erf.EFX));
        b.ins("add.rn.f64 %s, %s, %s", tiny, x, tiny);
        // [0.84375, 1.25): erx + P(s)/Q(s), s = |x| - 1
        String s = b.f64(), mid = b.f64();
        b.ins("sub.rn.f64 %s, %s, 0d3FF0000000000000", s, ax);
        b.ins("div.rn.f64 %s, %s, %s", mid, poly(b, Erf.PA, s, false), poly(b, Erf.QA, s, true));
        b.ins("add.rn.f64 %s, %s, %s", mid, f64(Erf.ERX), mid);
        // [1.25, 6): 1 - exp(-t^2 - 0.5625) exp((t - |x|)(t + |x|) + R/S) / |x|, t = |x| with its low word cleared
        String w = b.f64(), ra = b.f64(), rb = b.f64(), near = b.pred(), ratio = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", w, ax, ax);
        b.ins("rcp.rn.f64 %s, %s", w, w);
        b.ins("div.rn.f64 %s, %s, %s", ra, poly(b, Erf.RA, w, false), poly(b, Erf.SA, w, true));
        b.ins("div.rn.f64 %s, %s, %s", rb, poly(b, Erf.RB, w, false), poly(b, Erf.SB, w, true));
        b.ins("setp.lt.f64 %s, %s, %s", near, ax, f64(1 / 0.35));
        b.ins("selp.f64 %s, %s, %s, %s", ratio, ra, rb, near);
        String bits = b.b64(), t = b.f64(), a1 = b.f64(), d = b.f64(), su = b.f64(), a2 = b.f64();
        b.ins("mov.b64 %s, %s", bits, ax);
        b.ins("and.b64 %s, %s, 0xFFFFFFFF00000000", bits, bits);
        b.ins("mov.b64 %s, %s", t, bits);
        b.ins("mul.rn.f64 %s, %s, %s", a1, t, t);
        b.ins("neg.f64 %s, %s", a1, a1);
        b.ins("sub.rn.f64 %s, %s, 0d3FE2000000000000", a1, a1); // - 0.5625
        b.ins("sub.rn.f64 %s, %s, %s", d, t, ax);
        b.ins("add.rn.f64 %s, %s, %s", su, t, ax);
        b.ins("mul.rn.f64 %s, %s, %s", a2, d, su);
        b.ins("add.rn.f64 %s, %s, %s", a2, a2, ratio);
        String e1 = PtxMath64.exp(b, a1), e2 = PtxMath64.exp(b, a2), tail = b.f64();
        b.ins("mul.rn.f64 %s, %s, %s", tail, e1, e2);
        b.ins("div.rn.f64 %s, %s, %s", tail, tail, ax);
        b.ins("sub.rn.f64 %s, 0d3FF0000000000000, %s", tail, tail);
        // pick the interval; beyond 6 (and for infinities) the value is ±1
        String p = b.pred(), r1 = b.f64(), r2 = b.f64(), r3 = b.f64(), r4 = b.f64();
        b.ins("setp.lt.f64 %s, %s, 0d4018000000000000", p, ax); // 6
        b.ins("selp.f64 %s, %s, 0d3FF0000000000000, %s", r1, tail, p);
        b.ins("setp.lt.f64 %s, %s, 0d3FF4000000000000", p, ax); // 1.25
        b.ins("selp.f64 %s, %s, %s, %s", r2, mid, r1, p);
        String signed = PtxMath64.withSignOf(b, r2, x);
        b.ins("setp.lt.f64 %s, %s, 0d3FEB000000000000", p, ax); // 0.84375
        b.ins("selp.f64 %s, %s, %s, %s", r3, small, signed, p);
        b.ins("setp.lt.f64 %s, %s, 0d3E30000000000000", p, ax); // 2^-28
        b.ins("selp.f64 %s, %s, %s, %s", r4, tiny, r3, p);
        return PtxMath64.nanPassthrough(b, x, r4);
    }

    /** {@code c[0] + c[1] t + ...} (with a leading 1 first when {@code leadingOne}), as {@link Erf}'s: mul then add. */
    private static String poly(PtxBuilder b, double[] c, String t, boolean leadingOne) {
        String acc = b.f64();
        b.ins("mov.f64 %s, %s", acc, f64(c[c.length - 1]));
        for (int i = c.length - 2; i >= 0; i--) {
            b.ins("mul.rn.f64 %s, %s, %s", acc, acc, t);
            b.ins("add.rn.f64 %s, %s, %s", acc, acc, f64(c[i]));
        }
        if (leadingOne) {
            b.ins("mul.rn.f64 %s, %s, %s", acc, acc, t);
            b.ins("add.rn.f64 %s, %s, 0d3FF0000000000000", acc, acc);
        }
        return acc;
    }
}
