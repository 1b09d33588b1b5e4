package io.flambeau.misuse;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demos' misuse cases with {@code cuda:0} (the simulated GPU) as the default device. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaDemoMisuseTest extends DemoMisuseTest {}
