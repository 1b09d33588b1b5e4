package io.flambeau.distributed.mpi;

import io.flambeau.core.DistributedException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing MPI library is a typed error that names what was tried and what to install. */
class MpiLibraryTest {
    @Test
    void missingLibrarySaysWhatToInstall() {
        var e = assertThrows(DistributedException.class,
                () -> MpiLibrary.open(List.of("libflambeau-no-such-mpi.so.40", "libflambeau-no-such-mpich.so.12"), false));
        assertTrue(e.getMessage().contains("libflambeau-no-such-mpi.so.40: "), e.getMessage());
        assertTrue(e.getMessage().contains("libflambeau-no-such-mpich.so.12: "), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install openmpi-bin"), e.getMessage());
    }

    @Test
    void aConfiguredLibraryIsNamedInTheAdvice() {
        var e = assertThrows(DistributedException.class, () -> MpiLibrary.open(List.of("/nowhere/libmpi.so.40"), true));
        assertTrue(e.getMessage().contains("/nowhere/libmpi.so.40"), e.getMessage());
        assertTrue(e.getMessage().contains("flambeau.mpi.library"), e.getMessage());
    }
}
