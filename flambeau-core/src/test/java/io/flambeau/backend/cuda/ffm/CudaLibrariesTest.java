package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding the libraries: a typed error listing every attempt, and cuBLAS 13 before 12. */
class CudaLibrariesTest {
    @Test
    void aMissingDriverIsATypedErrorListingWhatWasTriedAndWhatToDo(@TempDir Path empty) {
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CudaLibraries.load(List.of("libcuda.so.1"), new CudaLibraries.Search(List.of(empty), false)));
        assertEquals(CudaUnavailableException.Reason.NO_DRIVER, e.reason());
        assertEquals("no NVIDIA driver (libcuda.so.1 not found)", e.reasonLine());
        assertEquals(List.of(empty.resolve("libcuda.so.1").toAbsolutePath().toString()), e.tried());
        assertTrue(e.getMessage().contains(CudaLibraries.PATH_PROPERTY + "=" + empty), e.getMessage());
    }

    @Test
    void theSystemSearchSaysToInstallTheDriver() {
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CudaLibraries.load(List.of("libflambeau-no-such-driver.so.1"), new CudaLibraries.Search(List.of(), true)));
        assertTrue(e.tried().getFirst().contains("system library search path"), e.tried().toString());
        assertTrue(e.getMessage().contains("cuBLAS") || e.getMessage().contains("install"), e.getMessage());
    }

    @Test
    void cublas13IsPreferredAndTwelveIsTheFallback(@TempDir Path onlyTwelve) throws IOException {
        Path dir = LoopbackLibrary.require();
        CudaLibraries.Loaded both = CudaLibraries.load(CudaLibraries.blasNames(), new CudaLibraries.Search(List.of(dir), false));
        assertTrue(both.origin().endsWith("libcublas.so.13"), both.origin());
        Files.copy(dir.resolve("libcublas.so.12"), onlyTwelve.resolve("libcublas.so.12"));
        CudaLibraries.Loaded twelve = CudaLibraries.load(CudaLibraries.blasNames(), new CudaLibraries.Search(List.of(onlyTwelve), false));
        assertTrue(twelve.origin().endsWith("libcublas.so.12"), twelve.origin());
        CudaUnavailableException none = assertThrows(CudaUnavailableException.class, () -> CudaLibraries.load(CudaLibraries.blasNames(),
                new CudaLibraries.Search(List.of(onlyTwelve.resolve("nothing")), false)));
        assertTrue(none.reasonLine().startsWith("cuBLAS not found"), none.reasonLine());
    }
}
