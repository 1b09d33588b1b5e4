package io.flambeau.ops;

import io.flambeau.backend.cuda.OnSimulatedCuda;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AddmmTest} on the simulated GPU (cuBLAS product, then the bias added by a kernel). */
@ExtendWith(OnSimulatedCuda.class)
class AddmmOnCudaTest extends AddmmTest {
    @Override
    protected int[][] shapes() {
        return new int[][] {{30, 2, 40}, {20, 50, 3}, {3, 5, 4}, {1, 7, 1}};
    }
}
