package io.flambeau.distributed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./flambeau spiral --ranks N}: the launcher runs the data-parallel spiral as N processes
 * under Open MPI's mpirun (with --allow-run-as-root when root, as CI runs), or with {@code --mpi mpich}
 * under MPICH's mpiexec, on the test's class path.
 */
class SpiralRanksLauncherTest {

    @Test
    void spiralWithTwoRanks(@TempDir Path out) throws Exception {
        String reason = MpiRun.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Result r = launcher(List.of("spiral", "--ranks", "2", "--iterations", "20", "--hidden", "20", "--out", out.toString()));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("rank 0 of 2 (local rank 0): 150 of the 300 points, rows 0, 2, 4, ..."), r.output);
        assertTrue(r.output.contains("rank 1 of 2 (local rank 1): 150 of the 300 points, rows 1, 3, 5, ..."), r.output);
        assertTrue(r.output.contains("spiral, 2 ranks iteration 20/20"), r.output);
        assertTrue(r.output.contains("summary: 2 ranks (Open MPI"), r.output);
        assertTrue(Files.size(out.resolve("spiral-ranks-regions.png")) > 1000);
    }

    /** {@code --mpi mpich}: the same under MPICH's mpiexec, each rank on libmpich.so.12. */
    @Test
    void spiralWithTwoRanksUnderMpich(@TempDir Path out) throws Exception {
        String reason = MpiRun.mpichUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Result r = launcher(List.of("spiral", "--ranks", "2", "--mpi", "mpich", "--iterations", "20", "--hidden", "20",
                "--out", out.toString()));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("rank 1 of 2 (local rank 1): 150 of the 300 points, rows 1, 3, 5, ..."), r.output);
        assertTrue(r.output.contains("spiral, 2 ranks iteration 20/20"), r.output);
        assertTrue(r.output.contains("summary: 2 ranks (MPICH Version: "), r.output);
        assertTrue(r.output.contains("(libmpich.so.12)"), r.output);
        assertTrue(Files.size(out.resolve("spiral-ranks-regions.png")) > 1000);
    }

    @Test
    void aBadLauncherChoiceIsAUsageError() throws Exception {
        Result r = launcher(List.of("spiral", "--ranks", "2", "--mpi", "lam"));
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("--mpi is openmpi or mpich, got 'lam'"), r.output);
        Result alone = launcher(List.of("spiral", "--mpi", "mpich"));
        assertEquals(2, alone.exit, alone.output);
        assertTrue(alone.output.contains("--mpi chooses the launcher of --ranks N"), alone.output);
    }

    @Test
    void aBadRankCountIsAUsageError() throws Exception {
        Result r = launcher(List.of("spiral", "--ranks", "zero"));
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("--ranks needs a positive number of processes, got 'zero'"), r.output);
    }

    private record Result(int exit, String output) {}

    private static Result launcher(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("flambeau").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("FLAMBEAU_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("FLAMBEAU_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("FLAMBEAU_JAVA_OPTS", "-Dflambeau.device=cpu -Djava.awt.headless=true -Xmx512m -XX:+UseSerialGC");
        Path log = Files.createTempFile("flambeau-launcher-", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n[killed after 300 s]");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
