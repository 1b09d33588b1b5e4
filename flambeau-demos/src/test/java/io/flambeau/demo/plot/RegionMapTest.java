package io.flambeau.demo.plot;

import static io.flambeau.demo.plot.Pixels.assertColour;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionMapTest {
    private static final int SIZE = 600;

    @TempDir
    Path dir;

    /** 4x4 cells over [-1, 1]^2: left half class 0, right half class 1, bottom-left cell class 2. */
    private static int[][] grid() {
        int[][] g = new int[4][4];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) g[r][c] = c < 2 ? 0 : 1;
        g[0][0] = 2; // row 0 is the bottom row: x in [-1, -0.5], y in [-1, -0.5]
        return g;
    }

    private static Color tint(int cls) {
        return Palette.tint(Palette.category(cls));
    }

    @Test
    void cellsArePaintedWithTheirClassTint() throws Exception {
        RegionMap map = new RegionMap(-1, 1, -1, 1).classes(grid()).title("iteration 120 — loss 0.034 — accuracy 97%");
        BufferedImage image = render(map);
        PlotArea area = Pixels.layoutOf(map, SIZE, SIZE);
        assertColour(tint(0), image, area.px(-0.5), area.py(0.5));
        assertColour(tint(1), image, area.px(0.5), area.py(0.5));
        assertColour(tint(1), image, area.px(0.9), area.py(-0.9));
    }

    @Test
    void rowZeroIsAtTheBottom() throws Exception {
        RegionMap map = new RegionMap(-1, 1, -1, 1).classes(grid());
        BufferedImage image = render(map);
        PlotArea area = Pixels.layoutOf(map, SIZE, SIZE);
        assertColour(tint(2), image, area.px(-0.75), area.py(-0.75));
        assertColour(tint(0), image, area.px(-0.75), area.py(0.75));
    }

    @Test
    void rowMajorGridMatchesNestedGrid() {
        int[][] nested = grid();
        int[] flat = new int[16];
        for (int r = 0; r < 4; r++) System.arraycopy(nested[r], 0, flat, r * 4, 4);
        BufferedImage a = new RegionMap(-1, 1, -1, 1).classes(nested).render(300, 300);
        BufferedImage b = new RegionMap(-1, 1, -1, 1).classes(flat, 4, 4).render(300, 300);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 300; x++) assertEquals(a.getRGB(x, y), b.getRGB(x, y), "pixel " + x + "," + y);
        }
    }

    @Test
    void pointsShowTheirClassColourAtTheCentreOverAnyRegion() throws Exception {
        // A class-0 point inside the class-1 region: a misclassified training point.
        RegionMap map = new RegionMap(-1, 1, -1, 1).classes(grid())
                .points(new double[] {0.5, -0.5}, new double[] {0.5, 0.5}, new int[] {0, 0});
        BufferedImage image = render(map);
        PlotArea area = Pixels.layoutOf(map, SIZE, SIZE);
        assertColour(Palette.category(0), image, area.px(0.5), area.py(0.5));
        assertColour(Palette.category(0), image, area.px(-0.5), area.py(0.5));
        // Just outside the marker the region shows again.
        double r = Style.forSize(SIZE, SIZE).radius(PointMarker.RADIUS);
        assertColour(tint(1), image, area.px(0.5) + r + 3, area.py(0.5));
    }

    @Test
    void boundaryIsDrawnWhereClassesChange() throws Exception {
        RegionMap map = new RegionMap(-1, 1, -1, 1).classes(grid());
        BufferedImage image = render(map);
        PlotArea area = Pixels.layoutOf(map, SIZE, SIZE);
        int row = (int) area.py(0.5);
        boolean found = false;
        for (int x = (int) area.px(-0.05); x <= (int) area.px(0.05); x++) {
            if (Pixels.distance(Pixels.at(image, x, row), Style.REGION_BOUNDARY) <= 2) found = true;
        }
        assertTrue(found, "no boundary pixel near x = 0");

        BufferedImage plain = render(new RegionMap(-1, 1, -1, 1).classes(grid()).boundaries(false));
        for (int x = (int) area.px(-0.05); x <= (int) area.px(0.05); x++) {
            Color c = Pixels.at(plain, x, row);
            assertTrue(c.equals(tint(0)) || c.equals(tint(1)), "pixel " + x + " is " + Pixels.hex(c));
        }
    }

    @Test
    void regionsFillTheAxesExactlyAndWhiteSurroundsThem() throws Exception {
        RegionMap map = new RegionMap(-1, 1, -1, 1).classes(grid()).title("t").xLabel("x₁").yLabel("x₂");
        BufferedImage image = render(map);
        Rectangle rect = Pixels.layoutOf(map, SIZE, SIZE).rect();
        // First pixels inside the frame line are already region, not background.
        assertColour(tint(0), image, rect.x + 2, rect.y + 2);
        assertColour(tint(1), image, rect.x + rect.width - 2, rect.y + 2);
        assertColour(Color.WHITE, image, 1, 1);
        assertColour(Color.WHITE, image, SIZE - 2, SIZE - 2);
    }

    @Test
    void negativeClassLeavesCellWhite() throws Exception {
        RegionMap map = new RegionMap(0, 1, 0, 1).classes(new int[] {-1, 3}, 2, 1).boundaries(false);
        BufferedImage image = render(map);
        PlotArea area = Pixels.layoutOf(map, SIZE, SIZE);
        assertColour(Color.WHITE, image, area.px(0.25), area.py(0.5));
        assertColour(tint(3), image, area.px(0.75), area.py(0.5));
    }

    @Test
    void defaultPngIsSquare() throws Exception {
        Path file = dir.resolve("regions.png");
        new RegionMap(-1, 1, -1, 1).classes(grid()).classNames("a", "b", "c").writePng(file);
        Pixels.readPng(file, RegionMap.DEFAULT_SIZE, RegionMap.DEFAULT_SIZE);
    }

    @Test
    void cellCentresSplitTheRangeEvenly() {
        assertArrayEquals(new double[] {-0.75, -0.25, 0.25, 0.75}, RegionMap.cellCentres(-1, 1, 4), 1e-12);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RegionMap(1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RegionMap(0, 1, 0, 1).classes(new int[5], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new RegionMap(0, 1, 0, 1).classes(new int[][] {{0, 1}, {0}}));
        assertThrows(IllegalArgumentException.class,
                () -> new RegionMap(0, 1, 0, 1).points(new double[2], new double[2], new int[1]));
    }

    private BufferedImage render(RegionMap map) {
        Path file = dir.resolve("map-" + System.nanoTime() + ".png");
        map.writePng(file, SIZE, SIZE);
        try {
            return Pixels.readPng(file, SIZE, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void categoriesAreRedGreenBlueAsInTheCourse() {
        java.awt.Color red = Palette.category(0), green = Palette.category(1), blue = Palette.category(2);
        assertTrue(red.getRed() > 2 * red.getGreen() && red.getRed() > 2 * red.getBlue(), "category 0 red: " + red);
        assertTrue(green.getGreen() > green.getRed() && green.getGreen() > green.getBlue(), "category 1 green: " + green);
        assertTrue(blue.getBlue() > blue.getRed() && blue.getBlue() > blue.getGreen(), "category 2 blue: " + blue);
    }
}
