package io.flambeau.demo.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading figures back from PNG and checking what colour lies where. */
final class Pixels {
    private Pixels() {}

    static BufferedImage readPng(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "not a readable image: " + file);
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
        return image;
    }

    static Color at(BufferedImage image, double x, double y) {
        return new Color(image.getRGB((int) Math.floor(x), (int) Math.floor(y)) & 0xffffff);
    }

    /** Largest per-channel difference. */
    static int distance(Color a, Color b) {
        return Math.max(Math.abs(a.getRed() - b.getRed()),
                Math.max(Math.abs(a.getGreen() - b.getGreen()), Math.abs(a.getBlue() - b.getBlue())));
    }

    static void assertColour(Color expected, BufferedImage image, double x, double y) {
        Color actual = at(image, x, y);
        assertTrue(distance(expected, actual) <= 2,
                "pixel (" + (int) x + ", " + (int) y + ") is " + hex(actual) + ", expected " + hex(expected));
    }

    /**
     * Some pixel within {@code radius} of (x, y) has (nearly) the expected colour. Antialiased
     * lines blend with the background at their edges, so only their core is exactly coloured.
     */
    static void assertColourNear(Color expected, BufferedImage image, double x, double y, int radius) {
        int cx = (int) Math.floor(x), cy = (int) Math.floor(y);
        int best = Integer.MAX_VALUE;
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                best = Math.min(best, distance(expected, at(image, cx + dx, cy + dy)));
            }
        }
        assertTrue(best <= 12, "no pixel near (" + cx + ", " + cy + ") is close to " + hex(expected)
                + " (closest differs by " + best + ")");
    }

    /** The layout a figure uses at this size, so tests can turn data values into pixels. */
    static PlotArea layoutOf(LinePlot plot, int width, int height) {
        return withGraphics(width, height, g -> plot.layout(g, width, height));
    }

    static PlotArea layoutOf(RegionMap map, int width, int height) {
        return withGraphics(width, height, g -> map.layout(g, width, height));
    }

    private static PlotArea withGraphics(int width, int height, java.util.function.Function<Graphics2D, PlotArea> f) {
        Graphics2D g = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            Style.prepare(g);
            return f.apply(g);
        } finally {
            g.dispose();
        }
    }

    static String hex(Color c) {
        return String.format("#%06x", c.getRGB() & 0xffffff);
    }
}
