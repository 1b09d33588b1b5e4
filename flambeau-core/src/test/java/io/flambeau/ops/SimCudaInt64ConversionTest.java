package io.flambeau.ops;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Int64ConversionTest} with {@code cuda:0}, the simulated GPU, as the default device. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaInt64ConversionTest extends Int64ConversionTest {}
