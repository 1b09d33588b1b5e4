package io.flambeau.backend.cuda;

/**
 * The natural logarithm as straight-line PTX, one generator for both widths: fdlibm's
 * {@code log(1+f) = f - hf + s(hf + R)} with {@code s = f/(2+f)}, m in [sqrt(1/2), sqrt(2)), and
 * {@code log x = k ln2 + log m} with ln2 split in two. Subnormal arguments are scaled into the
 * normal range first. The widths differ only in their IEEE format and in the length of the
 * polynomial R (5 terms for f32, 11 for f64).
 */
final class PtxLog {
    private PtxLog() {}

    /** The IEEE format of a width and the constants the algorithm takes from it. */
    enum Width {
        F32("f32", "b32", "u32", "s32", 23, 255, 127, 23, 5, Float.intBitsToFloat(0x3f317180),
                Float.intBitsToFloat(0x3717f7d1), Float.floatToRawIntBits((float) Math.sqrt(2))),
        F64("f64", "b64", "u64", "s64", 52, 2047, 1023, 54, 11, Double.longBitsToDouble(0x3FE62E42FEE00000L),
                Double.longBitsToDouble(0x3DEA39EF35793C76L), Double.doubleToRawLongBits(Double.longBitsToDouble(0x3FF6A09E667F3BCDL)));

        final String f, b, u, s;
        final int mantissaBits, exponentMask, bias, subnormalScaleBits, terms;
        final double ln2Hi, ln2Lo;
        /** Bit pattern of the largest m kept below sqrt(2) (above it, m is halved and k raised). */
        final long sqrt2Bits;

        Width(String f, String b, String u, String s, int mantissaBits, int exponentMask, int bias, int subnormalScaleBits,
              int terms, double ln2Hi, double ln2Lo, long sqrt2Bits) {
            this.f = f;
            this.b = b;
            this.u = u;
            this.s = s;
            this.mantissaBits = mantissaBits;
            this.exponentMask = exponentMask;
            this.bias = bias;
            this.subnormalScaleBits = subnormalScaleBits;
            this.terms = terms;
            this.ln2Hi = ln2Hi;
            this.ln2Lo = ln2Lo;
            this.sqrt2Bits = sqrt2Bits;
        }

        /** The PTX literal of {@code v} in this width (rounded to float for f32). */
        String lit(double v) { return this == F32 ? PtxBuilder.f32((float) v) : PtxBuilder.f64(v); }

        /** An integer constant as hex with this width's digits. */
        String hex(long v) { return String.format(java.util.Locale.ROOT, this == F32 ? "0x%08X" : "0x%016X", v); }

        String floatReg(PtxBuilder b) { return this == F32 ? b.f32() : b.f64(); }

        String bitsReg(PtxBuilder b) { return this == F32 ? b.b32() : b.b64(); }

        String horner(PtxBuilder b, String x, double[] c) {
            return this == F32 ? PtxMath32.horner(b, x, c) : PtxMath64.horner(b, x, c);
        }

        String nanPassthrough(PtxBuilder b, String x, String v) {
            return this == F32 ? PtxMath32.nanPassthrough(b, x, v) : PtxMath64.nanPassthrough(b, x, v);
        }
    }

    static String log(PtxBuilder b, String x, Width w) {
        String f = w.f;
        long one = (long) w.bias << w.mantissaBits, unit = 1L << w.mantissaBits;
        String sub = b.pred(), xs = w.floatReg(b), scaled = w.floatReg(b), eadj = w.bitsReg(b);
        b.ins("setp.lt.%s %s, %s, %s", f, sub, x, w.lit(Math.scalb(1.0, 1 - w.bias))); // subnormal (or negative: fixed below)
        b.ins("mul.rn.%s %s, %s, %s", f, scaled, x, w.lit(Math.scalb(1.0, w.subnormalScaleBits)));
        b.ins("selp.%s %s, %s, %s, %s", f, xs, scaled, x, sub);
        b.ins("selp.%s %s, %d, 0, %s", w.b, eadj, -w.subnormalScaleBits, sub);
        String bits = w.bitsReg(b), e = w.bitsReg(b), mb = w.bitsReg(b), big = b.pred(), mbLow = w.bitsReg(b), ebig = w.bitsReg(b);
        b.ins("mov.%s %s, %s", w.b, bits, xs);
        b.ins("shr.%s %s, %s, %d", w.u, e, bits, w.mantissaBits);
        b.ins("and.%s %s, %s, %d", w.b, e, e, w.exponentMask);
        b.ins("add.%s %s, %s, %d", w.s, e, e, -w.bias);
        b.ins("add.%s %s, %s, %s", w.s, e, e, eadj);
        b.ins("and.%s %s, %s, %s", w.b, mb, bits, w.hex(unit - 1));
        b.ins("or.%s %s, %s, %s", w.b, mb, mb, w.hex(one));
        b.ins("setp.gt.%s %s, %s, %s", w.u, big, mb, w.hex(w.sqrt2Bits));
        b.ins("sub.%s %s, %s, %s", w.s, mbLow, mb, w.hex(unit)); // m / 2
        b.ins("selp.%s %s, %s, %s, %s", w.b, mb, mbLow, mb, big);
        b.ins("add.%s %s, %s, 1", w.s, ebig, e);
        b.ins("selp.%s %s, %s, %s, %s", w.b, e, ebig, e, big);
        String m = w.floatReg(b), fr = w.floatReg(b), den = w.floatReg(b), s = w.floatReg(b), z = w.floatReg(b);
        b.ins("mov.%s %s, %s", w.b, m, mb);
        b.ins("sub.rn.%s %s, %s, %s", f, fr, m, w.lit(1));
        b.ins("add.rn.%s %s, %s, %s", f, den, fr, w.lit(2));
        b.ins("div.rn.%s %s, %s, %s", f, s, fr, den);
        b.ins("mul.rn.%s %s, %s, %s", f, z, s, s);
        double[] c = new double[w.terms];
        for (int k = w.terms; k >= 1; k--) c[w.terms - k] = 2.0 / (2 * k + 1);
        String rpoly = w.horner(b, z, c);
        String r = w.floatReg(b), hf = w.floatReg(b), dk = w.floatReg(b), u = w.floatReg(b), res = w.floatReg(b);
        b.ins("mul.rn.%s %s, %s, %s", f, r, rpoly, z);
        b.ins("mul.rn.%s %s, %s, %s", f, hf, fr, fr);
        b.ins("mul.rn.%s %s, %s, %s", f, hf, hf, w.lit(0.5));
        b.ins("cvt.rn.%s.%s %s, %s", f, w.s, dk, e);
        // log = dk*ln2_hi - ((hf - (s*(hf+R) + dk*ln2_lo)) - f)
        b.ins("add.rn.%s %s, %s, %s", f, u, hf, r);
        b.ins("mul.rn.%s %s, %s, %s", f, u, s, u);
        b.ins("fma.rn.%s %s, %s, %s, %s", f, u, dk, w.lit(w.ln2Lo), u);
        b.ins("sub.rn.%s %s, %s, %s", f, u, hf, u);
        b.ins("sub.rn.%s %s, %s, %s", f, u, u, fr);
        b.ins("neg.%s %s, %s", f, u, u);
        b.ins("fma.rn.%s %s, %s, %s, %s", f, res, dk, w.lit(w.ln2Hi), u);
        return specials(b, x, res, w);
    }

    /** 0 → -inf, negative → NaN, +inf → +inf, NaN → NaN. */
    private static String specials(PtxBuilder b, String x, String v, Width w) {
        String f = w.f, p = b.pred(), r1 = w.floatReg(b), r2 = w.floatReg(b), r3 = w.floatReg(b);
        String inf = w.lit(Double.POSITIVE_INFINITY);
        b.ins("setp.eq.%s %s, %s, %s", f, p, x, w.lit(0));
        b.ins("selp.%s %s, %s, %s, %s", f, r1, w.lit(Double.NEGATIVE_INFINITY), v, p);
        b.ins("setp.lt.%s %s, %s, %s", f, p, x, w.lit(0));
        b.ins("selp.%s %s, %s, %s, %s", f, r2, w == Width.F32 ? "0fFFC00000" : "0dFFF8000000000000", r1, p);
        b.ins("setp.eq.%s %s, %s, %s", f, p, x, inf);
        b.ins("selp.%s %s, %s, %s, %s", f, r3, inf, r2, p);
        return w.nanPassthrough(b, x, r3);
    }
}
