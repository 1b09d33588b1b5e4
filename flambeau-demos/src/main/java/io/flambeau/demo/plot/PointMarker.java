package io.flambeau.demo.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;

/**
 * How a data point is drawn: a disc in its class colour with a darker rim of the same hue. The
 * rim keeps a point visible over the light tint of its own class region in a decision map,
 * and keeps neighbouring points of one class distinguishable where they overlap.
 */
final class PointMarker {
    /** Radius at the reference size, in pixels. */
    static final double RADIUS = 4.5;

    private PointMarker() {}

    static void paint(Graphics2D g, Style style, double cx, double cy, Color colour) {
        double r = style.radius(RADIUS);
        Ellipse2D disc = new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
        g.setColor(colour);
        g.fill(disc);
        g.setColor(Palette.dark(colour));
        g.setStroke(style.thinStroke());
        g.draw(disc);
    }
}
