package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 {@code add/sub/mul/div} of a dense operand and one broadcast over its leading dims —
 * {@code x[R, C] + y[C]}, a bias add — walked as one flat run of {@code R * C} elements rather
 * than {@code R} rows of {@code C}.
 *
 * <p>Why flat: the row walk starts every row's vectors where the row starts, and for a Java array
 * that is 16 (or 12) bytes past a cache line, so with {@code C} a multiple of 16 every 512-bit
 * load of {@code x} and store of the result straddles two lines. Flat, the loop starts its
 * vectors once on a line ({@link LineAlignment}) and keeps them there: on AMD EPYC (Zen 5, one
 * core) a 4096 x 1024 broadcast add went from 37 to about 48 GB/s, the same as a C loop with
 * aligned input. It also drops the per-row call, which for short rows costs more than the row.
 *
 * <p>The broadcast operand's index runs {@code j = i mod C}; a vector at {@code j} may run past
 * the period's end, so it is read from {@code yx}, the period followed by its first
 * {@code L} elements again ({@code yx[k] = y[k mod C]}), copied once per call. Results are
 * bit-identical to the row walk: the same IEEE operation on the same pair of elements.
 *
 * <p>Aliasing: every vector reads its elements of {@code a} before it writes the same elements of
 * the output, so an in-place {@code x += y} (output = {@code a}, same offset) is exact; the
 * broadcast operand is read only from the copy.
 */
final class RowBroadcastLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** At most this many elements of the period are copied per row of work (a copy of 1/16 at most). */
    private static final int MIN_ROWS = 16;

    private RowBroadcastLoops() {}

    /** Whether {@link #run} takes {@code op} over {@code rows} rows of {@code period}. */
    static boolean handles(BinaryOp op, long rows, int period) {
        return (op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV)
                && rows >= MIN_ROWS && period >= 1;
    }

    /**
     * {@code o[oc+i] = a[oa+i] op y[oy + i mod period]} for {@code i < total}, or with the
     * operands of {@code op} swapped when {@code periodicFirst} ({@code y - x}, {@code y / x}).
     */
    static void run(BinaryOp op, float[] a, int oa, float[] y, int oy, int period, boolean periodicFirst,
                    float[] o, int oc, int total) {
        float[] yx = new float[period + L];
        for (int k = 0; k < yx.length; k++) yx[k] = y[oy + k % period];
        int head = LineAlignment.floatsToLine(oc, total);
        long vectors = (total - head) / L;
        int tail = head + (int) vectors * L;
        scalar(op, periodicFirst, a, oa, yx, period, o, oc, 0, head);
        scalar(op, periodicFirst, a, oa, yx, period, o, oc, tail, total);
        CpuParallel.IntRange body = (v0, v1) ->
                vectors(op, periodicFirst, a, oa, yx, period, o, oc, head + v0 * L, head + v1 * L);
        if (total < StridedLoop.PARALLEL_FROM || CpuThreads.COUNT < 2) {
            body.run(0, (int) vectors);
        } else {
            CpuThreads.forRange(vectors, (v0, v1) -> body.run((int) v0, (int) v1));
        }
    }

    /** The head and tail, through the op's one scalar definition, as the row walk's scalar loop does. */
    private static void scalar(BinaryOp op, boolean first, float[] a, int oa, float[] yx, int period,
                               float[] o, int oc, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = a[oa + i], y = yx[i % period];
            o[oc + i] = (float) (first ? op.apply(y, x) : op.apply(x, y));
        }
    }

    /** Elements {@code [from, to)}, a whole number of vectors; one loop per operator (see Float32Loops). */
    private static void vectors(BinaryOp op, boolean first, float[] a, int oa, float[] yx, int period,
                                float[] o, int oc, int from, int to) {
        int j = from % period;
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i += L) {
                    FloatVector.fromArray(S, a, oa + i).add(FloatVector.fromArray(S, yx, j)).intoArray(o, oc + i);
                    j += L;
                    if (j >= period) j %= period;
                }
            }
            case MUL -> {
                for (int i = from; i < to; i += L) {
                    FloatVector.fromArray(S, a, oa + i).mul(FloatVector.fromArray(S, yx, j)).intoArray(o, oc + i);
                    j += L;
                    if (j >= period) j %= period;
                }
            }
            case SUB -> {
                if (first) {
                    for (int i = from; i < to; i += L) {
                        FloatVector.fromArray(S, yx, j).sub(FloatVector.fromArray(S, a, oa + i)).intoArray(o, oc + i);
                        j += L;
                        if (j >= period) j %= period;
                    }
                } else {
                    for (int i = from; i < to; i += L) {
                        FloatVector.fromArray(S, a, oa + i).sub(FloatVector.fromArray(S, yx, j)).intoArray(o, oc + i);
                        j += L;
                        if (j >= period) j %= period;
                    }
                }
            }
            case DIV -> {
                if (first) {
                    for (int i = from; i < to; i += L) {
                        FloatVector.fromArray(S, yx, j).div(FloatVector.fromArray(S, a, oa + i)).intoArray(o, oc + i);
                        j += L;
                        if (j >= period) j %= period;
                    }
                } else {
                    for (int i = from; i < to; i += L) {
                        FloatVector.fromArray(S, a, oa + i).div(FloatVector.fromArray(S, yx, j)).intoArray(o, oc + i);
                        j += L;
                        if (j >= period) j %= period;
                    }
                }
            }
            default -> throw new IllegalArgumentException("row broadcast: " + op);
        }
    }
}
