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
 * Starts a Java main class as N ranks under Open MPI's {@code mpirun}, with the test JVM's own JDK
 * ({@code java.home}) and class path, and collects what the ranks print. Ranks report each check as
 * a line {@code CHECK <rank> ok|FAIL <name> ...} and end with {@code DONE <rank> <checks> <failures>}.
 */
final class MpiRun {
    /** Generous: a launch does many checks on a shared 2-core machine; a hang still ends here. */
    private static final long LAUNCH_LIMIT_SECONDS = 300;

    private MpiRun() {}

    /** mpirun on the PATH, or null. */
    static Path mpirun() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "mpirun");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Why the distributed tests cannot run here, or null when they can. */
    static String unavailableReason() {
        if (mpirun() == null) {
            return "mpirun not found on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev; .ci/run does)";
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
            if (!ended) out += "\n[mpirun killed after " + LAUNCH_LIMIT_SECONDS + " s]";
            return parse(ended ? p.exitValue() : -1, out);
        } finally {
            Files.deleteIfExists(log);
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
