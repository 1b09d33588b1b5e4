package io.flambeau.autograd;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ConcurrentBackwardTest} with the leaves on {@code cuda:0}, the simulated GPU. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaConcurrentBackwardTest extends ConcurrentBackwardTest {}
