package io.flambeau.backend.cuda.ffm;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the loopback driver (native/loopback) with gcc into the folder the FFM binding loads CUDA
 * from ({@value CudaLibraries#PATH_PROPERTY}; the pom sets it to target/loopback for the test run):
 * {@code libcuda.so.1}, {@code libcublas.so.13} and {@code libcublas.so.12}. Rebuilt only when a
 * source is newer than its output; written under a temporary name and renamed, so a library the JVM
 * already mapped is never overwritten in place.
 *
 * <p>Without gcc or cuda.h the tests that need it are skipped (JUnit assumption) with the reason:
 * the loopback must be compiled against the real cuda.h, or it would check nothing.
 */
final class LoopbackLibrary {
    /** flambeau-core's native/: relative in its own tests, named by the pom of flambeau-jcuda and by bench/lib.sh. */
    private static final Path NATIVE = Path.of(System.getProperty("flambeau.native.dir", "native"));
    private static final Path SOURCES = NATIVE.resolve("loopback");
    private static final Path HEADERS = NATIVE.resolve("headers.h");
    private static Path built;
    private static String unavailable;

    private LoopbackLibrary() {}

    /** The folder holding the built libraries; skips the calling test when they cannot be built. */
    static synchronized Path require() {
        if (built == null && unavailable == null) {
            try {
                built = build();
            } catch (IOException | InterruptedException | RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "loopback CUDA driver unavailable: " + unavailable);
        return built;
    }

    private static Path build() throws IOException, InterruptedException {
        String prop = System.getProperty(CudaLibraries.PATH_PROPERTY);
        Path out = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("target", "loopback");
        if (prop == null || prop.isBlank()) System.setProperty(CudaLibraries.PATH_PROPERTY, out.toAbsolutePath().toString());
        Path include = cudaInclude();
        if (include == null) {
            throw new IllegalStateException("cuda.h not found (looked in $CUDA_HOME/include and /usr/local/cuda/include; "
                    + "set -Dflambeau.cuda.include=DIR): the loopback must compile against NVIDIA's header");
        }
        if (!onPath("gcc")) throw new IllegalStateException("gcc is not on PATH: it compiles the loopback driver");
        Files.createDirectories(out);
        List<String> driverSrc = List.of("loopback_driver.c", "loopback_memory.c", "loopback_modules.c", "loopback_graphs.c");
        Path blasSrc = SOURCES.resolve("loopback_cublas.c");
        List<Path> inputs = new ArrayList<>(List.of(blasSrc, SOURCES.resolve("loopback.h"), SOURCES.resolve("loopback_internal.h"), HEADERS));
        for (String s : driverSrc) inputs.add(SOURCES.resolve(s));
        List<String> driverArgs = new ArrayList<>(List.of("-I" + include, "-Wl,-soname,libcuda.so.1"));
        for (String s : driverSrc) driverArgs.add(SOURCES.resolve(s).toString());
        driverArgs.add("-lpthread");
        compile(inputs, out.resolve("libcuda.so.1"), driverArgs);
        for (String[] v : new String[][] {{"13", "130000"}, {"12", "120900"}}) {
            compile(inputs, out.resolve("libcublas.so." + v[0]), List.of("-I" + include, "-DFLB_CUBLAS_VERSION=" + v[1],
                    "-Wl,-soname,libcublas.so." + v[0], blasSrc.toString(), "-L" + out.toAbsolutePath(), "-l:libcuda.so.1",
                    "-Wl,-rpath,$ORIGIN", "-lpthread"));
        }
        return out.toAbsolutePath();
    }

    private static void compile(List<Path> inputs, Path output, List<String> args) throws IOException, InterruptedException {
        if (upToDate(output, inputs)) return;
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-std=gnu11", "-O2", "-g",
                "-Wall", "-Wextra", "-Werror", "-o", tmp.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("gcc failed building " + output.getFileName() + ":\n" + String.join(" ", cmd) + "\n" + log);
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean upToDate(Path output, List<Path> inputs) throws IOException {
        if (!Files.exists(output)) return false;
        FileTime built = Files.getLastModifiedTime(output);
        for (Path in : inputs) if (Files.getLastModifiedTime(in).compareTo(built) > 0) return false;
        return true;
    }

    private static Path cudaInclude() {
        List<String> candidates = new ArrayList<>();
        String explicit = System.getProperty("flambeau.cuda.include");
        if (explicit != null) candidates.add(explicit);
        String home = System.getenv("CUDA_HOME");
        if (home != null) candidates.add(home + "/include");
        candidates.add("/usr/local/cuda/include");
        for (String c : candidates) if (Files.isRegularFile(Path.of(c, "cuda.h"))) return Path.of(c);
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }
}
