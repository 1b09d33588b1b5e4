package io.flambeau.distributed;

import io.flambeau.backend.cuda.ffm.LoopbackRankDevice;
import io.flambeau.distributed.nccl.LoopbackNccl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process group's NCCL path as 2 ranks under mpirun, without a GPU: each rank's cuda:0 is the
 * loopback device (device pointers are host memory) and libnccl.so.2 the loopback whose collectives
 * run over MPI, so the binding code that drives NCCL on GPUs runs here ({@link NcclRankChecks}).
 */
class NcclCollectivesTest {

    @Test
    void twoRanksThroughNccl() throws Exception {
        String reason = MpiRun.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Path nccl = LoopbackNccl.overMpi();
        Path cuda = LoopbackRankDevice.build();
        MpiRun.Result r = MpiRun.run(2, List.of("-Dflambeau.nccl.library=" + nccl,
                "-Dflambeau.cuda.libraryPath=" + cuda,
                "-Dflambeau.native.dir=" + System.getProperty("flambeau.native.dir", "native")), NcclRankChecks.class);
        String tail = r.output().length() > 6000 ? r.output().substring(r.output().length() - 6000) : r.output();
        assertTrue(r.failures().isEmpty(), r.failures().size() + " failed checks:\n"
                + String.join("\n", r.failures().subList(0, Math.min(20, r.failures().size()))));
        assertEquals(2, r.ranksDone(), "every rank must finish its checks; output:\n" + tail);
        assertEquals(0, r.exitCode(), "mpirun exit code; output:\n" + tail);
        assertTrue(r.checks() > 150, "too few checks ran (" + r.checks() + "); output:\n" + tail);
        assertTrue(!r.output().contains("NCCL is not available"), "fell back to MPI staging:\n" + tail);
    }
}
