package io.flambeau.demo.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Dimension;
import java.awt.GraphicsEnvironment;
import org.junit.jupiter.api.Test;

class LiveWindowTest {
    @Test
    void noWindowWithoutADisplay() {
        // Surefire runs tests with java.awt.headless=true, as on a GPU server.
        assumeTrue(GraphicsEnvironment.isHeadless(), "this JVM has a display");
        assertTrue(LiveWindow.openIfPossible("test", new LinePlot()).isEmpty());
    }

    @Test
    void framesKeepTheirProportionsInAnyWindow() {
        assertEquals(new Dimension(600, 600), LiveWindow.fit(new Dimension(640, 640), new Dimension(800, 600)));
        assertEquals(new Dimension(400, 300), LiveWindow.fit(new Dimension(800, 600), new Dimension(400, 900)));
        assertEquals(new Dimension(1600, 1200), LiveWindow.fit(new Dimension(800, 600), new Dimension(1700, 1200)));
        assertEquals(new Dimension(640, 640), new RegionMap(-1, 1, -1, 1).size(), "region maps are square, as axis('equal')");
    }
}
