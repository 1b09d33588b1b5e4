package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the JCuda binding says when a library is missing, each scenario in a child JVM of its own
 * ({@link JCudaOpenProbe}): a JNI library that failed to load cannot be retried in a JVM, and this
 * JVM's JCuda is bound to the loopback.
 */
class JCudaMissingLibrariesTest {
    @TempDir
    Path tmp;

    @Test
    void withoutTheNvidiaDriverTheErrorNamesJCudasLibraryAndLibcuda() throws Exception {
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> true, List.of(), Map.of(), tmp);
        Assumptions.assumeTrue(r.containsKey("REASON") && !r.get("FOUND").contains("cuInit"),
                () -> "this machine's dynamic linker finds a libcuda.so.1, so a missing driver cannot be shown: " + r.get("OUTPUT"));
        assertEquals("NO_DRIVER", r.get("REASON"), r.get("OUTPUT"));
        assertTrue(r.get("FOUND").contains("libJCudaDriver-12.0.0-linux-x86_64.so"), r.get("FOUND"));
        assertTrue(r.get("NEEDED").contains("libcuda.so.1") && r.get("NEEDED").contains("CUDA 12.0 or newer"), r.get("NEEDED"));
        assertTrue(r.get("MESSAGE").startsWith("no NVIDIA driver (libcuda.so.1 not found)"), r.get("MESSAGE"));
        assertEquals("NO_DRIVER", r.get("SECOND"), "the second attempt reports the same, not a NoClassDefFoundError");
    }

    @Test
    void withoutJCudasNativesJarTheErrorNamesTheArtifact() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> !entry.contains("jcuda-natives"),
                List.of("-Djava.library.path=" + empty), Map.of(), tmp);
        assertEquals("INIT_FAILED", r.get("REASON"), r.get("OUTPUT"));
        assertTrue(r.get("NEEDED").contains("libJCudaDriver-12.0.0-linux-x86_64.so")
                && r.get("NEEDED").contains("org.jcuda:jcuda-natives:12.0.0:linux-x86_64"), r.get("NEEDED"));
        assertTrue(r.get("FOUND").contains("Java API"), r.get("FOUND"));
    }

    @Test
    void aLibraryPathWithoutTheDriverIsNoDriverNamingTheFolder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-driver"));
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> true,
                List.of("-D" + JCudaLibraries.PATH_PROPERTY + "=" + empty), Map.of(), tmp);
        assertEquals("NO_DRIVER", r.get("REASON"), r.get("OUTPUT"));
        assertTrue(r.get("FOUND").contains(empty.toString()), r.get("FOUND"));
    }

    @Test
    void withoutCublas12TheBindingOpensWithoutBlasAndSaysWhy() throws Exception {
        Path loopback = LoopbackAccess.require();
        Path onlyDriver = Files.createDirectories(tmp.resolve("driver-only"));
        Files.createSymbolicLink(onlyDriver.resolve("libcuda.so.1"), loopback.resolve("libcuda.so.1"));
        // cuBLAS 13 alone does not help: JCublas2 12.0.0 is linked against libcublas.so.12
        Files.createSymbolicLink(onlyDriver.resolve("libcublas.so.13"), loopback.resolve("libcublas.so.13"));
        Map<String, String> r = ChildJvm.run(JCudaOpenProbe.class, entry -> true,
                List.of("-D" + JCudaLibraries.PATH_PROPERTY + "=" + onlyDriver), Map.of(), tmp, "configure-loopback");
        assertTrue(r.containsKey("OPENED"), r.get("OUTPUT"));
        assertEquals("false", r.get("BLAS"));
        assertTrue(r.get("BLAS_REASON").contains("libcublas.so.12 not found"), r.get("BLAS_REASON"));
    }
}
