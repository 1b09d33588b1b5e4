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
        assertTrue(e.getMessage().contains("apt-get install openmpi-bin libopenmpi3"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install mpich libmpich12"), e.getMessage());
        assertTrue(e.getMessage().contains("libmpich.so.12 (MPICH)"), e.getMessage());
    }

    /** Under a launcher, only that launcher's library is looked for, and the advice names it. */
    @Test
    void underMpichsLauncherTheAdviceIsMpich() {
        var e = assertThrows(DistributedException.class,
                () -> MpiLibrary.open(List.of("libflambeau-no-such-mpich.so.12"), false, MpiLauncher.MPICH));
        assertTrue(e.getMessage().contains("started by MPICH's mpiexec (PMI_RANK/PMI_SIZE are set)"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install mpich libmpich12"), e.getMessage());
    }

    @Test
    void aLibraryOfTheOtherImplementationThanTheLaunchersIsRefused() {
        var e = assertThrows(DistributedException.class,
                () -> MpiLibrary.checkMatchesLauncher("libmpi.so.40", "Open MPI", MpiLauncher.MPICH));
        assertTrue(e.getMessage().contains("started by MPICH's mpiexec"), e.getMessage());
        assertTrue(e.getMessage().contains("Open MPI's libmpi.so.40"), e.getMessage());
        assertTrue(e.getMessage().contains("Start the job with mpirun.openmpi"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install mpich libmpich12"), e.getMessage());
        var f = assertThrows(DistributedException.class,
                () -> MpiLibrary.checkMatchesLauncher("libmpich.so.12", "MPICH", MpiLauncher.OPEN_MPI));
        assertTrue(f.getMessage().contains("started by Open MPI's mpirun"), f.getMessage());
        assertTrue(f.getMessage().contains("Start the job with mpiexec.mpich"), f.getMessage());
        MpiLibrary.checkMatchesLauncher("libmpich.so.12", "MPICH", MpiLauncher.MPICH);
        MpiLibrary.checkMatchesLauncher("libmpi.so.40", "Open MPI", MpiLauncher.NONE);
    }

    @Test
    void aConfiguredLibraryIsNamedInTheAdvice() {
        var e = assertThrows(DistributedException.class, () -> MpiLibrary.open(List.of("/nowhere/libmpi.so.40"), true));
        assertTrue(e.getMessage().contains("/nowhere/libmpi.so.40"), e.getMessage());
        assertTrue(e.getMessage().contains("flambeau.mpi.library"), e.getMessage());
    }
}
