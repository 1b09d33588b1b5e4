package io.flambeau.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --show} with a display that works: a virtual X server (Xvfb) for the child JVM, whose
 * demo opens its windows, shows each frame, and with {@code --no-wait} ends with the training.
 * Skipped, with the reason, where Xvfb is not installed ({@code apt-get install xvfb}).
 */
class LiveWindowDisplayTest {
    private static final Path XVFB = Path.of("/usr/bin/Xvfb");
    private static final String DISPLAY = ":59997";
    private static Process server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(Files.isExecutable(XVFB), "Xvfb (/usr/bin/Xvfb) is not installed: no display to open a live window on");
        server = new ProcessBuilder(XVFB.toString(), DISPLAY, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path socket = Path.of("/tmp/.X11-unix/X" + DISPLAY.substring(1));
        for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(50);
        assumeTrue(server.isAlive() && Files.exists(socket), "Xvfb did not start on " + DISPLAY);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void windowsOpenAndNoWaitEndsTheDemo() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "io.flambeau.demo.Main", "neuron", "--show", "--no-wait", "--out",
                dir.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", DISPLAY);
        Path log = dir.resolve("log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the demo did not end with --no-wait:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("--show: no window"), "the display works:\n" + out);
        assertFalse(out.contains("close the"), "--no-wait does not wait:\n" + out);
        assertFalse(out.contains("Exception"), out);
        assertTrue(Files.size(dir.resolve(NeuronDemo.NETWORK_PNG)) > 0);
    }
}
