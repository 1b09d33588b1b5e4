package io.flambeau.course;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every sample of course sections 1.3 to 1.10 with {@code cuda:0} (the simulated GPU) as the
 * default device: the same assertions, where PyTorch's strings gain {@code device='cuda:0'}.
 */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaSection1Test extends Section1Test {}
