package io.flambeau.distributed.mpi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The launcher is recognised from the variables each one sets (as printed by env under each). */
class MpiLauncherTest {
    @Test
    void openMpisMpirun() {
        assertEquals(MpiLauncher.OPEN_MPI, MpiLauncher.of(Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2",
                "PMIX_RANK", "0")));
    }

    @Test
    void mpichsHydra() {
        MpiLauncher l = MpiLauncher.of(Map.of("PMI_RANK", "1", "PMI_SIZE", "2", "PMI_FD", "8", "HYDI_CONTROL_FD", "7",
                "MPI_LOCALRANKID", "1"));
        assertEquals(MpiLauncher.MPICH, l);
        assertEquals(List.of("libmpich.so.12", "libmpi.so.12"), l.libraries);
    }

    @Test
    void noLauncherTriesOpenMpiThenMpich() {
        assertEquals(MpiLauncher.NONE, MpiLauncher.of(Map.of()));
        // PMI_RANK/PMI_SIZE alone (set by hand, or FLAMBEAU_* variables) are no MPICH launcher
        assertEquals(MpiLauncher.NONE, MpiLauncher.of(Map.of("PMI_RANK", "0", "PMI_SIZE", "2")));
        assertEquals(List.of("libmpi.so.40", "libmpich.so.12", "libmpi.so.12"), MpiLauncher.NONE.libraries);
    }
}
