package io.flambeau;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JVM that denies native access (as {@code --illegal-native-access=deny} does, and later JDKs
 * will by default) still runs Flambeau: device selection falls back to the CPU with a line that
 * names the flag to add. Run in a child JVM, started as a library user's plain {@code java -cp}.
 */
class NativeAccessTest {
    @Test
    void deniedNativeAccessFallsBackToTheCpuNamingTheFlag() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "--illegal-native-access=deny", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), "io.flambeau.demo.Main", "broadcast");
        Path log = Files.createTempFile("native-access", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the child JVM did not finish within 120 s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("Flambeau demo 'broadcast' on device cpu"), out);
            assertTrue(out.contains("Flambeau: using cpu (the ffm CUDA binding needs native access, which this JVM denies:"
                    + " start it with --enable-native-access=ALL-UNNAMED"), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
