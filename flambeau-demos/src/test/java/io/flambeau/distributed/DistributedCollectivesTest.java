package io.flambeau.distributed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process group and DistributedDataParallel on real MPI: {@link CollectiveChecks} run as 2 and
 * as 3 ranks under mpirun (Open MPI, shared memory, oversubscribed on small machines). Each launch
 * checks every collective on every dtype and several shapes against a single-process reference,
 * the error cases (mismatched shapes, dtypes, collectives, reductions and roots; bad arguments on
 * one rank; a rank that never arrives; use after destroy) and data-parallel training of the spiral
 * network against one process on the full batch.
 */
class DistributedCollectivesTest {

    @Test
    void twoRanks() throws Exception {
        launch(2);
    }

    @Test
    void threeRanks() throws Exception {
        launch(3);
    }

    /** The course's spiral demo, data-parallel: each rank reports its shard, rank 0 the progress and the picture. */
    @Test
    void spiralDemoUnderMpirun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) throws Exception {
        String reason = MpiRun.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        MpiRun.Result r = MpiRun.run(2, io.flambeau.demo.Main.class, "spiral-ranks", "--iterations", "20", "--hidden", "20",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 0 of 2 (local rank 0): 150 of the 300 points, rows 0, 2, 4, ..."), r.output());
        assertTrue(r.output().contains("rank 1 of 2 (local rank 1): 150 of the 300 points, rows 1, 3, 5, ..."), r.output());
        assertTrue(r.output().contains("spiral, 2 ranks iteration 20/20"), r.output());
        assertTrue(r.output().contains("summary: 2 ranks (Open MPI"), r.output());
        assertTrue(java.nio.file.Files.size(out.resolve("spiral-ranks-regions.png")) > 1000);
    }

    private static void launch(int ranks) throws Exception {
        String reason = MpiRun.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        MpiRun.Result r = MpiRun.run(ranks, CollectiveChecks.class);
        String tail = r.output().length() > 6000 ? r.output().substring(r.output().length() - 6000) : r.output();
        assertTrue(r.failures().isEmpty(), r.failures().size() + " failed checks:\n"
                + String.join("\n", r.failures().subList(0, Math.min(20, r.failures().size()))));
        assertEquals(ranks, r.ranksDone(), "every rank must finish its checks; output:\n" + tail);
        assertEquals(0, r.exitCode(), "mpirun exit code; output:\n" + tail);
        assertTrue(r.checks() > 400 * ranks, "too few checks ran (" + r.checks() + "); output:\n" + tail);
    }
}
