package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.CudaAvailability;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the JCuda binding is chosen: by name only ({@code flambeau.cuda.binding} or
 * {@code FLAMBEAU_CUDA_BINDING}), never as a fallback, so FFM stays the default.
 */
class JCudaBindingChoiceTest {
    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        System.clearProperty(CudaAvailability.BINDING_PROPERTY);
        LoopbackAccess.configure(0, 13000, LoopbackAccess.DEFAULT_MEMORY);
    }

    @Test
    void jcudaIsAServiceUsedOnlyWhenChosen() {
        CudaApiFactory jcuda = ServiceLoader.load(CudaApiFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("jcuda")).findFirst().orElseThrow();
        assertInstanceOf(JCudaApiFactory.class, jcuda);
        assertTrue(jcuda.onlyWhenChosen());
    }

    @Test
    void thePropertyChoosesJCuda() {
        LoopbackAccess.require();
        LoopbackAccess.configure(1, 13000, LoopbackAccess.DEFAULT_MEMORY);
        System.setProperty(CudaAvailability.BINDING_PROPERTY, "jcuda");
        CudaAvailability chosen = CudaAvailability.probe();
        assertTrue(chosen.usable(), chosen.reasonLine());
        assertInstanceOf(JCudaApi.class, assertInstanceOf(CheckedCudaApi.class, chosen.api()).binding());
    }

    /**
     * In a child JVM: opening the FFM binding here would keep this JVM's one FFM instance bound to a
     * loopback device that the FFM binding's own tests expect not to exist.
     */
    @Test
    void withoutAChoiceFfmIsTheDefault() throws Exception {
        Path loopback = LoopbackAccess.require();
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> true,
                List.of("-D" + JCudaLibraries.PATH_PROPERTY + "=" + loopback), Map.of(), tmp, "configure-loopback", "availability");
        assertEquals("true", r.get("USABLE"), r.get("OUTPUT"));
        assertEquals("FfmCudaApi", r.get("API"));
    }

    @Test
    void theEnvironmentVariableChoosesJCuda() throws Exception {
        Path loopback = LoopbackAccess.require();
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> true,
                List.of("-D" + JCudaLibraries.PATH_PROPERTY + "=" + loopback), Map.of(CudaAvailability.BINDING_ENV, "jcuda"),
                tmp, "configure-loopback", "availability");
        assertEquals("true", r.get("USABLE"), r.get("OUTPUT"));
        assertEquals("JCudaApi", r.get("API"));
    }
}
