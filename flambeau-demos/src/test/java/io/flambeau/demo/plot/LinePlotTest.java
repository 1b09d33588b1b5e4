package io.flambeau.demo.plot;

import static io.flambeau.demo.plot.Pixels.assertColour;
import static io.flambeau.demo.plot.Pixels.assertColourNear;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    private static final int W = 800;
    private static final int H = 600;

    @TempDir
    Path dir;

    /** y = x from 0 to 10: runs bottom-left to top-right, leaving the bottom-right corner empty. */
    private static LinePlot diagonal() {
        double[] x = new double[11];
        for (int i = 0; i < x.length; i++) x[i] = i;
        return new LinePlot().title("diagonal").xLabel("x").yLabel("y").addLine("y = x", x, x);
    }

    @Test
    void writesPngOfRequestedSize() throws Exception {
        Path file = dir.resolve("nested/dir/line.png");
        diagonal().writePng(file, 640, 480);
        Pixels.readPng(file, 640, 480);
        diagonal().writePng(dir.resolve("default.png"));
        Pixels.readPng(dir.resolve("default.png"), Figure.DEFAULT_WIDTH, Figure.DEFAULT_HEIGHT);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void linePassesThroughItsDataPoints() throws Exception {
        LinePlot plot = diagonal();
        Path file = dir.resolve("line.png");
        plot.writePng(file, W, H);
        BufferedImage image = Pixels.readPng(file, W, H);
        PlotArea area = Pixels.layoutOf(plot, W, H);
        Color blue = Palette.colour(0);
        for (double v : new double[] {1, 5, 9}) assertColourNear(blue, image, area.px(v), area.py(v), 1);
    }

    @Test
    void backgroundIsWhiteAwayFromData() throws Exception {
        LinePlot plot = diagonal();
        BufferedImage image = render(plot);
        PlotArea area = Pixels.layoutOf(plot, W, H);
        // Bottom right inside the axes, between grid lines (ticks are at even numbers), far from y = x.
        assertColour(Color.WHITE, image, area.px(9), area.py(1));
        // Outside the axes.
        assertColour(Color.WHITE, image, 2, H - 2);
        assertColour(Color.WHITE, image, W - 2, H / 2.0);
    }

    @Test
    void seriesTakeSuccessivePaletteColours() throws Exception {
        double[] x = {0, 10};
        LinePlot plot = new LinePlot().addLine("rising", x, new double[] {0, 10}).addLine("falling", x, new double[] {10, 0});
        BufferedImage image = render(plot);
        PlotArea area = Pixels.layoutOf(plot, W, H);
        assertColourNear(Palette.colour(0), image, area.px(2.5), area.py(2.5), 1);
        assertColourNear(Palette.colour(1), image, area.px(2.5), area.py(7.5), 1);
    }

    @Test
    void classPointsAreFilledWithTheirClassColour() throws Exception {
        double[] x = {1, 2, 3, 4};
        double[] y = {1, 3, 2, 4};
        int[] cls = {0, 1, 2, 1};
        LinePlot plot = new LinePlot().addPoints("class", x, y, cls);
        BufferedImage image = render(plot);
        PlotArea area = Pixels.layoutOf(plot, W, H);
        for (int i = 0; i < x.length; i++) {
            assertColour(Palette.category(cls[i]), image, area.px(x[i]), area.py(y[i]));
        }
        // The dark rim sits just inside the radius.
        double r = Style.forSize(W, H).radius(PointMarker.RADIUS);
        Color rim = Pixels.at(image, area.px(1) + r - 0.5, area.py(1));
        assertTrue(Pixels.distance(rim, Palette.dark(Palette.category(0))) < 60, "rim " + Pixels.hex(rim));
    }

    @Test
    void logYPlacesDecadesEvenly() throws Exception {
        double[] x = {0, 1, 2, 3, 4};
        double[] loss = {1, 0.1, 0.01, 0.001, 0.0001};
        LinePlot plot = new LinePlot().logY(true).addLine("loss", x, loss);
        assertTrue(plot.yAxis(H).isLog());
        BufferedImage image = render(plot);
        PlotArea area = Pixels.layoutOf(plot, W, H);
        // Midway between two data points in x is midway in log y: (2.5, 10^-2.5).
        assertColourNear(Palette.colour(0), image, area.px(2.5), area.py(Math.pow(10, -2.5)), 1);
        assertEquals(area.py(1) - area.py(0.1), area.py(0.01) - area.py(0.001), 1e-9);
    }

    @Test
    void nonPositiveValuesOnLogAxisAreGapsNotErrors() {
        LinePlot plot = new LinePlot().logY(true).addLine("loss", new double[] {0, 1, 2}, new double[] {1, 0, 0.1});
        Axis y = plot.yAxis(H);
        assertTrue(y.lo() > 0 && y.lo() <= 0.1 && y.hi() >= 1, y.toString());
        render(plot);
    }

    @Test
    void fixedRangesOverrideData() {
        LinePlot plot = new LinePlot().xRange(-5, 5).yRange(0, 1).addLine("s", new double[] {-3, 3}, new double[] {0.2, 0.8});
        assertEquals(-5, plot.xAxis(W).lo());
        assertEquals(5, plot.xAxis(W).hi());
        assertEquals(0, plot.yAxis(H).lo());
        assertEquals(1, plot.yAxis(H).hi());
    }

    @Test
    void yOnlyLineUsesIndicesAsX() {
        LinePlot plot = new LinePlot().addLine("loss", new double[] {3, 2, 1, 0.5});
        assertEquals(0, plot.xAxis(W).lo());
        assertTrue(plot.xAxis(W).hi() >= 3);
    }

    @Test
    void emptyPlotStillRenders() {
        BufferedImage image = new LinePlot().title("nothing yet").render(320, 240);
        assertEquals(320, image.getWidth());
    }

    @Test
    void legendSitsInTheEmptyCorner() throws Exception {
        LinePlot plot = diagonal();
        BufferedImage image = render(plot);
        Rectangle rect = Pixels.layoutOf(plot, W, H).rect();
        // y = x crosses the top-right corner, so the legend goes top-left: its line swatch is
        // blue near the left edge of the axes, where the curve itself is near the bottom.
        boolean swatch = false;
        for (int y = rect.y; y < rect.y + 80 && !swatch; y++) {
            for (int x = rect.x; x < rect.x + 80; x++) {
                if (Pixels.distance(Pixels.at(image, x, y), Palette.colour(0)) <= 12) swatch = true;
            }
        }
        assertTrue(swatch, "no legend swatch in the top-left corner");
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LinePlot().addLine("a", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new LinePlot().addPoints("a", new double[2], new double[2], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> new LinePlot().xRange(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinePlot().render(0, 10));
    }

    private BufferedImage render(LinePlot plot) {
        Path file = dir.resolve("plot-" + System.nanoTime() + ".png");
        plot.writePng(file, W, H);
        try {
            return Pixels.readPng(file, W, H);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
