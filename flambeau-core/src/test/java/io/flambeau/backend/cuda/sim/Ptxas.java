package io.flambeau.backend.cuda.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs NVIDIA's {@code ptxas} (when on PATH) to check that test PTX is valid for real GPUs. */
final class Ptxas {
    private static Boolean available;

    private Ptxas() {}

    static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("ptxas", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /** Assembles {@code ptx} for {@code arch} (e.g. sm_75) with warnings as errors; null if it passes. */
    static String check(String ptx, String arch) throws IOException, InterruptedException {
        Path f = Files.createTempFile("flambeau-sim-", ".ptx");
        try {
            Files.writeString(f, ptx, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("ptxas", "--gpu-name", arch, "--warning-as-error", f.toString(),
                    "-o", "/dev/null").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "ptxas timed out";
            }
            return p.exitValue() == 0 && out.isBlank() ? null : out.strip();
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
