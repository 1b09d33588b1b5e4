package io.flambeau.demo.plot;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decides, before anything touches AWT, whether this JVM draws with a display or headless.
 *
 * <p>Why it must be decided first: AWT picks its graphics environment once per JVM. When
 * {@code DISPLAY} names an X server that does not answer (an ssh session whose X forwarding is
 * gone, tmux, a container that passes {@code DISPLAY} on), the first drawing call fails with
 * {@code AWTError: Can't connect to X11 window server}, and every later one too: even drawing into
 * an in-memory PNG image. So PNG-only runs are made headless before the first figure, and a run
 * that asks for a window first checks the display in a short-lived child JVM, where a failure
 * costs nothing; this JVM goes headless when the child could not reach it.
 *
 * <pre>{@code
 * Optional<String> whyNot = Display.choose(options.show());   // before any figure is drawn
 * whyNot.ifPresent(reason -> out.println("--show: no window (" + reason + "); figures go to PNG files only"));
 * }</pre>
 */
public final class Display {
    private static final String HEADLESS = "java.awt.headless";
    /** The child JVM's answer when the display works. */
    private static final String USABLE = "display usable";
    private static final long PROBE_SECONDS = 20;

    private Display() {}

    /**
     * Makes this JVM headless unless {@code windowWanted} and a display is usable. Returns why no
     * window can open when one was wanted and cannot; empty when a window can open or none was
     * wanted. Call it before the first figure is drawn; later, AWT's choice is already made.
     */
    public static Optional<String> choose(boolean windowWanted) {
        String explicit = System.getProperty(HEADLESS);
        if (!windowWanted) {
            if (explicit == null) System.setProperty(HEADLESS, "true");
            return Optional.empty();
        }
        if ("true".equalsIgnoreCase(explicit)) return Optional.of("this JVM runs headless (-Djava.awt.headless=true)");
        Optional<String> whyNot = whyNoDisplay();
        if (whyNot.isPresent()) System.setProperty(HEADLESS, "true");
        return whyNot;
    }

    /** Why no window can be opened here, or empty when a display answers. Starts a child JVM. */
    static Optional<String> whyNoDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean x11 = !os.contains("win") && !os.contains("mac");
        if (x11 && blank(System.getenv("DISPLAY"))) {
            return Optional.of(blank(System.getenv("WAYLAND_DISPLAY"))
                    ? "no display: DISPLAY is not set"
                    : "DISPLAY is not set and Java draws windows only through X11 (XWayland)");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-D" + HEADLESS + "=false", "-cp",
                System.getProperty("java.class.path"), Display.class.getName());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String answer;
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.of("the display " + System.getenv("DISPLAY") + " did not answer within "
                            + PROBE_SECONDS + " s");
                }
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (p.exitValue() == 0 && answer.endsWith(USABLE)) return Optional.empty();
            String last = answer.isEmpty() ? "exit status " + p.exitValue() : answer.lines().reduce((a, b) -> b).orElse("");
            return Optional.of(last);
        } catch (IOException e) {
            return Optional.of("cannot start " + java + " to check the display: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking the display");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The child JVM's check: opens the graphics environment and its screen, prints
     * {@value #USABLE} and exits 0, or prints AWT's one-line reason and exits 1.
     */
    public static void main(String[] args) {
        try {
            if (GraphicsEnvironment.isHeadless()) {
                System.out.println("no display: AWT reports a headless environment");
                System.exit(1);
            }
            GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice().getDefaultConfiguration();
            System.out.println(USABLE);
            System.exit(0);
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.toString() : t.getMessage();
            System.out.println(message.strip().lines().findFirst().orElse(t.toString()));
            System.exit(1);
        }
    }
}
