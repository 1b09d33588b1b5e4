package io.flambeau.demo.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether Java can draw text on this machine. Java2D takes its fonts from fontconfig; on a machine
 * with neither fontconfig nor a font (a bare GPU server or container) the first text a figure
 * draws fails deep in AWT ("Fontconfig head is null"). The demos then still train and print their
 * results, and say once why no figure was drawn, instead of dying after the training.
 */
public final class Fonts {
    private static volatile Optional<String> whyNot;
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private Fonts() {}

    /** Empty when text can be drawn; else what Java2D said, with what to install. Probed once. */
    public static Optional<String> whyNot() {
        Optional<String> w = whyNot;
        if (w == null) {
            w = probe(() -> {
                Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
                try {
                    g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12)).stringWidth("0");
                } finally {
                    g.dispose();
                }
            });
            whyNot = w;
        }
        return w;
    }

    /** Runs {@code measureText}; what it threw, as the reason no figure can be drawn. */
    static Optional<String> probe(Runnable measureText) {
        try {
            measureText.run();
            return Optional.empty();
        } catch (RuntimeException | LinkageError | InternalError e) {
            return Optional.of("Java finds no fonts on this machine (" + e + "); install fontconfig and a font"
                    + " (Debian/Ubuntu: apt-get install fontconfig fonts-dejavu-core) to get the figures");
        }
    }

    /** Prints the reason on standard error the first time a figure is skipped. */
    static void tellOnce(String why) {
        if (TOLD.compareAndSet(false, true)) System.err.println("figures not drawn: " + why);
    }
}
