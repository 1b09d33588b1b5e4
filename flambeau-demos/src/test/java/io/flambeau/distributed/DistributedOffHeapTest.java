package io.flambeau.distributed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collectives on off-heap CPU tensors, under mpirun: {@link OffHeapCollectiveChecks} as 2
 * ranks whose JVMs keep every tensor of more than 16 elements off the Java heap and issue
 * all-reduces and broadcasts in chunks of 1000 elements. The ranks check every collective and
 * dtype on dense slices and strided views (neighbours untouched), that a blocking all-reduce or
 * broadcast of a dense off-heap tensor hands MPI the tensor's own address with no staging copy
 * (exact call and copy counts), and the chunked results against the single-process reference;
 * then the chunks on tensors in Java arrays.
 */
class DistributedOffHeapTest {

    @Test
    void twoRanksOffHeapAndChunked() throws Exception {
        launch(List.of("-Dflambeau.cpu.offHeapAbove=16", "-Dflambeau.distributed.chunkElements=1000"), 500);
    }

    /** The same chunks of 1000 on tensors in Java arrays (the staged route and the large-tensor route on the array). */
    @Test
    void twoRanksChunkedInArrays() throws Exception {
        launch(List.of("-Dflambeau.distributed.chunkElements=1000"), 100, "on-heap");
    }

    private static void launch(List<String> options, int leastChecks, String... args) throws Exception {
        String reason = MpiRun.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        MpiRun.Result r = MpiRun.run(2, options, OffHeapCollectiveChecks.class, args);
        String tail = r.output().length() > 6000 ? r.output().substring(r.output().length() - 6000) : r.output();
        assertTrue(r.failures().isEmpty(), r.failures().size() + " failed checks:\n"
                + String.join("\n", r.failures().subList(0, Math.min(20, r.failures().size()))));
        assertEquals(2, r.ranksDone(), "every rank must finish its checks; output:\n" + tail);
        assertEquals(0, r.exitCode(), "mpirun exit code; output:\n" + tail);
        assertTrue(r.checks() > leastChecks * 2, "too few checks ran (" + r.checks() + "); output:\n" + tail);
    }
}
