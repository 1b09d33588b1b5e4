package io.flambeau.distributed.nccl;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the loopback NCCL (native/loopback-nccl, against native/nccl.h) with gcc into
 * target/loopback-nccl/libnccl.so.2 and points the binding at it ({@code flambeau.nccl.library}),
 * once per test JVM. Without gcc the tests that need it are skipped with the reason.
 */
final class LoopbackNccl {
    private static final Path SOURCE = Path.of("native/loopback-nccl/loopback_nccl.c");
    private static Path built;
    private static String unavailable;

    private LoopbackNccl() {}

    static synchronized Path require() {
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

    private static Path build() throws IOException, InterruptedException {
        Path out = Path.of("target", "loopback-nccl").toAbsolutePath();
        Files.createDirectories(out);
        Path lib = out.resolve("libnccl.so.2");
        Path tmp = out.resolve("libnccl.so.2.tmp");
        List<String> cmd = List.of("gcc", "-shared", "-fPIC", "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
                "-Wl,-soname,libnccl.so.2", "-o", tmp.toString(), SOURCE.toString(), "-lpthread");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("gcc is not on PATH: it compiles the loopback NCCL");
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("gcc failed on " + SOURCE + ":\n" + log);
        Files.move(tmp, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return lib;
    }
}
