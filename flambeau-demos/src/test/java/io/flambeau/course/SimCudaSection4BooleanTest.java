package io.flambeau.course;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The boolean samples of course section 4 with {@code cuda:0} (the simulated GPU) as the default
 * device: the same assertions, where PyTorch's strings gain {@code device='cuda:0'}.
 */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaSection4BooleanTest extends Section4BooleanTest {}
