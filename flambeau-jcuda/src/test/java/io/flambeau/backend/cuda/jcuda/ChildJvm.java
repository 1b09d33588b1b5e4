package io.flambeau.backend.cuda.jcuda;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM running a main class of the test class path, for scenarios that must not touch
 * this JVM's native libraries. Returns the child's {@code KEY=value} output lines as a map.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** The test class path: surefire's full one when running under it, else this JVM's. */
    static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    static Map<String, String> run(Class<?> main, Predicate<String> keepOnClassPath, List<String> jvmArgs,
                                   Map<String, String> env, Path tmpDir, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djava.io.tmpdir=" + tmpDir); // JCuda extracts its JNI libraries here: a fresh copy per scenario
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, testClassPath().stream().filter(keepOnClassPath).toList()));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().remove("FLAMBEAU_CUDA_BINDING"); // a scenario sets it explicitly or runs without it
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("child JVM failed (" + String.join(" ", cmd) + "):\n" + out);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) result.put(line.substring(0, eq), line.substring(eq + 1));
        }
        result.put("OUTPUT", out);
        return result;
    }
}
