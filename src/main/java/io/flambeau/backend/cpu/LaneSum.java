package io.flambeau.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a float vector's lanes in one defined order, the same in every JIT tier.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order of its additions to the implementation, and the
 * implementations differ: the interpreter and C1 add lane 0, 1, 2, … in turn while C2 adds in a
 * tree, so one float sum changed value once its caller was compiled by C2. Here the lanes are
 * folded in halves — lane i plus lane i + L/2, then i + L/4, … — with lanewise adds and fixed
 * shuffles, which every tier computes exactly as written. Lane 0 ends up holding the sum.
 */
final class LaneSum {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** {@code HALVES[k]} moves lane i + (L >> (k+1)) to lane i. */
    private static final VectorShuffle<Float>[] HALVES = halves();

    private LaneSum() {}

    /** {@code v}'s lanes added pairwise in halves; {@code v} must be of the preferred species. */
    static float of(FloatVector v) {
        for (VectorShuffle<Float> half : HALVES) v = v.add(v.rearrange(half));
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halves() {
        int lanes = S.length();
        int steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] out = new VectorShuffle[steps];
        for (int k = 0, h = lanes / 2; h >= 1; k++, h /= 2) {
            int shift = h;
            out[k] = VectorShuffle.fromOp(S, i -> (i + shift) % lanes);
        }
        return out;
    }
}
