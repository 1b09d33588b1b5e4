package io.flambeau.backend.cuda.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written PTX kernels the simulator tests run. Every kernel here is valid PTX for sm_75 and
 * sm_90 ({@link PtxasValidationTest} assembles each with ptxas); kernels meant to be refused at load
 * live in the tests that refuse them.
 */
final class TestKernels {
    static final String HEADER = ".version 7.0\n.target sm_75\n.address_size 64\n\n";

    private TestKernels() {}

    /** c[i] = a[i] + b[i], grid-stride loop with 64-bit i, n and stride. */
    static final String VADD = HEADER + """
            .visible .entry vadd(.param .u64 a, .param .u64 b, .param .u64 c, .param .u64 n)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<5>;
                .reg .f32 %f<4>;
                .reg .b64 %rd<12>;

                ld.param.u64 %rd1, [a];
                ld.param.u64 %rd2, [b];
                ld.param.u64 %rd3, [c];
                ld.param.u64 %rd4, [n];
                cvta.to.global.u64 %rd1, %rd1;
                cvta.to.global.u64 %rd2, %rd2;
                cvta.to.global.u64 %rd3, %rd3;
                mov.u32 %r1, %ctaid.x;
                mov.u32 %r2, %ntid.x;
                mov.u32 %r3, %tid.x;
                mov.u32 %r4, %nctaid.x;
                mul.wide.u32 %rd5, %r1, %r2;
                cvt.u64.u32 %rd6, %r3;
                add.s64 %rd5, %rd5, %rd6;
                mul.wide.u32 %rd7, %r4, %r2;
            LOOP:
                setp.ge.u64 %p1, %rd5, %rd4;
                @%p1 bra DONE;
                shl.b64 %rd8, %rd5, 2;
                add.s64 %rd9, %rd1, %rd8;
                add.s64 %rd10, %rd2, %rd8;
                ld.global.nc.f32 %f1, [%rd9];
                ld.global.nc.f32 %f2, [%rd10];
                add.rn.f32 %f3, %f1, %f2;
                add.s64 %rd11, %rd3, %rd8;
                st.global.f32 [%rd11], %f3;
                add.s64 %rd5, %rd5, %rd7;
                bra.uni LOOP;
            DONE:
                ret;
            }
            """;

    /** partial[block] = sum of the block's 256 elements, shared-memory tree with bar.sync. */
    static final String BLOCK_SUM = blockSum("block_sum", true);

    /** BLOCK_SUM without the bar.sync between storing to and reading from shared memory. */
    static final String BLOCK_SUM_RACY = blockSum("block_sum_racy", false);

    private static String blockSum(String name, boolean firstBarrier) {
        return HEADER + """
                .visible .entry NAME(.param .u64 in, .param .u64 partial, .param .u32 n)
                {
                    .reg .pred %p<4>;
                    .reg .b32 %r<12>;
                    .reg .f32 %f<4>;
                    .reg .b64 %rd<8>;
                    .shared .align 4 .f32 sdata[256];

                    ld.param.u64 %rd1, [in];
                    ld.param.u64 %rd2, [partial];
                    ld.param.u32 %r1, [n];
                    mov.u32 %r2, %tid.x;
                    mov.u32 %r3, %ctaid.x;
                    mov.u32 %r4, %ntid.x;
                    mad.lo.s32 %r5, %r3, %r4, %r2;
                    mov.f32 %f1, 0f00000000;
                    setp.ge.u32 %p1, %r5, %r1;
                    @%p1 bra STORE;
                    mul.wide.u32 %rd3, %r5, 4;
                    add.s64 %rd4, %rd1, %rd3;
                    ld.global.f32 %f1, [%rd4];
                STORE:
                    mov.u32 %r6, sdata;
                    shl.b32 %r7, %r2, 2;
                    add.s32 %r8, %r6, %r7;
                    st.shared.f32 [%r8], %f1;
                    BARRIER
                    shr.u32 %r9, %r4, 1;
                LOOP:
                    setp.eq.s32 %p2, %r9, 0;
                    @%p2 bra DONE;
                    setp.ge.u32 %p3, %r2, %r9;
                    @%p3 bra SKIP;
                    shl.b32 %r10, %r9, 2;
                    add.s32 %r11, %r8, %r10;
                    ld.shared.f32 %f2, [%r11];
                    ld.shared.f32 %f3, [%r8];
                    add.rn.f32 %f3, %f3, %f2;
                    st.shared.f32 [%r8], %f3;
                SKIP:
                    bar.sync 0;
                    shr.u32 %r9, %r9, 1;
                    bra.uni LOOP;
                DONE:
                    setp.ne.s32 %p2, %r2, 0;
                    @%p2 bra END;
                    ld.shared.f32 %f1, [sdata];
                    mul.wide.u32 %rd5, %r3, 4;
                    add.s64 %rd6, %rd2, %rd5;
                    st.global.f32 [%rd6], %f1;
                END:
                    ret;
                }
                """.replace("NAME", name).replace("BARRIER", firstBarrier ? "bar.sync 0;" : "// no barrier");
    }

    /**
     * Global and shared atomics: tickets[i] = atom.add.u32 on a counter (a permutation of 0..n-1),
     * fsum += 1.0 (red.add.f32), max/min of i, cas that only the first thread wins, a shared
     * histogram of i % 8 flushed with red.global.add.u32.
     */
    static final String ATOMICS = HEADER + """
            .visible .entry atomics(.param .u64 counters, .param .u64 tickets, .param .u64 hist, .param .u32 n)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<16>;
                .reg .f32 %f<2>;
                .reg .b64 %rd<10>;
                .shared .align 4 .u32 bins[8];

                ld.param.u64 %rd1, [counters];
                ld.param.u64 %rd2, [tickets];
                ld.param.u64 %rd3, [hist];
                ld.param.u32 %r1, [n];
                mov.u32 %r2, %tid.x;
                mov.u32 %r3, %ctaid.x;
                mov.u32 %r4, %ntid.x;
                mad.lo.s32 %r5, %r3, %r4, %r2;
                setp.lt.u32 %p1, %r2, 8;
                mov.u32 %r6, bins;
                shl.b32 %r7, %r2, 2;
                add.s32 %r8, %r6, %r7;
                @%p1 st.shared.u32 [%r8], 0;
                bar.sync 0;
                setp.ge.u32 %p2, %r5, %r1;
                @%p2 bra FLUSH;
                atom.global.add.u32 %r9, [%rd1], 1;
                mul.wide.u32 %rd4, %r5, 4;
                add.s64 %rd5, %rd2, %rd4;
                st.global.u32 [%rd5], %r9;
                mov.f32 %f1, 0f3F800000;
                red.global.add.f32 [%rd1+4], %f1;
                atom.global.max.s32 %r10, [%rd1+8], %r5;
                neg.s32 %r11, %r5;
                atom.global.min.s32 %r10, [%rd1+12], %r11;
                add.s32 %r12, %r5, 1;
                atom.global.cas.b32 %r10, [%rd1+16], 0, %r12;
                and.b32 %r13, %r5, 7;
                shl.b32 %r13, %r13, 2;
                add.s32 %r14, %r6, %r13;
                atom.shared.add.u32 %r10, [%r14], 1;
            FLUSH:
                bar.sync 0;
                @!%p1 bra END;
                ld.shared.u32 %r15, [%r8];
                mul.wide.u32 %rd6, %r2, 4;
                add.s64 %rd7, %rd3, %rd6;
                red.global.add.u32 [%rd7], %r15;
            END:
                ret;
            }
            """;

    /** 64-bit, f64, exch, inc/dec, or and cas atomics on fixed slots; see the test for the results. */
    static final String ATOMICS_64 = HEADER + """
            .visible .entry atomics64(.param .u64 slots, .param .u32 n)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<8>;
                .reg .b64 %rd<8>;
                .reg .f64 %fd<2>;

                ld.param.u64 %rd1, [slots];
                ld.param.u32 %r1, [n];
                mov.u32 %r2, %tid.x;
                setp.ge.u32 %p1, %r2, %r1;
                @%p1 bra END;
                cvt.u64.u32 %rd2, %r2;
                atom.global.add.u64 %rd3, [%rd1], %rd2;
                cvt.rn.f64.u32 %fd1, %r2;
                red.global.add.f64 [%rd1+8], %fd1;
                atom.global.max.u64 %rd3, [%rd1+16], %rd2;
                atom.global.exch.b64 %rd3, [%rd1+24], %rd2;
                atom.global.inc.u32 %r3, [%rd1+32], 3;
                atom.global.dec.u32 %r3, [%rd1+36], 5;
                and.b32 %r4, %r2, 31;
                shl.b32 %r5, 1, %r4;
                atom.global.or.b32 %r3, [%rd1+40], %r5;
                add.s64 %rd4, %rd2, 1;
                atom.global.cas.b64 %rd5, [%rd1+48], 0, %rd4;
            END:
                ret;
            }
            """;

    /**
     * Divergent control flow: steps[i] = number of Collatz steps from i+1 to 1 (a data-dependent
     * loop), and piece[i] = x < 0 ? -2x : (x > 10 ? 10 : x) with predicated instructions.
     */
    static final String BRANCHES = HEADER + """
            .visible .entry branches(.param .u64 xs, .param .u64 steps, .param .u64 piece, .param .u32 n)
            {
                .reg .pred %p<6>;
                .reg .b32 %r<12>;
                .reg .f32 %f<6>;
                .reg .b64 %rd<10>;

                ld.param.u32 %r1, [n];
                mov.u32 %r2, %tid.x;
                mov.u32 %r3, %ctaid.x;
                mov.u32 %r4, %ntid.x;
                mad.lo.s32 %r5, %r3, %r4, %r2;
                setp.ge.u32 %p1, %r5, %r1;
                @%p1 bra END;
                add.s32 %r6, %r5, 1;
                mov.u32 %r7, 0;
            COLLATZ:
                setp.eq.s32 %p2, %r6, 1;
                @%p2 bra COLLATZ_DONE;
                and.b32 %r8, %r6, 1;
                setp.eq.s32 %p3, %r8, 0;
                @%p3 shr.u32 %r6, %r6, 1;
                @!%p3 mad.lo.s32 %r6, %r6, 3, 1;
                add.s32 %r7, %r7, 1;
                bra.uni COLLATZ;
            COLLATZ_DONE:
                ld.param.u64 %rd1, [steps];
                mul.wide.u32 %rd2, %r5, 4;
                add.s64 %rd3, %rd1, %rd2;
                st.global.u32 [%rd3], %r7;
                ld.param.u64 %rd4, [xs];
                add.s64 %rd5, %rd4, %rd2;
                ld.global.f32 %f1, [%rd5];
                setp.lt.f32 %p4, %f1, 0f00000000;
                setp.gt.f32 %p5, %f1, 0f41200000;
                mov.f32 %f2, %f1;
                @%p4 mul.rn.f32 %f2, %f1, 0fC0000000;
                @%p5 mov.f32 %f2, 0f41200000;
                ld.param.u64 %rd6, [piece];
                add.s64 %rd7, %rd6, %rd2;
                st.global.f32 [%rd7], %f2;
            END:
                ret;
            }
            """;

    /** out[warp] = sum of the warp's 32 values with shfl.sync.bfly; vote.ballot of x > 0 to ballots[warp]. */
    static final String WARP_SUM = HEADER + """
            .visible .entry warp_sum(.param .u64 in, .param .u64 out, .param .u64 ballots)
            {
                .reg .pred %p<3>;
                .reg .b32 %r<10>;
                .reg .f32 %f<4>;
                .reg .b64 %rd<8>;

                ld.param.u64 %rd1, [in];
                mov.u32 %r1, %tid.x;
                mov.u32 %r2, %ctaid.x;
                mov.u32 %r3, %ntid.x;
                mad.lo.s32 %r4, %r2, %r3, %r1;
                mul.wide.u32 %rd2, %r4, 4;
                add.s64 %rd3, %rd1, %rd2;
                ld.global.f32 %f1, [%rd3];
                setp.gt.f32 %p1, %f1, 0f00000000;
                vote.sync.ballot.b32 %r9, %p1, -1;
                mov.b32 %r5, %f1;
                shfl.sync.bfly.b32 %r6, %r5, 16, 31, -1;
                mov.b32 %f2, %r6;
                add.rn.f32 %f1, %f1, %f2;
                mov.b32 %r5, %f1;
                shfl.sync.bfly.b32 %r6, %r5, 8, 31, -1;
                mov.b32 %f2, %r6;
                add.rn.f32 %f1, %f1, %f2;
                mov.b32 %r5, %f1;
                shfl.sync.bfly.b32 %r6, %r5, 4, 31, -1;
                mov.b32 %f2, %r6;
                add.rn.f32 %f1, %f1, %f2;
                mov.b32 %r5, %f1;
                shfl.sync.bfly.b32 %r6, %r5, 2, 31, -1;
                mov.b32 %f2, %r6;
                add.rn.f32 %f1, %f1, %f2;
                mov.b32 %r5, %f1;
                shfl.sync.bfly.b32 %r6, %r5, 1, 31, -1;
                mov.b32 %f2, %r6;
                add.rn.f32 %f1, %f1, %f2;
                and.b32 %r7, %r4, 31;
                setp.ne.s32 %p2, %r7, 0;
                @%p2 bra END;
                shr.u32 %r8, %r4, 5;
                mul.wide.u32 %rd4, %r8, 4;
                ld.param.u64 %rd5, [out];
                add.s64 %rd6, %rd5, %rd4;
                st.global.f32 [%rd6], %f1;
                ld.param.u64 %rd5, [ballots];
                add.s64 %rd6, %rd5, %rd4;
                st.global.u32 [%rd6], %r9;
            END:
                ret;
            }
            """;

    /**
     * Features a backend leans on: a by-value .b8 struct parameter (shape and strides), a module
     * .global table and a .const table with initializers, dynamic shared memory, ld/st.v4 through a
     * generic (cvta) shared address, u8 bools. v = table[i % 4] * x[i * stride] (+1 if flags[i]);
     * out[i] = (v + v) * scale[1].
     */
    static final String FEATURES = HEADER + """
            .global .align 4 .f32 table[4] = {1.0, 2.0, 0f40400000, 4.0};
            .const .align 8 .f64 scale[2] = {0.5, 2.0};
            .extern .shared .align 16 .b8 dyn[];

            .visible .entry features(.param .u64 x, .param .u64 flags, .param .u64 out, .param .align 8 .b8 meta[16])
            {
                .reg .pred %p<3>;
                .reg .b16 %h<2>;
                .reg .b32 %r<12>;
                .reg .f32 %f<10>;
                .reg .f64 %fd<2>;
                .reg .b64 %rd<16>;

                ld.param.u64 %rd1, [meta];
                ld.param.u64 %rd2, [meta+8];
                mov.u32 %r1, %tid.x;
                cvt.u64.u32 %rd3, %r1;
                setp.ge.u64 %p1, %rd3, %rd1;
                @%p1 bra END;
                mul.lo.s64 %rd4, %rd3, %rd2;
                shl.b64 %rd4, %rd4, 2;
                ld.param.u64 %rd5, [x];
                add.s64 %rd5, %rd5, %rd4;
                ld.global.f32 %f1, [%rd5];
                and.b32 %r2, %r1, 3;
                mul.wide.u32 %rd6, %r2, 4;
                mov.u64 %rd7, table;
                cvta.global.u64 %rd7, %rd7;
                add.s64 %rd7, %rd7, %rd6;
                ld.global.f32 %f2, [%rd7];
                mul.rn.f32 %f3, %f1, %f2;
                ld.param.u64 %rd8, [flags];
                add.s64 %rd8, %rd8, %rd3;
                ld.global.u8 %h1, [%rd8];
                setp.ne.s16 %p2, %h1, 0;
                @%p2 add.rn.f32 %f3, %f3, 0f3F800000;
                mov.u64 %rd9, dyn;
                cvta.shared.u64 %rd10, %rd9;
                shl.b64 %rd11, %rd3, 4;
                add.s64 %rd12, %rd10, %rd11;
                mov.f32 %f4, 0f00000000;
                st.v4.f32 [%rd12], {%f3, %f4, %f4, %f3};
                ld.v4.f32 {%f5, %f6, %f7, %f8}, [%rd12];
                add.rn.f32 %f9, %f5, %f8;
                ld.const.f64 %fd1, [scale+8];
                cvt.rn.f32.f64 %f4, %fd1;
                mul.rn.f32 %f9, %f9, %f4;
                ld.param.u64 %rd13, [out];
                shl.b64 %rd14, %rd3, 2;
                add.s64 %rd13, %rd13, %rd14;
                st.global.f32 [%rd13], %f9;
            END:
                ret;
            }
            """;

    /** out[i] = in[i] for i < n, but writes one element past the end when asked to (n+1 threads). */
    static final String COPY = HEADER + """
            .visible .entry copy(.param .u64 in, .param .u64 out, .param .u32 n)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<4>;
                .reg .f32 %f<2>;
                .reg .b64 %rd<6>;

                ld.param.u64 %rd1, [in];
                ld.param.u64 %rd2, [out];
                ld.param.u32 %r1, [n];
                mov.u32 %r2, %tid.x;
                setp.ge.u32 %p1, %r2, %r1;
                @%p1 bra END;
                mul.wide.u32 %rd3, %r2, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.f32 %f1, [%rd4];
                add.s64 %rd5, %rd2, %rd3;
                st.global.f32 [%rd5], %f1;
            END:
                ret;
            }
            """;

    /** Loads an f32 from in + offset bytes (misaligned when offset % 4 != 0). */
    static final String LOAD_AT = HEADER + """
            .visible .entry load_at(.param .u64 in, .param .u64 offset, .param .u64 out)
            {
                .reg .f32 %f<2>;
                .reg .b64 %rd<5>;

                ld.param.u64 %rd1, [in];
                ld.param.u64 %rd2, [offset];
                ld.param.u64 %rd3, [out];
                add.s64 %rd4, %rd1, %rd2;
                ld.global.f32 %f1, [%rd4];
                st.global.f32 [%rd3], %f1;
                ret;
            }
            """;

    /** Odd threads wait at one bar.sync, even threads at another: barrier divergence. */
    static final String DIVERGENT_BARRIER = HEADER + """
            .visible .entry divergent_barrier(.param .u64 out)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<3>;

                mov.u32 %r1, %tid.x;
                and.b32 %r2, %r1, 1;
                setp.eq.s32 %p1, %r2, 0;
                @%p1 bra EVEN;
                bar.sync 0;
                bra.uni END;
            EVEN:
                bar.sync 0;
            END:
                ret;
            }
            """;

    /** q = a / b on u32: division by zero when b is 0. */
    static final String DIVIDE = HEADER + """
            .visible .entry divide(.param .u32 a, .param .u32 b, .param .u64 out)
            {
                .reg .b32 %r<4>;
                .reg .b64 %rd<2>;

                ld.param.u32 %r1, [a];
                ld.param.u32 %r2, [b];
                div.u32 %r3, %r1, %r2;
                ld.param.u64 %rd1, [out];
                st.global.u32 [%rd1], %r3;
                ret;
            }
            """;

    /** Never terminates. */
    static final String SPIN = HEADER + """
            .visible .entry spin()
            {
            AGAIN:
                bra.uni AGAIN;
            }
            """;

    /** Scalar parameters of every kind, stored back so the host can check the binding. */
    static final String PARAMS = HEADER + """
            .visible .entry params(.param .u64 .ptr .global .align 16 out, .param .f32 a, .param .f64 b, .param .s32 c, .param .u64 d)
            {
                .reg .f32 %f<2>;
                .reg .f64 %fd<2>;
                .reg .b32 %r<2>;
                .reg .b64 %rd<3>;

                ld.param.u64 %rd1, [out];
                ld.param.f32 %f1, [a];
                ld.param.f64 %fd1, [b];
                ld.param.s32 %r1, [c];
                ld.param.u64 %rd2, [d];
                st.global.f32 [%rd1], %f1;
                st.global.f64 [%rd1+8], %fd1;
                st.global.s32 [%rd1+16], %r1;
                st.global.u64 [%rd1+24], %rd2;
                ret;
            }
            """;

    /**
     * A kernel named {@code ew} for per-element semantics tests: thread i (i < n) has {@code %ia}
     * and {@code %ib} pointing at its 8-byte input slots and {@code %o} at its {@code outs} 8-byte
     * output slots; {@code body} loads, computes and stores. Declared registers for the body:
     * {@code %p1..7, %r1..31, %rd1..31, %f1..31, %fd1..31, %h1..7}.
     */
    static String elementwise(String body) {
        return HEADER + """
                .visible .entry ew(.param .u64 in_a, .param .u64 in_b, .param .u64 out, .param .u32 n)
                {
                    .reg .pred %p<8>;
                    .reg .b32 %r<32>;
                    .reg .b64 %rd<32>;
                    .reg .f32 %f<32>;
                    .reg .f64 %fd<32>;
                    .reg .b16 %h<8>;
                    .reg .b32 %idx<4>;
                    .reg .b64 %ia, %ib, %o, %off;
                    .reg .pred %done;

                    mov.u32 %idx1, %ctaid.x;
                    mov.u32 %idx2, %ntid.x;
                    mov.u32 %idx3, %tid.x;
                    mad.lo.s32 %idx0, %idx1, %idx2, %idx3;
                    ld.param.u32 %idx1, [n];
                    setp.ge.u32 %done, %idx0, %idx1;
                    @%done bra DONE;
                    ld.param.u64 %ia, [in_a];
                    ld.param.u64 %ib, [in_b];
                    ld.param.u64 %o, [out];
                    mul.wide.u32 %off, %idx0, 8;
                    add.s64 %ia, %ia, %off;
                    add.s64 %ib, %ib, %off;
                    mul.wide.u32 %off, %idx0, OUT_BYTES;
                    add.s64 %o, %o, %off;
                BODY
                DONE:
                    ret;
                }
                """.replace("OUT_BYTES", String.valueOf(8 * outputs(body))).replace("BODY", body.indent(4));
    }

    /** Output slots an elementwise body writes: one past the largest {@code [%o+K]} offset / 8. */
    static int outputs(String body) {
        int max = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[%o(?:\\+(\\d+))?]").matcher(body);
        while (m.find()) max = Math.max(max, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        return max / 8 + 1;
    }

    /** Every kernel above plus the elementwise bodies of {@link SemanticsKernels}, for ptxas. */
    static List<String> all() {
        List<String> all = new ArrayList<>(List.of(VADD, BLOCK_SUM, BLOCK_SUM_RACY, ATOMICS, ATOMICS_64, BRANCHES, WARP_SUM,
                FEATURES, COPY, LOAD_AT, DIVERGENT_BARRIER, DIVIDE, SPIN, PARAMS));
        for (String body : SemanticsKernels.BODIES) all.add(elementwise(body));
        return all;
    }
}
