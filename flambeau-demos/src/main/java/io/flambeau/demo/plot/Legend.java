package io.flambeau.demo.plot;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Composite;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The box naming each series, drawn in whichever inside corner of the data rectangle covers the
 * least data (matplotlib's {@code loc="best"}): a falling loss curve gets its legend top right,
 * a rising sigmoid gets it bottom right.
 */
final class Legend {
    enum Swatch { LINE, DASHED_LINE, POINT }

    private record Entry(String label, Color colour, Swatch swatch) {}

    private final List<Entry> entries = new ArrayList<>();

    void add(String label, Color colour, Swatch swatch) {
        entries.add(new Entry(label, colour, swatch));
    }

    boolean isEmpty() { return entries.isEmpty(); }

    /**
     * Paints the legend inside {@code area}. {@code overlap} scores a candidate box by how much
     * data it would hide (lower is better); the first corner in reading order wins ties.
     */
    void paint(Graphics2D g, Style style, Rectangle area, ToIntFunction<Rectangle> overlap) {
        if (entries.isEmpty()) return;
        g.setFont(style.legendFont());
        FontMetrics fm = g.getFontMetrics();
        int pad = style.px(7);
        int swatchWidth = style.px(24);
        int gap = style.px(6);
        int row = fm.getHeight();
        int textWidth = 0;
        for (Entry e : entries) textWidth = Math.max(textWidth, fm.stringWidth(e.label()));
        int w = pad + swatchWidth + gap + textWidth + pad;
        int h = pad + row * entries.size() + pad;
        int margin = style.px(10);

        Rectangle best = null;
        int bestScore = Integer.MAX_VALUE;
        int[][] corners = {{1, 0}, {0, 0}, {1, 1}, {0, 1}}; // top-right, top-left, bottom-right, bottom-left
        for (int[] c : corners) {
            int x = c[0] == 1 ? area.x + area.width - margin - w : area.x + margin;
            int y = c[1] == 1 ? area.y + area.height - margin - h : area.y + margin;
            Rectangle box = new Rectangle(x, y, w, h);
            int score = overlap.applyAsInt(box);
            if (score < bestScore) {
                bestScore = score;
                best = box;
            }
        }

        // Slightly see-through so a curve under the legend is still hinted at, as in matplotlib.
        Composite saved = g.getComposite();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.88f));
        RoundRectangle2D box = new RoundRectangle2D.Double(best.x, best.y, best.width, best.height, pad, pad);
        g.setColor(Color.WHITE);
        g.fill(box);
        g.setComposite(saved);
        g.setColor(Style.LEGEND_BORDER);
        g.setStroke(style.thinStroke());
        g.draw(box);

        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            double mid = best.y + pad + row * i + row / 2.0;
            double sx = best.x + pad;
            if (e.swatch() != Swatch.POINT) {
                g.setColor(e.colour());
                g.setStroke(e.swatch() == Swatch.LINE ? style.seriesStroke() : style.dashedStroke());
                g.draw(new Line2D.Double(sx, mid, sx + swatchWidth, mid));
            } else {
                PointMarker.paint(g, style, sx + swatchWidth / 2.0, mid, e.colour());
            }
            g.setColor(Style.TEXT);
            g.drawString(e.label(), (float) (sx + swatchWidth + gap), (float) (mid + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
    }
}
