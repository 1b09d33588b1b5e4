package io.flambeau.course;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every broadcasting sample of course sections 2.1 to 2.8 with {@code cuda:0} (the simulated GPU)
 * as the default device: the same assertions, where PyTorch's strings gain {@code device='cuda:0'}.
 */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaSection2Test extends Section2Test {}
