package io.flambeau.distributed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same checks as {@link DistributedCollectivesTest} under MPICH: {@link CollectiveChecks} as 2
 * and 3 ranks started by MPICH's Hydra ({@code mpiexec.mpich}), so that the ranks load
 * {@code libmpich.so.12} and MPICH's handle table (int handles) carries every collective on every
 * dtype, the error cases (shape mismatch, MPI's own error through MPI_Error_class), DDP against one
 * process, the timeout and destroy. Then a launcher with the other implementation's library, both
 * ways, is the typed error that says so. Skipped, with the reason, where MPICH is not installed.
 */
class DistributedMpichTest {

    @Test
    void twoRanksUnderMpich() throws Exception {
        launch(2);
    }

    @Test
    void threeRanksUnderMpich() throws Exception {
        launch(3);
    }

    /** Hydra with Open MPI's library: refused before MPI_Init on every rank, naming both and what to do. */
    @Test
    void mpichsLauncherWithOpenMpisLibraryIsRefused() throws Exception {
        String reason = MpiRun.mpichUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Assumptions.assumeTrue(MpiRun.unavailableReason() == null, "Open MPI is not installed: " + MpiRun.unavailableReason());
        MpiRun.Result r = MpiRun.runMpich(2, List.of("-Dflambeau.mpi.library=libmpi.so.40"), LauncherLibraryCheck.class);
        assertEquals(2, count(r.output(), "REFUSED this process was started by MPICH's mpiexec (PMI_RANK/PMI_SIZE are set)"
                + " but the MPI library found is Open MPI's libmpi.so.40"), r.output());
        assertTrue(r.output().contains("Start the job with mpirun.openmpi (Open MPI)"), r.output());
        assertEquals(0, count(r.output(), "JOINED"), r.output());
    }

    /** Open MPI's mpirun with MPICH's library: the same, the other way. */
    @Test
    void openMpisLauncherWithMpichsLibraryIsRefused() throws Exception {
        String reason = MpiRun.mpichUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Assumptions.assumeTrue(MpiRun.unavailableReason() == null, "Open MPI is not installed: " + MpiRun.unavailableReason());
        MpiRun.Result r = MpiRun.run(2, List.of("-Dflambeau.mpi.library=libmpich.so.12"), LauncherLibraryCheck.class);
        assertEquals(2, count(r.output(), "REFUSED this process was started by Open MPI's mpirun (OMPI_COMM_WORLD_RANK/SIZE"
                + " are set) but the MPI library found is MPICH's libmpich.so.12"), r.output());
        assertTrue(r.output().contains("Start the job with mpiexec.mpich (MPICH)"), r.output());
        assertEquals(0, count(r.output(), "JOINED"), r.output());
    }

    private static void launch(int ranks) throws Exception {
        String reason = MpiRun.mpichUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        MpiRun.Result r = MpiRun.runMpich(ranks, List.of(), CollectiveChecks.class);
        String tail = r.output().length() > 6000 ? r.output().substring(r.output().length() - 6000) : r.output();
        for (int rank = 0; rank < ranks; rank++) {
            assertTrue(r.output().contains("MPI " + rank + " MPICH Version: "), "rank " + rank + " must run on MPICH:\n" + tail);
        }
        assertTrue(r.output().contains("(libmpich.so.12)"), "the ranks must load libmpich.so.12:\n" + tail);
        assertTrue(r.failures().isEmpty(), r.failures().size() + " failed checks:\n"
                + String.join("\n", r.failures().subList(0, Math.min(20, r.failures().size()))));
        assertEquals(ranks, r.ranksDone(), "every rank must finish its checks; output:\n" + tail);
        assertEquals(0, r.exitCode(), "mpiexec.mpich exit code; output:\n" + tail);
        assertTrue(r.checks() > 400 * ranks, "too few checks ran (" + r.checks() + "); output:\n" + tail);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
