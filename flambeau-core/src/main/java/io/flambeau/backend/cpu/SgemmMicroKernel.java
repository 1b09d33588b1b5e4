package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 register-blocked micro-kernel at the heart of {@link Sgemm}: one MR x NR tile of C
 * from a packed A micro-panel and a packed B micro-panel.
 *
 * <p>Shape: MR = 12 rows by NR = two vectors of columns (32 floats with 512-bit vectors). Its 24
 * accumulators, two B vectors and one broadcast A value fit in the 32 vector registers of an
 * AVX-512 core without spills; each k step does 24 fmas against 2 vector loads and 12
 * broadcasts, enough to keep both fma ports busy (measured ~97% of one core's peak on Zen 5 with
 * the A micro-panel in L1 and B streaming from L2; on a Xeon with AVX-512 ~87% in L1, ~80% with
 * a 1 MiB B block in L2, where one k step per loop trip gave ~80% and ~72%). The code names no vector length: NR follows the
 * preferred species, so the same kernel runs on 128-, 256- or 512-bit vectors.
 *
 * <p>Packed layouts (written by {@link SgemmPacking}): the A micro-panel holds, for each k step,
 * MR consecutive values of one column of A; the B micro-panel holds, for each k step, NR
 * consecutive values of one row of B. Both are zero-padded to full MR / NR, so the kernel never
 * branches on edges; partial tiles are computed whole into a scratch tile and only their valid
 * part is merged into C.
 *
 * <p>The body is written out by hand (12 x 2 named accumulators) because C2 keeps vector locals
 * in registers but would not do the same for an array of vectors.
 */
final class SgemmMicroKernel {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Rows of C per tile. */
    static final int MR = 12;
    /** Columns of C per tile: two vectors. */
    static final int NR = 2 * L;

    private SgemmMicroKernel() {}

    /**
     * C[0:MR, 0:NR] (+)= Ap * Bp over {@code kc} k steps, for a tile lying wholly inside a
     * row-major C with row stride {@code ldc}. With {@code addC} false, C is written without
     * being read, so whatever it held (even NaN) does not leak into the result.
     */
    static void fullTile(int kc, float[] ap, int aOff, float[] bp, int bOff,
                         float[] c, int cOff, int ldc, boolean addC) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector c0a = zero, c0b = zero;
        FloatVector c1a = zero, c1b = zero;
        FloatVector c2a = zero, c2b = zero;
        FloatVector c3a = zero, c3b = zero;
        FloatVector c4a = zero, c4b = zero;
        FloatVector c5a = zero, c5b = zero;
        FloatVector c6a = zero, c6b = zero;
        FloatVector c7a = zero, c7b = zero;
        FloatVector c8a = zero, c8b = zero;
        FloatVector c9a = zero, c9b = zero;
        FloatVector c10a = zero, c10b = zero;
        FloatVector c11a = zero, c11b = zero;
        // Two k steps per trip, their indices linear in the trip count: C2 then proves every
        // index in range before the loop (no checks inside) and pays the loop's own address
        // and branch work once per 48 fmas. Integer work competes with the fmas for the ports
        // that run 512-bit fmas on Intel cores (0 and 5): with one k step per trip the kernel
        // ran at ~80% of one core's peak with everything in L1 on a Xeon, ~88% with two. The
        // order of the fmas into each accumulator is unchanged (k ascending), so results are
        // bit-identical either way. Four steps per trip spilled accumulators (C2 hoists the
        // eight B loads) and ran at half speed.
        int pairs = kc >> 1;
        for (int q = 0; q < pairs; q++) {
            int ak = aOff + q * (2 * MR), bk = bOff + q * (2 * NR);
            FloatVector b0 = FloatVector.fromArray(F, bp, bk);
            FloatVector b1 = FloatVector.fromArray(F, bp, bk + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[ak + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[ak + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[ak + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[ak + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[ak + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[ak + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(F, ap[ak + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(F, ap[ak + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(F, ap[ak + 8]);
            c8a = a8.fma(b0, c8a);
            c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(F, ap[ak + 9]);
            c9a = a9.fma(b0, c9a);
            c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(F, ap[ak + 10]);
            c10a = a10.fma(b0, c10a);
            c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(F, ap[ak + 11]);
            c11a = a11.fma(b0, c11a);
            c11b = a11.fma(b1, c11b);
            FloatVector b0n = FloatVector.fromArray(F, bp, bk + NR);
            FloatVector b1n = FloatVector.fromArray(F, bp, bk + NR + L);
            FloatVector a0n = FloatVector.broadcast(F, ap[ak + MR + 0]);
            c0a = a0n.fma(b0n, c0a);
            c0b = a0n.fma(b1n, c0b);
            FloatVector a1n = FloatVector.broadcast(F, ap[ak + MR + 1]);
            c1a = a1n.fma(b0n, c1a);
            c1b = a1n.fma(b1n, c1b);
            FloatVector a2n = FloatVector.broadcast(F, ap[ak + MR + 2]);
            c2a = a2n.fma(b0n, c2a);
            c2b = a2n.fma(b1n, c2b);
            FloatVector a3n = FloatVector.broadcast(F, ap[ak + MR + 3]);
            c3a = a3n.fma(b0n, c3a);
            c3b = a3n.fma(b1n, c3b);
            FloatVector a4n = FloatVector.broadcast(F, ap[ak + MR + 4]);
            c4a = a4n.fma(b0n, c4a);
            c4b = a4n.fma(b1n, c4b);
            FloatVector a5n = FloatVector.broadcast(F, ap[ak + MR + 5]);
            c5a = a5n.fma(b0n, c5a);
            c5b = a5n.fma(b1n, c5b);
            FloatVector a6n = FloatVector.broadcast(F, ap[ak + MR + 6]);
            c6a = a6n.fma(b0n, c6a);
            c6b = a6n.fma(b1n, c6b);
            FloatVector a7n = FloatVector.broadcast(F, ap[ak + MR + 7]);
            c7a = a7n.fma(b0n, c7a);
            c7b = a7n.fma(b1n, c7b);
            FloatVector a8n = FloatVector.broadcast(F, ap[ak + MR + 8]);
            c8a = a8n.fma(b0n, c8a);
            c8b = a8n.fma(b1n, c8b);
            FloatVector a9n = FloatVector.broadcast(F, ap[ak + MR + 9]);
            c9a = a9n.fma(b0n, c9a);
            c9b = a9n.fma(b1n, c9b);
            FloatVector a10n = FloatVector.broadcast(F, ap[ak + MR + 10]);
            c10a = a10n.fma(b0n, c10a);
            c10b = a10n.fma(b1n, c10b);
            FloatVector a11n = FloatVector.broadcast(F, ap[ak + MR + 11]);
            c11a = a11n.fma(b0n, c11a);
            c11b = a11n.fma(b1n, c11b);
        }
        if ((kc & 1) != 0) {
            int ak = aOff + (kc - 1) * MR, bk = bOff + (kc - 1) * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bk);
            FloatVector b1 = FloatVector.fromArray(F, bp, bk + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[ak + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[ak + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[ak + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[ak + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[ak + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[ak + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(F, ap[ak + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(F, ap[ak + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(F, ap[ak + 8]);
            c8a = a8.fma(b0, c8a);
            c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(F, ap[ak + 9]);
            c9a = a9.fma(b0, c9a);
            c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(F, ap[ak + 10]);
            c10a = a10.fma(b0, c10a);
            c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(F, ap[ak + 11]);
            c11a = a11.fma(b0, c11a);
            c11b = a11.fma(b1, c11b);
        }
        if (addC) {
            c0a = c0a.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c0b = c0b.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + L));
            c1a = c1a.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c1b = c1b.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L));
            c2a = c2a.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c2b = c2b.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L));
            c3a = c3a.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c3b = c3b.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L));
            c4a = c4a.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c4b = c4b.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + L));
            c5a = c5a.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c5b = c5b.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + L));
            c6a = c6a.add(FloatVector.fromArray(F, c, cOff + 6 * ldc));
            c6b = c6b.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + L));
            c7a = c7a.add(FloatVector.fromArray(F, c, cOff + 7 * ldc));
            c7b = c7b.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + L));
            c8a = c8a.add(FloatVector.fromArray(F, c, cOff + 8 * ldc));
            c8b = c8b.add(FloatVector.fromArray(F, c, cOff + 8 * ldc + L));
            c9a = c9a.add(FloatVector.fromArray(F, c, cOff + 9 * ldc));
            c9b = c9b.add(FloatVector.fromArray(F, c, cOff + 9 * ldc + L));
            c10a = c10a.add(FloatVector.fromArray(F, c, cOff + 10 * ldc));
            c10b = c10b.add(FloatVector.fromArray(F, c, cOff + 10 * ldc + L));
            c11a = c11a.add(FloatVector.fromArray(F, c, cOff + 11 * ldc));
            c11b = c11b.add(FloatVector.fromArray(F, c, cOff + 11 * ldc + L));
        }
        c0a.intoArray(c, cOff + 0 * ldc);
        c0b.intoArray(c, cOff + 0 * ldc + L);
        c1a.intoArray(c, cOff + 1 * ldc);
        c1b.intoArray(c, cOff + 1 * ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc);
        c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc);
        c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc);
        c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc);
        c7b.intoArray(c, cOff + 7 * ldc + L);
        c8a.intoArray(c, cOff + 8 * ldc);
        c8b.intoArray(c, cOff + 8 * ldc + L);
        c9a.intoArray(c, cOff + 9 * ldc);
        c9b.intoArray(c, cOff + 9 * ldc + L);
        c10a.intoArray(c, cOff + 10 * ldc);
        c10b.intoArray(c, cOff + 10 * ldc + L);
        c11a.intoArray(c, cOff + 11 * ldc);
        c11b.intoArray(c, cOff + 11 * ldc + L);
    }

    /**
     * The tile at C's bottom or right edge, where only {@code mr <= MR} rows and
     * {@code nr <= NR} columns exist. Computes the whole padded tile into {@code scratch}
     * (MR * NR floats), then merges its valid part into C, whose element strides are
     * {@code cRowStride} and {@code cColStride}.
     */
    static void edgeTile(int kc, float[] ap, int aOff, float[] bp, int bOff, int mr, int nr,
                         float[] c, int cOff, int cRowStride, int cColStride, boolean addC,
                         float[] scratch) {
        fullTile(kc, ap, aOff, bp, bOff, scratch, 0, NR, false);
        for (int r = 0; r < mr; r++) {
            int src = r * NR;
            int dst = cOff + r * cRowStride;
            if (addC) {
                for (int j = 0; j < nr; j++) {
                    c[dst + j * cColStride] += scratch[src + j];
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    c[dst + j * cColStride] = scratch[src + j];
                }
            }
        }
    }
}
