package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import io.flambeau.core.Device;
import io.flambeau.golden.GoldenOpsSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The golden PyTorch cases on the CUDA backend driven through the JCuda binding: the same suite,
 * loopback driver and simulated device as the FFM binding's run, so both bindings pass exactly the
 * same conformance cases. JCuda's JNI libraries call the loopback's libcuda.so.1 (kernels then run
 * on the simulator's PTX interpreter) and its libcublas.so.12 (matrix products).
 */
@ExtendWith(JCudaGoldenPrerequisites.class)
class JCudaLoopbackGoldenOpsTest extends GoldenOpsSuite {
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        LoopbackAccess.require();
        LoopbackAccess.configure(1, 13000, 1L << 30);
        LoopbackAccess.executeOnSimulator();
        backend = LoopbackAccess.installCudaBackend(JCudaApi.open());
    }

    @AfterAll
    static void remove() {
        try {
            if (backend != null) LoopbackAccess.removeCudaBackend(backend);
        } finally {
            LoopbackAccess.configure(0, 13000, LoopbackAccess.DEFAULT_MEMORY);
        }
    }

    @Override
    protected Device device() { return Device.cuda(0); }
}
