package io.flambeau.demo.plot;

import java.awt.Color;

/**
 * The fixed colours of every Flambeau figure. Series (the lines of a plot) are coloured by index
 * into one ten-colour cycle (the familiar "tab10" set: blue, orange, green, red, ...). Categories
 * (classes of points and their decision regions) follow the course, which draws them red, green,
 * blue: {@link #category} gives those three first, then the rest of the cycle, so category 1 is
 * the same green in a scatter of training points, in a decision-region map and in its legend.
 */
public final class Palette {
    private static final Color[] CYCLE = {
        new Color(0x1f77b4), // blue
        new Color(0xff7f0e), // orange
        new Color(0x2ca02c), // green
        new Color(0xd62728), // red
        new Color(0x9467bd), // purple
        new Color(0x8c564b), // brown
        new Color(0xe377c2), // pink
        new Color(0x7f7f7f), // grey
        new Color(0xbcbd22), // olive
        new Color(0x17becf), // cyan
    };

    /** Categories 0, 1, 2 as the course draws them: red, green, blue; then the other colours of the cycle. */
    private static final Color[] CATEGORIES = {
        CYCLE[3], CYCLE[2], CYCLE[0], CYCLE[1], CYCLE[4], CYCLE[5], CYCLE[6], CYCLE[7], CYCLE[8], CYCLE[9],
    };

    /** How much of the class colour a region tint keeps; the rest is white. */
    private static final double TINT_STRENGTH = 0.28;
    /** How much of the class colour a point outline keeps; the rest is black. */
    private static final double DARK_STRENGTH = 0.55;

    private Palette() {}

    /** Number of distinct colours before the cycle repeats. */
    public static int size() { return CYCLE.length; }

    /** Colour of series or class {@code index}; indices beyond the cycle wrap around. */
    public static Color colour(int index) {
        return CYCLE[Math.floorMod(index, CYCLE.length)];
    }

    /** Colour of category (class) {@code index}: red, green, blue, ...; indices beyond ten wrap around. */
    public static Color category(int index) {
        return CATEGORIES[Math.floorMod(index, CATEGORIES.length)];
    }

    /** Light version of a colour, used to fill decision regions so points drawn over them stand out. */
    public static Color tint(Color c) {
        return mix(c, Color.WHITE, TINT_STRENGTH);
    }

    /** Dark version of a colour, used to outline points so they stay visible over their own region. */
    public static Color dark(Color c) {
        return mix(c, Color.BLACK, DARK_STRENGTH);
    }

    /** {@code keep} of {@code c} plus {@code 1 - keep} of {@code base}, per channel. */
    static Color mix(Color c, Color base, double keep) {
        return new Color(
                channel(c.getRed(), base.getRed(), keep),
                channel(c.getGreen(), base.getGreen(), keep),
                channel(c.getBlue(), base.getBlue(), keep));
    }

    private static int channel(int c, int base, double keep) {
        return (int) Math.round(c * keep + base * (1 - keep));
    }
}
