package io.flambeau.backend.cuda;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static io.flambeau.backend.cuda.PtxBuilder.f64;

/**
 * Exact argument reduction by pi/2 for large doubles (Payne–Hanek), emitted as PTX for the sin/cos
 * routines when |x| &ge; 2^20, where the three-part constant of the fast path stops being exact.
 *
 * <p>With x = M 2^E (M the 53-bit significand), x 2/pi mod 4 only depends on the bits of 2/pi from
 * position E-1 on: earlier bits contribute multiples of 4, bits after a 192-bit window less than
 * 2^-138. So the kernel fetches that window from a table of 2/pi's bits, multiplies it by M in 64-bit
 * pieces ({@code mul.lo/hi.u64}), keeps the low 192 bits of the product, and reads the quadrant from
 * its top 2 bits and the fraction from the next 128, enough for the worst case of doubles close to a
 * multiple of pi/2 (about 2^-61 away). The fraction times pi/2 is formed in double-double arithmetic.
 */
final class PayneHanek {
    static final String TABLE = "flambeau_two_over_pi";
    /** Word j (j &ge; 1) holds the bits 64(j-1)+1 .. 64j after the binary point of 2/pi; word 0 is zero. */
    static final long[] WORDS = twoOverPiWords(21);
    static final double PIO2_HI = Math.PI / 2;
    static final double PIO2_LO = 6.123233995736766e-17; // pi/2 - PIO2_HI

    private PayneHanek() {}

    /** 2/pi to about 1500 bits, from Machin's formula pi = 16 atan(1/5) - 4 atan(1/239). */
    private static long[] twoOverPiWords(int count) {
        MathContext mc = new MathContext(480);
        BigDecimal pi = atanInverse(5, mc).multiply(BigDecimal.valueOf(16))
                .subtract(atanInverse(239, mc).multiply(BigDecimal.valueOf(4)));
        BigDecimal twoOverPi = BigDecimal.valueOf(2).divide(pi, mc);
        BigInteger bits = twoOverPi.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64 * (count - 1)))).toBigInteger();
        long[] w = new long[count];
        for (int j = 1; j < count; j++) w[j] = bits.shiftRight(64 * (count - 1 - j)).longValue();
        return w;
    }

    private static BigDecimal atanInverse(int x, MathContext mc) {
        BigDecimal bx = BigDecimal.valueOf(x), x2 = bx.multiply(bx);
        BigDecimal term = BigDecimal.ONE.divide(bx, mc), sum = term;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 1; ; k++) {
            term = term.divide(x2, mc);
            BigDecimal t = term.divide(BigDecimal.valueOf(2L * k + 1), mc);
            if (t.compareTo(epsilon) < 0) return sum;
            sum = (k & 1) == 1 ? sum.subtract(t) : sum.add(t);
        }
    }

    private static String tableDeclaration() {
        StringBuilder sb = new StringBuilder(".const .align 8 .u64 " + TABLE + "[" + WORDS.length + "] = {");
        for (int i = 0; i < WORDS.length; i++) sb.append(i == 0 ? "" : ", ").append(String.format("0x%016X", WORDS[i]));
        return sb.append("};").toString();
    }

    /**
     * Reduces finite {@code x} (|x| &ge; 2^20): returns {r, n} with x = n pi/2 + r, |r| &le; pi/4 (r f64,
     * n an s64 whose low two bits are the quadrant).
     */
    static String[] reduce(PtxBuilder b, String x) {
        b.moduleDecl(TABLE, tableDeclaration());
        String bits = b.b64(), ex = b.b64(), m = b.b64(), pos = b.b64(), q = b.b64(), base = b.b64();
        b.ins("mov.b64 %s, %s", bits, x);
        b.ins("shr.u64 %s, %s, 52", ex, bits);
        b.ins("and.b64 %s, %s, 2047", ex, ex);
        b.ins("and.b64 %s, %s, 0x000FFFFFFFFFFFFF", m, bits);
        b.ins("or.b64 %s, %s, 0x0010000000000000", m, m);
        // x = M 2^E with E = ex - 1075; the window starts at bit E - 1, i.e. table position E + 62
        b.ins("add.s64 %s, %s, -1013", pos, ex);
        b.ins("shr.u64 %s, %s, 6", q, pos);
        b.ins("shl.b64 %s, %s, 3", q, q);
        b.ins("mov.u64 %s, %s", base, TABLE);
        b.ins("add.s64 %s, %s, %s", base, base, q);
        String sh = b.b32(), back = b.b32(), lo32 = b.b32();
        b.ins("cvt.u32.u64 %s, %s", lo32, pos);
        b.ins("and.b32 %s, %s, 63", sh, lo32);
        b.ins("sub.s32 %s, 64, %s", back, sh); // 64 when sh = 0: shr then yields 0 (shift amounts clamp)
        String[] t = new String[4];
        for (int i = 0; i < 4; i++) {
            t[i] = b.b64();
            b.ins("ld.const.u64 %s, [%s+%d]", t[i], base, 8 * i);
        }
        String[] w = new String[3];
        for (int i = 0; i < 3; i++) {
            String hi = b.b64(), lo = b.b64();
            w[i] = b.b64();
            b.ins("shl.b64 %s, %s, %s", hi, t[i], sh);
            b.ins("shr.u64 %s, %s, %s", lo, t[i + 1], back);
            b.ins("or.b64 %s, %s, %s", w[i], hi, lo);
        }
        // low 192 bits of M * (w0:w1:w2)
        String l2 = b.b64(), h2 = b.b64(), l1 = b.b64(), h1 = b.b64(), l0 = b.b64(), r1 = b.b64(), r0 = b.b64();
        String carry = b.pred(), c = b.b64();
        b.ins("mul.lo.u64 %s, %s, %s", l2, m, w[2]);
        b.ins("mul.hi.u64 %s, %s, %s", h2, m, w[2]);
        b.ins("mul.lo.u64 %s, %s, %s", l1, m, w[1]);
        b.ins("mul.hi.u64 %s, %s, %s", h1, m, w[1]);
        b.ins("mul.lo.u64 %s, %s, %s", l0, m, w[0]);
        b.ins("add.s64 %s, %s, %s", r1, l1, h2);
        b.ins("setp.lt.u64 %s, %s, %s", carry, r1, l1);
        b.ins("selp.b64 %s, 1, 0, %s", c, carry);
        b.ins("add.s64 %s, %s, %s", r0, l0, h1);
        b.ins("add.s64 %s, %s, %s", r0, r0, c);
        // quadrant: top 2 bits; fraction: the next 128 bits, taken as signed so that |f| <= 1/2
        String n = b.b64(), f0 = b.b64(), f1 = b.b64(), tmp = b.b64(), half = b.pred(), n1 = b.b64();
        b.ins("shr.u64 %s, %s, 62", n, r0);
        b.ins("shl.b64 %s, %s, 2", f0, r0);
        b.ins("shr.u64 %s, %s, 62", tmp, r1);
        b.ins("or.b64 %s, %s, %s", f0, f0, tmp);
        b.ins("shl.b64 %s, %s, 2", f1, r1);
        b.ins("shr.u64 %s, %s, 62", tmp, l2);
        b.ins("or.b64 %s, %s, %s", f1, f1, tmp);
        b.ins("setp.lt.s64 %s, %s, 0", half, f0);
        b.ins("add.s64 %s, %s, 1", n1, n);
        b.ins("selp.b64 %s, %s, %s, %s", n, n1, n, half);
        // f = (f0 + f1 2^-64) 2^-64 as a double-double (d0 + lo) 2^-64
        String d0 = b.f64(), backI = b.b64(), err = b.b64(), errD = b.f64(), f1D = b.f64(), lo = b.f64();
        b.ins("cvt.rn.f64.s64 %s, %s", d0, f0);
        b.ins("cvt.rzi.s64.f64 %s, %s", backI, d0);
        b.ins("sub.s64 %s, %s, %s", err, f0, backI);
        b.ins("cvt.rn.f64.s64 %s, %s", errD, err);
        b.ins("cvt.rn.f64.u64 %s, %s", f1D, f1);
        b.ins("fma.rn.f64 %s, %s, 0d3BF0000000000000, %s", lo, f1D, errD); // f1 2^-64 + err
        String a = b.f64(), bb = b.f64(), rh = b.f64(), e = b.f64(), s = b.f64(), r = b.f64();
        b.ins("mul.rn.f64 %s, %s, 0d3BF0000000000000", a, d0); // 2^-64
        b.ins("mul.rn.f64 %s, %s, 0d3BF0000000000000", bb, lo);
        b.ins("mul.rn.f64 %s, %s, %s", rh, a, f64(PIO2_HI));
        b.ins("neg.f64 %s, %s", e, rh);
        b.ins("fma.rn.f64 %s, %s, %s, %s", e, a, f64(PIO2_HI), e); // exact error of rh
        b.ins("fma.rn.f64 %s, %s, %s, %s", s, a, f64(PIO2_LO), e);
        b.ins("fma.rn.f64 %s, %s, %s, %s", s, bb, f64(PIO2_HI), s);
        b.ins("add.rn.f64 %s, %s, %s", r, rh, s);
        // the table reduced |x|: for negative x, negate r and the quadrant
        String neg = b.pred(), nr = b.f64(), nn = b.b64(), rOut = b.f64(), nOut = b.b64();
        b.ins("setp.lt.s64 %s, %s, 0", neg, bits);
        b.ins("neg.f64 %s, %s", nr, r);
        b.ins("neg.s64 %s, %s", nn, n);
        b.ins("selp.f64 %s, %s, %s, %s", rOut, nr, r, neg);
        b.ins("selp.b64 %s, %s, %s, %s", nOut, nn, n, neg);
        return new String[] {rOut, nOut};
    }
}
