package io.flambeau.backend.cuda.sim;

import java.util.List;

/**
 * Bodies for {@link TestKernels#elementwise}: each exercises one family of instructions on the
 * per-element inputs {@code [%ia]}, {@code [%ib]} and stores results to {@code [%o+8k]}.
 */
final class SemanticsKernels {
    private SemanticsKernels() {}

    /** f32 input to integers with each integer rounding, and f32-to-f32 integer rounding. */
    static final String CVT_FROM_F32 = """
            ld.global.f32 %f1, [%ia];
            cvt.rni.s32.f32 %r1, %f1;
            st.global.s32 [%o], %r1;
            cvt.rzi.s32.f32 %r1, %f1;
            st.global.s32 [%o+8], %r1;
            cvt.rmi.s32.f32 %r1, %f1;
            st.global.s32 [%o+16], %r1;
            cvt.rpi.s32.f32 %r1, %f1;
            st.global.s32 [%o+24], %r1;
            cvt.rzi.u32.f32 %r1, %f1;
            st.global.u32 [%o+32], %r1;
            cvt.rzi.s64.f32 %rd1, %f1;
            st.global.s64 [%o+40], %rd1;
            cvt.rzi.u64.f32 %rd1, %f1;
            st.global.u64 [%o+48], %rd1;
            cvt.rzi.u8.f32 %r1, %f1;
            st.global.u32 [%o+56], %r1;
            cvt.rni.f32.f32 %f2, %f1;
            st.global.f32 [%o+64], %f2;
            cvt.rmi.f32.f32 %f2, %f1;
            st.global.f32 [%o+72], %f2;
            cvt.rpi.f32.f32 %f2, %f1;
            st.global.f32 [%o+80], %f2;
            cvt.rzi.f32.f32 %f2, %f1;
            st.global.f32 [%o+88], %f2;
            cvt.f64.f32 %fd1, %f1;
            st.global.f64 [%o+96], %fd1;
            cvt.rzi.s8.f32 %r1, %f1;
            st.global.s32 [%o+104], %r1;
            """;

    /** s32 input: integer widening/narrowing and int-to-float with each float rounding. */
    static final String CVT_FROM_S32 = """
            ld.global.s32 %r1, [%ia];
            cvt.s64.s32 %rd1, %r1;
            st.global.s64 [%o], %rd1;
            cvt.u64.u32 %rd1, %r1;
            st.global.u64 [%o+8], %rd1;
            cvt.s8.s32 %r2, %r1;
            st.global.s32 [%o+16], %r2;
            cvt.u8.s32 %r2, %r1;
            st.global.s32 [%o+24], %r2;
            cvt.sat.u8.s32 %r2, %r1;
            st.global.s32 [%o+32], %r2;
            cvt.sat.s16.s32 %r2, %r1;
            st.global.s32 [%o+40], %r2;
            cvt.rn.f32.s32 %f1, %r1;
            st.global.f32 [%o+48], %f1;
            cvt.rz.f32.s32 %f1, %r1;
            st.global.f32 [%o+56], %f1;
            cvt.rm.f32.s32 %f1, %r1;
            st.global.f32 [%o+64], %f1;
            cvt.rp.f32.s32 %f1, %r1;
            st.global.f32 [%o+72], %f1;
            cvt.rn.f32.u32 %f1, %r1;
            st.global.f32 [%o+80], %f1;
            cvt.rn.f64.s32 %fd1, %r1;
            st.global.f64 [%o+88], %fd1;
            """;

    /** u64/s64 input to floats, and f64 input (slot b) to f32 with each rounding and to s64. */
    static final String CVT_64 = """
            ld.global.u64 %rd1, [%ia];
            cvt.rn.f32.u64 %f1, %rd1;
            st.global.f32 [%o], %f1;
            cvt.rn.f32.s64 %f1, %rd1;
            st.global.f32 [%o+8], %f1;
            cvt.rz.f64.u64 %fd1, %rd1;
            st.global.f64 [%o+16], %fd1;
            cvt.rp.f64.s64 %fd1, %rd1;
            st.global.f64 [%o+24], %fd1;
            ld.global.f64 %fd2, [%ib];
            cvt.rn.f32.f64 %f2, %fd2;
            st.global.f32 [%o+32], %f2;
            cvt.rz.f32.f64 %f2, %fd2;
            st.global.f32 [%o+40], %f2;
            cvt.rm.f32.f64 %f2, %fd2;
            st.global.f32 [%o+48], %f2;
            cvt.rp.f32.f64 %f2, %fd2;
            st.global.f32 [%o+56], %f2;
            cvt.rni.s64.f64 %rd2, %fd2;
            st.global.s64 [%o+64], %rd2;
            """;

    /** setp on f32 pairs, ordered and unordered, stored as 0/1 words. */
    static final String SETP_F32 = """
            ld.global.f32 %f1, [%ia];
            ld.global.f32 %f2, [%ib];
            setp.eq.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o], %r1;
            setp.ne.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+8], %r1;
            setp.lt.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+16], %r1;
            setp.ge.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+24], %r1;
            setp.equ.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+32], %r1;
            setp.neu.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+40], %r1;
            setp.ltu.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+48], %r1;
            setp.geu.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+56], %r1;
            setp.num.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+64], %r1;
            setp.nan.f32 %p1, %f1, %f2;
            selp.u32 %r1, 1, 0, %p1;
            st.global.u32 [%o+72], %r1;
            setp.le.f32 %p1|%p2, %f1, %f2;
            selp.u32 %r1, 1, 0, %p2;
            st.global.u32 [%o+80], %r1;
            setp.gt.and.f32 %p3, %f1, %f2, !%p1;
            selp.u32 %r1, 1, 0, %p3;
            st.global.u32 [%o+88], %r1;
            """;

    /** min/max on f32 (NaN rule, signed zeros), relu via setp+selp keeping NaN. */
    static final String MINMAX_F32 = """
            ld.global.f32 %f1, [%ia];
            ld.global.f32 %f2, [%ib];
            min.f32 %f3, %f1, %f2;
            st.global.f32 [%o], %f3;
            max.f32 %f3, %f1, %f2;
            st.global.f32 [%o+8], %f3;
            max.f32 %f3, %f1, 0f00000000;
            st.global.f32 [%o+16], %f3;
            setp.le.f32 %p1, %f1, 0f00000000;
            selp.f32 %f3, 0f00000000, %f1, %p1;
            st.global.f32 [%o+24], %f3;
            min.f64 %fd3, 0d7FF8000000000000, 0d3FF0000000000000;
            st.global.f64 [%o+32], %fd3;
            """;

    /** Integer ops on s32/u32 pairs: widths, signedness, clamped shifts, saturation. */
    static final String INT_OPS = """
            ld.global.u32 %r1, [%ia];
            ld.global.u32 %r2, [%ib];
            mul.hi.s32 %r3, %r1, %r2;
            st.global.u32 [%o], %r3;
            mul.hi.u32 %r3, %r1, %r2;
            st.global.u32 [%o+8], %r3;
            mul.wide.s32 %rd1, %r1, %r2;
            st.global.u64 [%o+16], %rd1;
            mul.wide.u32 %rd1, %r1, %r2;
            st.global.u64 [%o+24], %rd1;
            min.s32 %r3, %r1, %r2;
            st.global.u32 [%o+32], %r3;
            min.u32 %r3, %r1, %r2;
            st.global.u32 [%o+40], %r3;
            shl.b32 %r3, %r1, %r2;
            st.global.u32 [%o+48], %r3;
            shr.u32 %r3, %r1, %r2;
            st.global.u32 [%o+56], %r3;
            shr.s32 %r3, %r1, %r2;
            st.global.u32 [%o+64], %r3;
            add.sat.s32 %r3, %r1, %r2;
            st.global.u32 [%o+72], %r3;
            setp.lt.s32 %p1, %r1, %r2;
            setp.lt.u32 %p2, %r1, %r2;
            selp.u32 %r3, 1, 0, %p1;
            selp.u32 %r4, 2, 0, %p2;
            or.b32 %r3, %r3, %r4;
            st.global.u32 [%o+80], %r3;
            popc.b32 %r3, %r1;
            st.global.u32 [%o+88], %r3;
            clz.b32 %r3, %r1;
            st.global.u32 [%o+96], %r3;
            brev.b32 %r3, %r1;
            st.global.u32 [%o+104], %r3;
            abs.s32 %r3, %r1;
            st.global.u32 [%o+112], %r3;
            mad.lo.s32 %r3, %r1, %r2, 7;
            st.global.u32 [%o+120], %r3;
            """;

    /** Integer division and remainder, signed (C truncation) and unsigned; divisor slot b non-zero. */
    static final String DIV_REM = """
            ld.global.s32 %r1, [%ia];
            ld.global.s32 %r2, [%ib];
            div.s32 %r3, %r1, %r2;
            st.global.s32 [%o], %r3;
            rem.s32 %r3, %r1, %r2;
            st.global.s32 [%o+8], %r3;
            div.u32 %r3, %r1, %r2;
            st.global.u32 [%o+16], %r3;
            rem.u32 %r3, %r1, %r2;
            st.global.u32 [%o+24], %r3;
            cvt.s64.s32 %rd1, %r1;
            cvt.s64.s32 %rd2, %r2;
            div.s64 %rd3, %rd1, %rd2;
            st.global.s64 [%o+32], %rd3;
            div.u64 %rd3, %rd1, %rd2;
            st.global.u64 [%o+40], %rd3;
            """;

    /** f32 arithmetic with each rounding mode, ftz, sat, fma vs mul+add, copysign, testp. */
    static final String FLOAT_F32 = """
            ld.global.f32 %f1, [%ia];
            ld.global.f32 %f2, [%ib];
            add.rn.f32 %f3, %f1, %f2;
            st.global.f32 [%o], %f3;
            add.rz.f32 %f3, %f1, %f2;
            st.global.f32 [%o+8], %f3;
            add.rm.f32 %f3, %f1, %f2;
            st.global.f32 [%o+16], %f3;
            add.rp.f32 %f3, %f1, %f2;
            st.global.f32 [%o+24], %f3;
            mul.rz.f32 %f3, %f1, %f2;
            st.global.f32 [%o+32], %f3;
            div.rn.f32 %f3, %f1, %f2;
            st.global.f32 [%o+40], %f3;
            div.rz.f32 %f3, %f1, %f2;
            st.global.f32 [%o+48], %f3;
            fma.rn.f32 %f3, %f1, %f2, %f1;
            st.global.f32 [%o+56], %f3;
            add.ftz.rn.f32 %f3, %f1, %f2;
            st.global.f32 [%o+64], %f3;
            add.sat.rn.f32 %f3, %f1, %f2;
            st.global.f32 [%o+72], %f3;
            copysign.f32 %f3, %f1, %f2;
            st.global.f32 [%o+80], %f3;
            testp.subnormal.f32 %p1, %f1;
            testp.infinite.f32 %p2, %f1;
            selp.u32 %r1, 1, 0, %p1;
            selp.u32 %r2, 2, 0, %p2;
            or.b32 %r1, %r1, %r2;
            st.global.u32 [%o+88], %r1;
            sqrt.rn.f32 %f3, %f1;
            st.global.f32 [%o+96], %f3;
            rcp.rn.f32 %f3, %f2;
            st.global.f32 [%o+104], %f3;
            abs.f32 %f3, %f1;
            st.global.f32 [%o+112], %f3;
            neg.f32 %f3, %f1;
            st.global.f32 [%o+120], %f3;
            """;

    /** .approx functions, checked with tolerances. */
    static final String APPROX_F32 = """
            ld.global.f32 %f1, [%ia];
            ex2.approx.f32 %f2, %f1;
            st.global.f32 [%o], %f2;
            lg2.approx.f32 %f2, %f1;
            st.global.f32 [%o+8], %f2;
            sin.approx.f32 %f2, %f1;
            st.global.f32 [%o+16], %f2;
            cos.approx.f32 %f2, %f1;
            st.global.f32 [%o+24], %f2;
            tanh.approx.f32 %f2, %f1;
            st.global.f32 [%o+32], %f2;
            rsqrt.approx.f32 %f2, %f1;
            st.global.f32 [%o+40], %f2;
            rcp.approx.ftz.f32 %f2, %f1;
            st.global.f32 [%o+48], %f2;
            sqrt.approx.f32 %f2, %f1;
            st.global.f32 [%o+56], %f2;
            """;

    /** f64 arithmetic with directed rounding. */
    static final String FLOAT_F64 = """
            ld.global.f64 %fd1, [%ia];
            ld.global.f64 %fd2, [%ib];
            add.rn.f64 %fd3, %fd1, %fd2;
            st.global.f64 [%o], %fd3;
            add.rz.f64 %fd3, %fd1, %fd2;
            st.global.f64 [%o+8], %fd3;
            add.rp.f64 %fd3, %fd1, %fd2;
            st.global.f64 [%o+16], %fd3;
            mul.rm.f64 %fd3, %fd1, %fd2;
            st.global.f64 [%o+24], %fd3;
            div.rn.f64 %fd3, %fd1, %fd2;
            st.global.f64 [%o+32], %fd3;
            fma.rn.f64 %fd3, %fd1, %fd2, %fd1;
            st.global.f64 [%o+40], %fd3;
            sqrt.rn.f64 %fd3, %fd1;
            st.global.f64 [%o+48], %fd3;
            """;

    /** 8- and 16-bit loads with sign/zero extension, byte stores, 64-bit pack/unpack. */
    static final String WIDTHS = """
            ld.global.u8 %r1, [%ia];
            st.global.u32 [%o], %r1;
            ld.global.s8 %r1, [%ia];
            st.global.s32 [%o+8], %r1;
            ld.global.s16 %r1, [%ia];
            st.global.s32 [%o+16], %r1;
            ld.global.u32 %rd1, [%ia];
            st.global.u64 [%o+24], %rd1;
            ld.global.s32 %rd1, [%ia];
            st.global.u64 [%o+32], %rd1;
            ld.global.b64 %rd2, [%ia];
            mov.b64 {%r2, %r3}, %rd2;
            mov.b64 %rd3, {%r3, %r2};
            st.global.u64 [%o+40], %rd3;
            st.global.u64 [%o+48], 0;
            st.global.u8 [%o+48], %r1;
            """;

    /**
     * Divergent if/else, then a full-warp shuffle after the join: threads must reconverge first.
     * y = x < 0 ? -x : x + 1, then out = y + (y of lane ^ 1).
     */
    static final String RECONVERGE = """
            ld.global.f32 %f1, [%ia];
            setp.lt.f32 %p1, %f1, 0f00000000;
            @%p1 bra NEGATIVE;
            add.rn.f32 %f2, %f1, 0f3F800000;
            bra.uni JOIN;
            NEGATIVE:
            neg.f32 %f2, %f1;
            JOIN:
            mov.b32 %r1, %f2;
            shfl.sync.bfly.b32 %r2, %r1, 1, 31, -1;
            mov.b32 %f3, %r2;
            add.rn.f32 %f4, %f2, %f3;
            st.global.f32 [%o], %f4;
            """;

    static final List<String> BODIES = List.of(RECONVERGE, CVT_FROM_F32, CVT_FROM_S32, CVT_64, SETP_F32, MINMAX_F32, INT_OPS,
            DIV_REM, FLOAT_F32, APPROX_F32, FLOAT_F64, WIDTHS);
}
