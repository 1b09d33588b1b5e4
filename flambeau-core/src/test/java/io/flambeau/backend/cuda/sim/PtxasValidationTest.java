package io.flambeau.backend.cuda.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The simulator is only a faithful stand-in if the PTX it runs is PTX a GPU accepts: every test
 * kernel must assemble with NVIDIA's ptxas for sm_75 (the target) and sm_90 (a newer GPU the driver
 * JIT-compiles forward to), warnings treated as errors.
 */
class PtxasValidationTest {
    @Test
    void everyTestKernelAssemblesForSm75AndSm90() throws Exception {
        Assumptions.assumeTrue(Ptxas.available(), "ptxas not found on PATH");
        List<String> failures = new ArrayList<>();
        List<String> kernels = TestKernels.all();
        for (String arch : List.of("sm_75", "sm_90")) {
            for (int i = 0; i < kernels.size(); i++) {
                String err = Ptxas.check(kernels.get(i), arch);
                if (err != null) failures.add(arch + " kernel #" + i + ":\n" + err + "\n" + numbered(kernels.get(i)));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    static String numbered(String ptx) {
        StringBuilder sb = new StringBuilder();
        String[] lines = ptx.split("\n");
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return sb.toString();
    }
}
