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
