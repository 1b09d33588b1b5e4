package io.flambeau.ownership;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same host-read guarantees with tensors on the simulated GPU (blocks come from its cache). */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaHostReadOwnershipTest extends HostReadOwnershipTest {}
