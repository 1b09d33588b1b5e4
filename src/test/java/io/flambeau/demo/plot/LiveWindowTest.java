package io.flambeau.demo.plot;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.GraphicsEnvironment;
import org.junit.jupiter.api.Test;

class LiveWindowTest {
    @Test
    void noWindowWithoutADisplay() {
        // Surefire runs tests with java.awt.headless=true, as on a GPU server.
        assumeTrue(GraphicsEnvironment.isHeadless(), "this JVM has a display");
        assertTrue(LiveWindow.openIfPossible("test").isEmpty());
    }
}
