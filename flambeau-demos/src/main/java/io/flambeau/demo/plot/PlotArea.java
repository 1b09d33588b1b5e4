package io.flambeau.demo.plot;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;

/**
 * The axes box of a figure: where the data rectangle sits inside the image once room is made for
 * the title, axis labels and tick labels; how data values map to pixels; and the painting of
 * everything around the data (grid, frame, ticks, labels, title).
 *
 * <p>Figures paint in three layers so that nothing hides the frame: {@link #paintGrid} first,
 * then their own data clipped to {@link #rect()}, then {@link #paintFrame}.
 */
final class PlotArea {
    private final Style style;
    private final Axis x;
    private final Axis y;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Rectangle rect;
    /** Pixels between the frame and the ends of the axes, so data at the ends is not drawn over the frame. */
    private final int inset;

    private PlotArea(Style style, Axis x, Axis y, String title, String xLabel, String yLabel, Rectangle rect, int inset) {
        this.style = style;
        this.x = x;
        this.y = y;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.rect = rect;
        this.inset = inset;
    }

    /**
     * Places the data rectangle inside a width x height image. Margins follow from the measured
     * text (the widest y tick label decides the left margin) rather than fixed percentages, so
     * long labels are never cut off and short ones waste no space.
     */
    static PlotArea layout(Graphics2D g, int width, int height, Style style, Axis x, Axis y,
                           String title, String xLabel, String yLabel, int inset) {
        int pad = style.px(8);
        int tick = style.px(5);
        FontMetrics tickFm = g.getFontMetrics(style.tickFont());
        FontMetrics labelFm = g.getFontMetrics(style.labelFont());
        FontMetrics titleFm = g.getFontMetrics(style.titleFont());

        int top = pad + (present(title) ? titleFm.getHeight() + pad : pad);
        int bottom = tick + pad / 2 + tickFm.getHeight() + (present(xLabel) ? labelFm.getHeight() + pad / 2 : 0) + pad;
        int widestY = 0;
        for (String s : y.tickLabels()) widestY = Math.max(widestY, tickFm.stringWidth(s));
        int left = pad + (present(yLabel) ? labelFm.getHeight() + pad / 2 : 0) + widestY + pad / 2 + tick;
        // The last x tick label is centred on the right end of the axis; leave room for its half.
        String[] xl = x.tickLabels();
        int lastHalf = xl.length == 0 ? 0 : tickFm.stringWidth(xl[xl.length - 1]) / 2;
        int right = Math.max(2 * pad, lastHalf + pad);
        // Keep the half label room on a very narrow image instead of a negative-width box.
        int w = Math.max(1, width - left - right);
        int h = Math.max(1, height - top - bottom);
        return new PlotArea(style, x, y, title, xLabel, yLabel, new Rectangle(left, top, w, h), inset);
    }

    /** The data rectangle in image pixels. */
    Rectangle rect() { return rect; }

    /** Pixel column of data value v on the x axis (NaN where the axis cannot show v). */
    double px(double v) {
        return rect.x + inset + x.fraction(v) * (rect.width - 2.0 * inset);
    }

    /** Pixel row of data value v on the y axis; larger values are higher up, i.e. smaller rows. */
    double py(double v) {
        return rect.y + rect.height - inset - y.fraction(v) * (rect.height - 2.0 * inset);
    }

    /** Data value at pixel column c (inverse of {@link #px}), for linear x axes. */
    double dataX(double c) {
        double f = (c - rect.x - inset) / (rect.width - 2.0 * inset);
        return x.lo() + f * (x.hi() - x.lo());
    }

    /** Data value at pixel row r (inverse of {@link #py}), for linear y axes. */
    double dataY(double r) {
        double f = (rect.y + rect.height - inset - r) / (rect.height - 2.0 * inset);
        return y.lo() + f * (y.hi() - y.lo());
    }

    /** Light lines at each labelled tick, behind the data, to help read values off the curves. */
    void paintGrid(Graphics2D g) {
        g.setColor(Style.GRID);
        g.setStroke(style.thinStroke());
        for (double v : x.ticks()) g.draw(new Line2D.Double(px(v), rect.y, px(v), rect.y + rect.height));
        for (double v : y.ticks()) g.draw(new Line2D.Double(rect.x, py(v), rect.x + rect.width, py(v)));
    }

    /** Frame, outward ticks, tick labels, axis labels and title. */
    void paintFrame(Graphics2D g) {
        int pad = style.px(8);
        int tick = style.px(5);
        int minorTick = style.px(3);
        g.setColor(Style.FRAME);
        g.setStroke(style.frameStroke());
        g.drawRect(rect.x, rect.y, rect.width, rect.height);
        int bottom = rect.y + rect.height;

        g.setFont(style.tickFont());
        FontMetrics fm = g.getFontMetrics();
        double[] xt = x.ticks();
        String[] xl = x.tickLabels();
        for (int i = 0; i < xt.length; i++) {
            double c = px(xt[i]);
            g.setColor(Style.FRAME);
            g.draw(new Line2D.Double(c, bottom, c, bottom + tick));
            g.setColor(Style.TEXT);
            g.drawString(xl[i], (float) (c - fm.stringWidth(xl[i]) / 2.0), bottom + tick + pad / 2 + fm.getAscent());
        }
        for (double v : x.minorTicks()) {
            g.setColor(Style.FRAME);
            g.draw(new Line2D.Double(px(v), bottom, px(v), bottom + minorTick));
        }
        double[] yt = y.ticks();
        String[] yl = y.tickLabels();
        int widestY = 0;
        for (int i = 0; i < yt.length; i++) {
            double r = py(yt[i]);
            g.setColor(Style.FRAME);
            g.draw(new Line2D.Double(rect.x - tick, r, rect.x, r));
            g.setColor(Style.TEXT);
            int sw = fm.stringWidth(yl[i]);
            widestY = Math.max(widestY, sw);
            // Centre the digits (not the whole line box) on the tick.
            g.drawString(yl[i], rect.x - tick - pad / 2 - sw, (float) (r + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
        for (double v : y.minorTicks()) {
            g.setColor(Style.FRAME);
            g.draw(new Line2D.Double(rect.x - minorTick, py(v), rect.x, py(v)));
        }

        g.setColor(Style.TEXT);
        g.setFont(style.labelFont());
        FontMetrics lfm = g.getFontMetrics();
        if (present(xLabel)) {
            float baseline = bottom + tick + pad / 2 + fm.getHeight() + pad / 2 + lfm.getAscent();
            g.drawString(xLabel, (float) (rect.getCenterX() - lfm.stringWidth(xLabel) / 2.0), baseline);
        }
        if (present(yLabel)) {
            double cx = rect.x - tick - pad / 2 - widestY - pad / 2 - lfm.getDescent();
            AffineTransform saved = g.getTransform();
            g.translate(cx, rect.getCenterY());
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, (float) (-lfm.stringWidth(yLabel) / 2.0), 0f);
            g.setTransform(saved);
        }
        if (present(title)) {
            g.setFont(style.titleFont());
            FontMetrics tfm = g.getFontMetrics();
            int tw = tfm.stringWidth(title);
            // Centred over the data like matplotlib, but never pushed off the left edge.
            double left = Math.max(pad, rect.getCenterX() - tw / 2.0);
            g.drawString(title, (float) left, pad + tfm.getAscent());
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }
}
