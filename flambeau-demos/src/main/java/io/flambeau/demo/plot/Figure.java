package io.flambeau.demo.plot;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A picture that can be drawn at any size: a {@link LinePlot} or a {@link RegionMap}. Rendering
 * is pure (no window, no display needed), so figures work the same in tests, on a headless GPU
 * server and on a laptop where a {@link LiveWindow} shows them as they change.
 */
public interface Figure {
    /** Size used by {@link #writePng(Path)}. */
    int DEFAULT_WIDTH = 800;
    int DEFAULT_HEIGHT = 600;

    /**
     * The figure's natural size in pixels: its PNG size, and the proportions a window keeps when
     * it shows the figure at another size (a square region map stays square).
     */
    default Dimension size() {
        return new Dimension(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** Draws the figure into a new width x height RGB image on a white background. */
    BufferedImage render(int width, int height);

    /** Writes the figure as a PNG of its {@link #size()}. */
    default void writePng(Path path) {
        Dimension d = size();
        writePng(path, d.width, d.height);
    }

    /**
     * Writes the figure as a width x height PNG, creating missing parent directories. Where Java
     * can draw no text ({@link Fonts#whyNot()}) it writes nothing and says why once.
     */
    default void writePng(Path path, int width, int height) {
        Optional<String> noFonts = Fonts.whyNot();
        if (noFonts.isPresent()) {
            Fonts.tellOnce(noFonts.get());
            return;
        }
        writePng(render(width, height), path);
    }

    /**
     * Writes an image as PNG. The bytes go to a sibling temporary file that is then renamed over
     * {@code path}, so an image viewer watching the file while a demo rewrites it every few
     * iterations never shows a half-written picture.
     *
     * @throws UncheckedIOException when the file cannot be written; demos have nothing better to
     *     do with the failure than stop, and a checked exception would clutter every call site
     */
    static void writePng(BufferedImage image, Path path) {
        try {
            Path target = path.toAbsolutePath();
            Path dir = target.getParent();
            if (dir != null) Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                if (!ImageIO.write(image, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available for image type " + image.getType());
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PNG " + path + ": " + e.getMessage(), e);
        }
    }
}
