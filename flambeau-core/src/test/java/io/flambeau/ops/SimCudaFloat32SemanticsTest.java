package io.flambeau.ops;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Float32SemanticsTest} with {@code cuda:0}, the simulated GPU, as the default device. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaFloat32SemanticsTest extends Float32SemanticsTest {}
