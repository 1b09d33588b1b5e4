package io.flambeau.nn;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** The class-target checks and ignore_index on {@code cuda:0} (the simulated GPU). */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaCrossEntropyTargetsTest extends CrossEntropyTargetsTest {}
