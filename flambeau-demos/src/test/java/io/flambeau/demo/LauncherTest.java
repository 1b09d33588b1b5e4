package io.flambeau.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's commands as a user's shell runs them, each in a fresh JVM: the {@code ./flambeau}
 * launcher (exit statuses, only the program's messages, the progress bar under a terminal), and
 * a demo started with {@code DISPLAY} naming an X server that does not exist. The launcher is
 * given the classes this build compiled ({@code FLAMBEAU_CLASSPATH}) and this JVM's JDK, so it
 * neither builds the jar nor searches for a JDK here.
 */
class LauncherTest {
    /** An X display nothing listens on: no /tmp/.X11-unix/X59998 socket, no TCP port. */
    private static final String DEAD_DISPLAY = ":59998";
    /** The repository root, where ./flambeau is: the parent of this module (flambeau-demos). */
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        /** stderr without the one line that says which device was chosen and why (no GPU here). */
        String errBesidesDevice() {
            return err.lines().filter(l -> !l.matches("INFO: Flambeau: using \\S+ \\(.*\\)")).map(l -> l + "\n")
                    .reduce("", String::concat);
        }

        String describe() {
            return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("FLAMBEAU_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("FLAMBEAU_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("flambeau").toString()));
        command.addAll(List.of(args));
        return run(Map.of(), command.toArray(String[]::new));
    }

    @Test
    void badCommandLinesPrintOnlyTheMessageAndExit2() throws Exception {
        Result unknown = launcher("nosuchdemo");
        assertEquals(2, unknown.code(), unknown.describe());
        assertEquals("error: unknown demo 'nosuchdemo'\n--help lists the demos and their options\n", unknown.err(),
                unknown.describe());
        assertEquals("", unknown.out());

        Result ignored = launcher("tensors", "--hidden", "3");
        assertEquals(2, ignored.code(), ignored.describe());
        assertTrue(ignored.err().startsWith("error: demo 'tensors' does not use --hidden"), ignored.describe());
        assertEquals(2, ignored.err().lines().count(), ignored.describe());

        Result badValue = launcher("spiral", "--iterations", "many");
        assertEquals(2, badValue.code(), badValue.describe());

        Result help = launcher("--help");
        assertEquals(0, help.code(), help.describe());
        assertTrue(help.out().startsWith("usage: ./flambeau DEMO [options]"), help.describe());
        assertEquals("", help.err(), "not even the JVM's incubator notice: " + help.describe());
    }

    @Test
    void aDemoRunsAndExits0() throws Exception {
        Result r = launcher("boolean", "--iterations", "5", "--out", dir.resolve("png").toString());
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().startsWith("Flambeau demo 'boolean' on device "), r.describe());
        assertFalse(r.out().contains("\r"), "no terminal, no progress bar");
        assertEquals("", r.errBesidesDevice(), r.describe());
        assertTrue(Files.isRegularFile(dir.resolve("png").resolve(BooleanDemo.LOSS_PNG)));
    }

    @Test
    void doctorExitStatusIsItsOwn() throws Exception {
        Result r = launcher("doctor");
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 2, r.describe());
        assertTrue(r.out().startsWith("Flambeau doctor"), r.describe());
        if (r.code() == 2) assertTrue(r.out().contains("CUDA is not usable here"), r.describe());
        assertFalse((r.out() + r.err()).contains("Exception"), "no stack trace: " + r.describe());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.describe());
    }

    @Test
    void replPrintsAsPyTorch() throws Exception {
        Path input = Files.writeString(dir.resolve("repl-input"),
                "Tensor A = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)))\nA.get(\"0, 1:\")\nA.shape()\n/exit\n");
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("flambeau").toString(), "repl").directory(ROOT.toFile())
                .redirectInput(input.toFile()).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().put("FLAMBEAU_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("FLAMBEAU_JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jshell did not end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("io.flambeau.*, io.flambeau.nn.*, io.flambeau.optim.* imported"), out);
        assertTrue(out.contains("A ==> tensor([[1., 2., 3.],\n        [4., 5., 6.]])"), out);
        assertTrue(out.contains("==> tensor([2., 3.])"), out);
        assertTrue(out.contains("==> torch.Size([2, 3])"), out);
    }

    @Test
    void progressBarUnderAPseudoTerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "util-linux 'script' (/usr/bin/script) is not installed: no pseudo-terminal to run the launcher in");
        String command = "bash " + ROOT.resolve("flambeau") + " boolean --iterations 5 --out " + dir.resolve("png");
        Result r = run(Map.of(), script.toString(), "-qec", command, "/dev/null");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("\rloop ["), "the bar redraws itself in place on a terminal: " + r.describe());
        assertTrue(r.out().contains("\rvectorised [########################] iteration 5/5"), r.describe());
    }

    @Test
    void aDeadDisplayLeavesThePngsAlone() throws Exception {
        Path png = dir.resolve("dead-display");
        Result plain = run(Map.of("DISPLAY", DEAD_DISPLAY), "bash", ROOT.resolve("flambeau").toString(), "neuron", "--out",
                png.toString());
        assertEquals(0, plain.code(), plain.describe());
        assertTrue(Files.size(png.resolve(NeuronDemo.NETWORK_PNG)) > 0, plain.describe());
        assertFalse(plain.out().contains("--show"), plain.describe());
        assertEquals("", plain.errBesidesDevice(), plain.describe());

        Result shown = run(Map.of("DISPLAY", DEAD_DISPLAY), "bash", ROOT.resolve("flambeau").toString(), "neuron", "--show",
                "--out", png.resolve("shown").toString());
        assertEquals(0, shown.code(), shown.describe());
        assertTrue(Files.size(png.resolve("shown").resolve(NeuronDemo.NEURON_PNG)) > 0, shown.describe());
        List<String> why = shown.out().lines().filter(l -> l.startsWith("--show: no window")).toList();
        assertEquals(1, why.size(), "one line says why no window opens: " + shown.describe());
        assertTrue(why.getFirst().contains(DEAD_DISPLAY), why.getFirst());
        assertEquals("", shown.errBesidesDevice(), shown.describe());
    }
}
