package io.flambeau.distributed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a Java main class as N ranks under an MPI launcher, with the test JVM's own JDK
 * ({@code java.home}) and class path, and collects what the ranks print. Ranks report each check as
 * a line {@code CHECK <rank> ok|FAIL <name> ...} and end with {@code DONE <rank> <checks> <failures>}.
 *
 * <p>{@link #run} uses Open MPI's launcher by name ({@code mpirun.openmpi}, or an {@code mpirun}
 * that says it is Open MPI's): where MPICH is installed too, plain {@code mpirun} may be MPICH's
 * (Debian's alternatives), and a launcher must start its own library. {@link #runMpich} uses
 * MPICH's Hydra, {@code mpiexec.mpich}; the ranks then load {@code libmpich.so.12} (Flambeau picks
 * the library of the launcher that started them).
 */
final class MpiRun {
    /** Generous: a launch does many checks on a shared 2-core machine; a hang still ends here. */
    private static final long LAUNCH_LIMIT_SECONDS = 300;
    private static final List<Path> MPICH_LIBRARY = List.of(Path.of("/usr/lib/x86_64-linux-gnu/libmpich.so.12"),
            Path.of("/usr/lib64/mpich/lib/libmpich.so.12"), Path.of("/usr/lib/libmpich.so.12"));
    private static Path openMpiLauncher;
    private static boolean openMpiLooked;

    private MpiRun() {}

    /** Open MPI's mpirun: {@code mpirun.openmpi} on the PATH, else an {@code mpirun} that is Open MPI's, else null. */
    static synchronized Path mpirun() {
        if (openMpiLooked) return openMpiLauncher;
        openMpiLooked = true;
        Path named = onPath("mpirun.openmpi");
        if (named != null) return openMpiLauncher = named;
        Path plain = onPath("mpirun");
        if (plain != null && versionSays(plain, "Open MPI", "open-mpi")) openMpiLauncher = plain;
        return openMpiLauncher;
    }

    /** MPICH's Hydra launcher, {@code mpiexec.mpich} (or {@code mpiexec.hydra}) on the PATH, or null. */
    static Path mpiexecMpich() {
        Path p = onPath("mpiexec.mpich");
        return p != null ? p : onPath("mpiexec.hydra");
    }

    /** Why the distributed tests cannot run here under Open MPI, or null when they can. */
    static String unavailableReason() {
        if (mpirun() == null) {
            return "Open MPI's mpirun (mpirun.openmpi, or an mpirun that is Open MPI's) not found on PATH: install Open MPI"
                    + " (apt-get install openmpi-bin libopenmpi-dev; .ci/run does)";
        }
        return null;
    }

    /** Why the distributed tests cannot run here under MPICH, or null when they can. */
    static String mpichUnavailableReason() {
        if (mpiexecMpich() == null) {
            return "MPICH's mpiexec.mpich not found on PATH: install MPICH (apt-get install mpich libmpich-dev; .ci/run does)";
        }
        if (MPICH_LIBRARY.stream().noneMatch(Files::exists)) {
            return "MPICH's libmpich.so.12 not found in " + MPICH_LIBRARY + ": install MPICH (apt-get install libmpich12)";
        }
        return null;
    }

    record Result(int exitCode, String output, List<String> failures, int ranksDone, int checks) {}

    static Result run(int ranks, Class<?> main, String... args) throws IOException, InterruptedException {
        return run(ranks, List.of(), main, args);
    }

    /** {@link #run(int, Class, String...)} with more options for the ranks' JVMs ({@code -Dname=value}). */
    static Result run(int ranks, List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mpirun().toString()));
        if ("root".equals(System.getProperty("user.name"))) cmd.add("--allow-run-as-root");
        cmd.addAll(List.of("--oversubscribe", "--bind-to", "none", "-np", String.valueOf(ranks),
                // shared memory and self only: no network interfaces are probed on CI machines
                "--mca", "btl", "self,vader", "--mca", "btl_vader_single_copy_mechanism", "none"));
        return launch(cmd, jvmOptions, main, args);
    }

    /**
     * {@code main} as N ranks under MPICH's {@code mpiexec.mpich -n N}: Hydra needs no option as root
     * nor to start more ranks than cores (it does not bind ranks to cores by default).
     */
    static Result runMpich(int ranks, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mpiexecMpich().toString(), "-n", String.valueOf(ranks)));
        return launch(cmd, jvmOptions, main, args);
    }

    private static Result launch(List<String> launcher, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        // through env: mpirun rewrites the arguments of a program named "java" for Open MPI's own Java bindings
        cmd.add("env");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-Xmx768m",
                "-XX:+UseSerialGC", "-Dflambeau.device=cpu", "-Dflambeau.distributed.timeout=120", "-Djava.awt.headless=true"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("flambeau-mpirun-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(LAUNCH_LIMIT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended) out += "\n[" + launcher.getFirst() + " killed after " + LAUNCH_LIMIT_SECONDS + " s]";
            return parse(ended ? p.exitValue() : -1, out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Whether {@code launcher --version} prints one of {@code marks}. */
    private static boolean versionSays(Path launcher, String... marks) {
        try {
            Process p = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            for (String m : marks) if (out.contains(m)) return true;
            return false;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static final Pattern CHECK = Pattern.compile("^CHECK (\\d+) (ok|FAIL) (.*)$", Pattern.MULTILINE);
    private static final Pattern DONE = Pattern.compile("^DONE (\\d+) (\\d+) (\\d+)$", Pattern.MULTILINE);

    private static Result parse(int exit, String out) {
        List<String> failures = new ArrayList<>();
        Matcher m = CHECK.matcher(out);
        int checks = 0;
        while (m.find()) {
            checks++;
            if (m.group(2).equals("FAIL")) failures.add("rank " + m.group(1) + ": " + m.group(3));
        }
        int done = 0;
        Matcher d = DONE.matcher(out);
        while (d.find()) done++;
        return new Result(exit, out, failures, done, checks);
    }
}
