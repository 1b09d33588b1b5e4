package io.flambeau;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TypedErrorsTest} with {@code cuda:0}, the simulated GPU, as the default device. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaTypedErrorsTest extends TypedErrorsTest {}
