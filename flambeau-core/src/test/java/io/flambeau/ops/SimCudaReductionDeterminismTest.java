package io.flambeau.ops;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ReductionDeterminismTest}'s reductions on {@code cuda:0}, the simulated GPU: each
 * reduction kernel adds in one fixed order (no floating-point atomics), so repeated calls give the
 * same bits. Fewer calls, as every launch is interpreted; JIT tiers do not apply to a GPU kernel.
 */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaReductionDeterminismTest {
    @Test
    void everyCallGivesTheFirstCallsBits() {
        ReductionFingerprint f = new ReductionFingerprint();
        ReductionDeterminismTest.repeat(f.small, 10);
        ReductionDeterminismTest.repeat(f.composite, 4);
        ReductionDeterminismTest.repeat(f.large, 2);
    }
}
