package io.flambeau.demo.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;

/**
 * Sizes, fonts and neutral colours of a figure, scaled to the image it is drawn into: text and
 * lines sized for an 800x600 picture would be unreadably small at 1600x1200 and would crowd out
 * the data at 320x240.
 */
record Style(double scale, Font titleFont, Font labelFont, Font tickFont, Font legendFont) {
    static final Color BACKGROUND = Color.WHITE;
    static final Color TEXT = new Color(0x222222);
    static final Color FRAME = new Color(0x444444);
    static final Color GRID = new Color(0xe4e4e4);
    static final Color LEGEND_BORDER = new Color(0xcccccc);
    static final Color REGION_BOUNDARY = new Color(0x8a8a8a);

    /** The size at which scale is 1. */
    private static final double REFERENCE_SIZE = 560;

    static Style forSize(int width, int height) {
        double s = Math.clamp(Math.min(width, height) / REFERENCE_SIZE, 0.6, 3.0);
        return new Style(s,
                new Font(Font.SANS_SERIF, Font.BOLD, size(15, s)),
                new Font(Font.SANS_SERIF, Font.PLAIN, size(13, s)),
                new Font(Font.SANS_SERIF, Font.PLAIN, size(11, s)),
                new Font(Font.SANS_SERIF, Font.PLAIN, size(12, s)));
    }

    private static int size(double points, double s) {
        return Math.max(8, (int) Math.round(points * s));
    }

    /** Pixels: a base length of {@code px} at the reference size. */
    int px(double px) {
        return Math.max(1, (int) Math.round(px * scale));
    }

    double radius(double px) {
        return px * scale;
    }

    Stroke seriesStroke() {
        return new BasicStroke((float) (2.0 * scale), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** The series line, dashed: 6 on, 4 off (at the reference size). */
    Stroke dashedStroke() {
        float w = (float) (2.0 * scale);
        return new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {(float) (6 * scale), (float) (4 * scale)}, 0f);
    }

    Stroke frameStroke() {
        return new BasicStroke((float) Math.max(1.0, scale));
    }

    Stroke thinStroke() {
        return new BasicStroke((float) Math.max(1.0, 0.8 * scale));
    }

    /** A blank white width x height RGB image; PNGs of figures carry no alpha channel. */
    static BufferedImage canvas(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("figure size must be positive, got " + width + "x" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /**
     * Antialiased drawing with exact geometry: STROKE_PURE keeps a line through a data point
     * centred on it instead of snapped to the pixel grid, which matters for small markers.
     */
    static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }
}
