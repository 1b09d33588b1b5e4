package io.flambeau.demo.plot;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.TreeSet;

/**
 * Decision regions of a classifier: the plane over [xMin, xMax] x [yMin, yMax] cut into a grid of
 * cells, each painted with a light tint of the class the model predicts there, with the training
 * points drawn on top in full class colour. Shown every few iterations it is the course's picture
 * of a network learning to separate a spiral.
 *
 * <p>Grid layout: the grid has {@code width} columns and {@code height} rows that tile the range
 * evenly. Column j covers x in [xMin + j*dx, xMin + (j+1)*dx] with dx = (xMax - xMin) / width;
 * <b>row 0 is the bottom row</b> (y near yMin), the same orientation as a numpy meshgrid drawn by
 * matplotlib's contourf. Evaluate the model at {@link #cellCentres} to fill it. A negative class
 * index leaves its cell white.
 *
 * <pre>{@code
 * double[] xs = RegionMap.cellCentres(-1, 1, 200), ys = RegionMap.cellCentres(-1, 1, 200);
 * int[][] predicted = ...;  // predicted[row][col] = argmax of the model at (xs[col], ys[row])
 * new RegionMap(-1, 1, -1, 1)
 *     .classes(predicted)
 *     .points(trainX, trainY, trainLabels)
 *     .title("iteration 120 — loss 0.034 — accuracy 97%")
 *     .writePng(Path.of("out/regions.png"));
 * }</pre>
 */
public final class RegionMap implements Figure {
    /** Square by default: the plane is usually square and distorting it misleads. */
    public static final int DEFAULT_SIZE = 640;

    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private int[] cells = new int[0];
    private int gridWidth;
    private int gridHeight;
    private double[] pointX = new double[0];
    private double[] pointY = new double[0];
    private int[] pointClass = new int[0];
    private String[] classNames;
    private String title;
    private String xLabel;
    private String yLabel;
    private boolean boundaries = true;

    public RegionMap(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMin < xMax) || !(yMin < yMax) || !Double.isFinite(xMax - xMin) || !Double.isFinite(yMax - yMin)) {
            throw new IllegalArgumentException("bad region range x [" + xMin + ", " + xMax + "], y [" + yMin + ", " + yMax + "]");
        }
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    /** x or y of each cell centre when [lo, hi] is cut into n cells: where to evaluate the model. */
    public static double[] cellCentres(double lo, double hi, int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = lo + (i + 0.5) * (hi - lo) / n;
        return c;
    }

    /** Class of each cell, {@code grid[row][col]}, row 0 at the bottom; rows must be equally long. */
    public RegionMap classes(int[][] grid) {
        int h = grid.length;
        int w = h == 0 ? 0 : grid[0].length;
        int[] flat = new int[w * h];
        for (int r = 0; r < h; r++) {
            if (grid[r].length != w) {
                throw new IllegalArgumentException("grid row " + r + " has " + grid[r].length + " cells, row 0 has " + w);
            }
            System.arraycopy(grid[r], 0, flat, r * w, w);
        }
        return setCells(flat, w, h);
    }

    /** Class of each cell, row-major ({@code grid[row * width + col]}), row 0 at the bottom. */
    public RegionMap classes(int[] grid, int width, int height) {
        if (width < 0 || height < 0 || grid.length != width * height) {
            throw new IllegalArgumentException("grid has " + grid.length + " cells, expected " + width + "x" + height);
        }
        return setCells(grid.clone(), width, height);
    }

    /** Training points drawn over the regions, coloured by class. */
    public RegionMap points(double[] x, double[] y, int[] classIds) {
        if (x.length != y.length || x.length != classIds.length) {
            throw new IllegalArgumentException("points: x, y and classIds lengths differ: "
                    + x.length + ", " + y.length + ", " + classIds.length);
        }
        pointX = x.clone();
        pointY = y.clone();
        pointClass = classIds.clone();
        return this;
    }

    /** Names of classes 0, 1, ... for a legend; without them no legend is drawn. */
    public RegionMap classNames(String... names) { this.classNames = names.clone(); return this; }

    public RegionMap title(String title) { this.title = title; return this; }

    public RegionMap xLabel(String label) { this.xLabel = label; return this; }

    public RegionMap yLabel(String label) { this.yLabel = label; return this; }

    /** A thin grey line where neighbouring cells disagree (on by default), to show the decision boundary. */
    public RegionMap boundaries(boolean on) { this.boundaries = on; return this; }

    /** {@value #DEFAULT_SIZE}x{@value #DEFAULT_SIZE}: the course draws the plane with {@code axis('equal')}. */
    @Override
    public Dimension size() {
        return new Dimension(DEFAULT_SIZE, DEFAULT_SIZE);
    }

    @Override
    public BufferedImage render(int width, int height) {
        BufferedImage image = Style.canvas(width, height);
        Graphics2D g = image.createGraphics();
        try {
            Style.prepare(g);
            Style style = Style.forSize(width, height);
            PlotArea area = layout(g, width, height);
            Rectangle rect = area.rect();
            paintCells(image, area);
            g.setClip(rect);
            for (int i = 0; i < pointX.length; i++) {
                double cx = area.px(pointX[i]);
                double cy = area.py(pointY[i]);
                if (Double.isFinite(cx) && Double.isFinite(cy)) {
                    PointMarker.paint(g, style, cx, cy, Palette.category(pointClass[i]));
                }
            }
            g.setClip(null);
            area.paintFrame(g);
            legend().paint(g, style, rect, box -> pointsInside(area, box));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Where the plane goes in a width x height picture; package-private so tests can find pixels. */
    PlotArea layout(Graphics2D g, int width, int height) {
        Axis x = Axis.linearFixed(xMin, xMax, Math.clamp(width / 110, 3, 10));
        Axis y = Axis.linearFixed(yMin, yMax, Math.clamp(height / 75, 3, 10));
        // No inset: the cells tile exactly the axis range, frame to frame.
        return PlotArea.layout(g, width, height, Style.forSize(width, height), x, y, title, xLabel, yLabel, 0);
    }

    /**
     * Fills each pixel of the data rectangle with the tint of the cell under the pixel's centre.
     * Written straight into the raster: one lookup per pixel is both faster than filling 40 000
     * small rectangles and free of the seams antialiased rectangle edges leave between cells.
     */
    private void paintCells(BufferedImage image, PlotArea area) {
        if (cells.length == 0) return;
        Rectangle rect = area.rect();
        int[] colOf = new int[rect.width];
        for (int c = 0; c < rect.width; c++) {
            double f = (area.dataX(rect.x + c + 0.5) - xMin) / (xMax - xMin);
            colOf[c] = Math.clamp((long) Math.floor(f * gridWidth), 0, gridWidth - 1);
        }
        int[] rowOf = new int[rect.height];
        for (int r = 0; r < rect.height; r++) {
            double f = (area.dataY(rect.y + r + 0.5) - yMin) / (yMax - yMin);
            rowOf[r] = Math.clamp((long) Math.floor(f * gridHeight), 0, gridHeight - 1);
        }
        int boundary = Style.REGION_BOUNDARY.getRGB();
        int white = Style.BACKGROUND.getRGB();
        int[] tints = new int[Palette.size()];
        for (int i = 0; i < tints.length; i++) tints[i] = Palette.tint(Palette.category(i)).getRGB();
        int[] line = new int[rect.width];
        for (int r = 0; r < rect.height; r++) {
            int base = rowOf[r] * gridWidth;
            int below = r + 1 < rect.height ? rowOf[r + 1] * gridWidth : base;
            for (int c = 0; c < rect.width; c++) {
                int cls = cells[base + colOf[c]];
                boolean edge = boundaries && ((c + 1 < rect.width && cells[base + colOf[c + 1]] != cls)
                        || cells[below + colOf[c]] != cls);
                line[c] = edge ? boundary : cls < 0 ? white : tints[cls % tints.length];
            }
            image.setRGB(rect.x, rect.y + r, rect.width, 1, line, 0, rect.width);
        }
    }

    private Legend legend() {
        Legend legend = new Legend();
        if (classNames == null) return legend;
        TreeSet<Integer> present = new TreeSet<>();
        for (int id : pointClass) present.add(id);
        for (int id : cells) if (id >= 0) present.add(id);
        for (int id : present) {
            String name = id >= 0 && id < classNames.length ? classNames[id] : "class " + id;
            legend.add(name, Palette.category(id), Legend.Swatch.POINT);
        }
        return legend;
    }

    private int pointsInside(PlotArea area, Rectangle box) {
        int n = 0;
        for (int i = 0; i < pointX.length; i++) {
            if (box.contains(area.px(pointX[i]), area.py(pointY[i]))) n++;
        }
        return n;
    }

    private RegionMap setCells(int[] flat, int w, int h) {
        cells = flat;
        gridWidth = w;
        gridHeight = h;
        return this;
    }
}
