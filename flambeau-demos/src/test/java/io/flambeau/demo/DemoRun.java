package io.flambeau.demo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One headless run of a demo through {@link Main#run}, as the command line would start it (plain
 * output, not a terminal), with what it printed and checks on it.
 */
record DemoRun(String name, int code, String out, String err) {

    static DemoRun of(String name, Path outDir, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = name;
        args[1] = "--out";
        args[2] = outDir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, false);
        }
        return new DemoRun(name, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The run succeeded and began with the device line Main prints. */
    DemoRun assertSucceeded() {
        assertEquals(Main.OK, code, err + "\n--- output ---\n" + out);
        assertTrue(out.startsWith("Flambeau demo '" + name + "' on device "), out);
        return this;
    }

    DemoRun assertPrinted(String... fragments) {
        for (String f : fragments) assertTrue(out.contains(f), "missing from output: " + f + "\n--- output ---\n" + out);
        return this;
    }

    /** A plain progress line (label, iteration, loss, speed) was printed for {@code label}. */
    DemoRun assertProgress(String label) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(label) + " iteration +\\d+/\\d+  loss \\S+ +[0-9.]+ it/s$");
        assertTrue(line.matcher(out).find(), "no progress line for '" + label + "'\n--- output ---\n" + out);
        return this;
    }

    /** The number after {@code prefix} (first occurrence) in the output. */
    double number(String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\s*(-?[0-9.]+)").matcher(out);
        assertTrue(m.find(), "no '" + prefix + "' followed by a number\n--- output ---\n" + out);
        return Double.parseDouble(m.group(1));
    }

    /** Reads a PNG the demo wrote; returns it after checking it is a real, non-empty image. */
    static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " written");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "not a readable PNG: " + file);
        assertTrue(image.getWidth() > 0 && image.getHeight() > 0, "empty image " + file);
        return image;
    }
}
