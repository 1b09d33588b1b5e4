package io.flambeau.demo.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An x/y chart of named line series and point sets: neuron output curves, loss curves, training
 * points coloured by class. Axis ranges and ticks are chosen automatically from the data unless
 * fixed with {@link #xRange}/{@link #yRange}; {@link #logY} switches the y axis to base 10 for
 * loss curves.
 *
 * <pre>{@code
 * new LinePlot().title("Training loss").xLabel("iteration").yLabel("loss").logY(true)
 *     .addLine("train", iterations, trainLoss)
 *     .addLine("test", iterations, testLoss)
 *     .writePng(Path.of("out/loss.png"));
 * }</pre>
 *
 * <p>Setters return {@code this} for chaining. Arrays are copied when added, so the caller may
 * keep filling its own buffers. Non-finite values (and non-positive y on a log axis) are gaps:
 * the line is broken there and the point is not drawn.
 */
public final class LinePlot implements Figure {
    private sealed interface Series permits Line, Points {}

    private record Line(String name, double[] x, double[] y, Color colour, boolean dashed) implements Series {}

    /** classIds null means every point has {@code colour}; otherwise colour comes from the class. */
    private record Points(String name, double[] x, double[] y, int[] classIds, Color colour) implements Series {}

    private final List<Series> series = new ArrayList<>();
    private String title;
    private String xLabel;
    private String yLabel;
    private boolean logY;
    private boolean grid = true;
    private boolean legend = true;
    private double[] xRange;
    private double[] yRange;
    /** Next palette index for a series that did not ask for one. */
    private int nextColour;

    public LinePlot title(String title) { this.title = title; return this; }

    public LinePlot xLabel(String label) { this.xLabel = label; return this; }

    public LinePlot yLabel(String label) { this.yLabel = label; return this; }

    /** Base-10 logarithmic y axis; values at or below zero are left out. */
    public LinePlot logY(boolean on) { this.logY = on; return this; }

    /** Light grid lines at the ticks (on by default). */
    public LinePlot grid(boolean on) { this.grid = on; return this; }

    /** Legend of the named series (on by default; never drawn when no series has a name). */
    public LinePlot legend(boolean on) { this.legend = on; return this; }

    /** Fixes the x axis to exactly [lo, hi] instead of a nice range around the data. */
    public LinePlot xRange(double lo, double hi) { this.xRange = checkedRange(lo, hi, false); return this; }

    /** Fixes the y axis to exactly [lo, hi] (both positive on a log axis). */
    public LinePlot yRange(double lo, double hi) { this.yRange = checkedRange(lo, hi, logY); return this; }

    /** A line through (x[i], y[i]) in the next palette colour. */
    public LinePlot addLine(String name, double[] x, double[] y) {
        return addLine(name, x, y, nextColour++);
    }

    /** A line through (x[i], y[i]) in palette colour {@code paletteIndex}. */
    public LinePlot addLine(String name, double[] x, double[] y, int paletteIndex) {
        checkLengths(x, y);
        series.add(new Line(name, x.clone(), y.clone(), Palette.colour(paletteIndex), false));
        return this;
    }

    /**
     * A dashed line in the next palette colour: drawn over a line it coincides with, it lets
     * both be seen where a solid one would hide the first.
     */
    public LinePlot addDashedLine(String name, double[] x, double[] y) {
        return addDashedLine(name, x, y, nextColour++);
    }

    /** A dashed line in palette colour {@code paletteIndex}. */
    public LinePlot addDashedLine(String name, double[] x, double[] y, int paletteIndex) {
        checkLengths(x, y);
        series.add(new Line(name, x.clone(), y.clone(), Palette.colour(paletteIndex), true));
        return this;
    }

    /** A line through (i, y[i]) for i = 0, 1, ...: a loss per iteration or epoch. */
    public LinePlot addLine(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) x[i] = i;
        return addLine(name, x, y);
    }

    /** Points (x[i], y[i]) all in the next palette colour. */
    public LinePlot addPoints(String name, double[] x, double[] y) {
        return addPoints(name, x, y, nextColour++);
    }

    /** Points (x[i], y[i]) all in palette colour {@code paletteIndex}: the samples of a line of that colour. */
    public LinePlot addPoints(String name, double[] x, double[] y, int paletteIndex) {
        checkLengths(x, y);
        series.add(new Points(name, x.clone(), y.clone(), null, Palette.colour(paletteIndex)));
        return this;
    }

    /**
     * Points (x[i], y[i]) coloured by class: point i gets {@code Palette.category(classIds[i])},
     * the same colour {@link RegionMap} gives that class. The legend gets one entry per class
     * present, labelled {@code name + " " + classId} (e.g. name "class" gives "class 0", "class 1").
     */
    public LinePlot addPoints(String name, double[] x, double[] y, int[] classIds) {
        checkLengths(x, y);
        if (classIds.length != x.length) {
            throw new IllegalArgumentException("classIds has " + classIds.length + " entries for " + x.length + " points");
        }
        series.add(new Points(name, x.clone(), y.clone(), classIds.clone(), null));
        return this;
    }

    /** The x axis as it will be drawn, for a figure of the given size. */
    public Axis xAxis(int width) {
        int target = Math.clamp(width / 110, 3, 10);
        if (xRange != null) return Axis.linearFixed(xRange[0], xRange[1], target);
        double[] r = dataRange(true);
        return Axis.linear(r[0], r[1], target);
    }

    /** The y axis as it will be drawn, for a figure of the given size. */
    public Axis yAxis(int height) {
        int target = Math.clamp(height / 75, 3, 10);
        if (logY) {
            if (yRange != null) return Axis.logFixed(yRange[0], yRange[1]);
            double[] r = dataRange(false);
            return Axis.log(r[0], r[1]);
        }
        if (yRange != null) return Axis.linearFixed(yRange[0], yRange[1], target);
        double[] r = dataRange(false);
        return Axis.linear(r[0], r[1], target);
    }

    @Override
    public BufferedImage render(int width, int height) {
        BufferedImage image = Style.canvas(width, height);
        Graphics2D g = image.createGraphics();
        try {
            Style.prepare(g);
            Style style = Style.forSize(width, height);
            PlotArea area = layout(g, width, height);
            if (grid) area.paintGrid(g);
            Rectangle rect = area.rect();
            g.setClip(rect);
            List<Line2D> drawn = new ArrayList<>();
            for (Series s : series) {
                if (s instanceof Line l) paintLine(g, style, area, l, drawn);
            }
            // Points over lines: a fitted curve must not hide the data it was fitted to.
            for (Series s : series) {
                if (s instanceof Points p) paintPoints(g, style, area, p, drawn);
            }
            g.setClip(null);
            area.paintFrame(g);
            if (legend) legendEntries().paint(g, style, rect, box -> overlap(drawn, box));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Where the data goes in a width x height picture; package-private so tests can find pixels. */
    PlotArea layout(Graphics2D g, int width, int height) {
        Style style = Style.forSize(width, height);
        // A small inset keeps a curve that reaches the end of an axis clear of the frame line.
        return PlotArea.layout(g, width, height, style, xAxis(width), yAxis(height), title, xLabel, yLabel, style.px(6));
    }

    private static void paintLine(Graphics2D g, Style style, PlotArea area, Line l, List<Line2D> drawn) {
        Path2D.Double path = new Path2D.Double();
        boolean penDown = false;
        double prevX = 0, prevY = 0;
        for (int i = 0; i < l.x().length; i++) {
            double cx = area.px(l.x()[i]);
            double cy = area.py(l.y()[i]);
            if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
                penDown = false;
                continue;
            }
            if (penDown) {
                path.lineTo(cx, cy);
                drawn.add(new Line2D.Double(prevX, prevY, cx, cy));
            } else {
                path.moveTo(cx, cy);
                drawn.add(new Line2D.Double(cx, cy, cx, cy));
            }
            penDown = true;
            prevX = cx;
            prevY = cy;
        }
        g.setColor(l.colour());
        g.setStroke(l.dashed() ? style.dashedStroke() : style.seriesStroke());
        g.draw(path);
    }

    private static void paintPoints(Graphics2D g, Style style, PlotArea area, Points p, List<Line2D> drawn) {
        for (int i = 0; i < p.x().length; i++) {
            double cx = area.px(p.x()[i]);
            double cy = area.py(p.y()[i]);
            if (!Double.isFinite(cx) || !Double.isFinite(cy)) continue;
            Color c = p.classIds() == null ? p.colour() : Palette.category(p.classIds()[i]);
            PointMarker.paint(g, style, cx, cy, c);
            drawn.add(new Line2D.Double(cx, cy, cx, cy));
        }
    }

    private Legend legendEntries() {
        Legend legend = new Legend();
        for (Series s : series) {
            switch (s) {
                case Line l when named(l.name()) -> legend.add(l.name(), l.colour(),
                        l.dashed() ? Legend.Swatch.DASHED_LINE : Legend.Swatch.LINE);
                case Points p when named(p.name()) && p.classIds() == null ->
                        legend.add(p.name(), p.colour(), Legend.Swatch.POINT);
                case Points p when named(p.name()) -> {
                    TreeSet<Integer> classes = new TreeSet<>();
                    for (int id : p.classIds()) classes.add(id);
                    for (int id : classes) legend.add(p.name() + " " + id, Palette.category(id), Legend.Swatch.POINT);
                }
                default -> { }
            }
        }
        return legend;
    }

    /** How many drawn segments and points a legend box at {@code box} would cover. */
    private static int overlap(List<Line2D> drawn, Rectangle box) {
        int n = 0;
        for (Line2D seg : drawn) {
            if (seg.getP1().equals(seg.getP2()) ? box.contains(seg.getP1()) : seg.intersects(box)) n++;
        }
        return n;
    }

    private double[] dataRange(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] xs = s instanceof Line l ? l.x() : ((Points) s).x();
            double[] ys = s instanceof Line l ? l.y() : ((Points) s).y();
            for (int i = 0; i < xs.length; i++) {
                // A point the plot cannot show must not stretch either axis.
                if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i]) || (logY && ys[i] <= 0)) continue;
                double v = xAxis ? xs[i] : ys[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new double[] {lo, hi}; // infinite when empty; Axis falls back to a default range
    }

    private static boolean named(String name) {
        return name != null && !name.isEmpty();
    }

    private static void checkLengths(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
    }

    private static double[] checkedRange(double lo, double hi, boolean positive) {
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi) || (positive && lo <= 0)) {
            throw new IllegalArgumentException("bad axis range [" + lo + ", " + hi + "]"
                    + (positive ? " for a log axis" : ""));
        }
        return new double[] {lo, hi};
    }
}
