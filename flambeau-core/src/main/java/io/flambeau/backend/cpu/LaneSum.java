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
    private static final int LANES = S.length();
    // One constant shuffle per halving (a field each, not an array, so that the JIT sees constants
    // and compiles every rearrange to one instruction): lane i + h moves to lane i.
    private static final VectorShuffle<Float> H32 = half(32), H16 = half(16), H8 = half(8), H4 = half(4),
            H2 = half(2), H1 = half(1);

    private LaneSum() {}

    /** {@code v}'s lanes added pairwise in halves; {@code v} must be of the preferred species. */
    static float of(FloatVector v) {
        if (LANES > 32) v = v.add(v.rearrange(H32));
        if (LANES > 16) v = v.add(v.rearrange(H16));
        if (LANES > 8) v = v.add(v.rearrange(H8));
        if (LANES > 4) v = v.add(v.rearrange(H4));
        if (LANES > 2) v = v.add(v.rearrange(H2));
        if (LANES > 1) v = v.add(v.rearrange(H1));
        return v.lane(0);
    }

    private static VectorShuffle<Float> half(int h) {
        return VectorShuffle.fromOp(S, i -> (i + h) % LANES);
    }
}
