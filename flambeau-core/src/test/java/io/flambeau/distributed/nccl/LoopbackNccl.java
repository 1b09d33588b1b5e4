package io.flambeau.distributed.nccl;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the loopback NCCL (native/loopback-nccl, against native/nccl.h) with gcc into
 * target/loopback-nccl/libnccl.so.2 and points the binding at it ({@code flambeau.nccl.library}),
 * once per test JVM; {@link #overMpi()} builds the variant whose ranks are MPI processes with mpicc
 * into target/loopback-nccl-mpi/. Without the compiler the tests that need it are skipped with the
 * reason.
 */
public final class LoopbackNccl {
    /** flambeau-core's native/: relative in its own tests, named by -Dflambeau.native.dir in the other modules'. */
    private static final Path NATIVE = Path.of(System.getProperty("flambeau.native.dir", "native"));
    private static final Path SOURCE = NATIVE.resolve("loopback-nccl/loopback_nccl.c");
    private static final Path MPI_SOURCE = NATIVE.resolve("loopback-nccl/loopback_nccl_mpi.c");
    private static final Path COMMON = NATIVE.resolve("loopback-nccl/loopback_nccl_common.c");
    private static Path built;
    private static String unavailable;
    private static Path builtOverMpi;
    private static String unavailableOverMpi;

    private LoopbackNccl() {}

    public static synchronized Path require() {
        if (built == null && unavailable == null) {
            try {
                built = build();
                System.setProperty("flambeau.nccl.library", built.toString());
            } catch (IOException | InterruptedException | RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "loopback NCCL unavailable: " + unavailable);
        return built;
    }

    /**
     * The loopback libnccl.so.2 whose collectives run over MPI (for ranks started by mpirun), built
     * with mpicc; not installed in this JVM. A JUnit assumption skips the caller when it cannot be built.
     */
    public static synchronized Path overMpi() {
        if (builtOverMpi == null && unavailableOverMpi == null) {
            try {
                builtOverMpi = build(openMpiCompiler(), "loopback-nccl-mpi", MPI_SOURCE);
            } catch (IOException | InterruptedException | RuntimeException e) {
                unavailableOverMpi = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailableOverMpi == null, () -> "loopback NCCL over MPI unavailable: " + unavailableOverMpi);
        return builtOverMpi;
    }

    /**
     * Open MPI's mpicc by name where MPICH is installed too (Debian's alternatives may make plain
     * mpicc MPICH's): the library is loaded by ranks that Open MPI's mpirun starts.
     */
    private static String openMpiCompiler() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "mpicc.openmpi"))) return "mpicc.openmpi";
            }
        }
        return "mpicc";
    }

    private static Path build() throws IOException, InterruptedException {
        return build("gcc", "loopback-nccl", SOURCE);
    }

    private static Path build(String compiler, String folder, Path source) throws IOException, InterruptedException {
        Path out = Path.of("target", folder).toAbsolutePath();
        Files.createDirectories(out);
        Path lib = out.resolve("libnccl.so.2");
        Path tmp = out.resolve("libnccl.so.2.tmp");
        List<String> cmd = List.of(compiler, "-shared", "-fPIC", "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
                "-Wl,-soname,libnccl.so.2", "-o", tmp.toString(), source.toString(), COMMON.toString(), "-lpthread");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(compiler + " is not on PATH: it compiles the loopback NCCL"
                    + (compiler.startsWith("mpicc") ? " over MPI (apt-get install libopenmpi-dev)" : ""));
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(compiler + " failed on " + source + ":\n" + log);
        Files.move(tmp, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return lib;
    }
}
