package io.flambeau.misuse;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole misuse corpus with {@code cuda:0} (the simulated GPU) as the default device. */
@ExtendWith(OnSimulatedCuda.class)
class SimCudaMisuseCorpusTest extends MisuseCorpusTest {}
