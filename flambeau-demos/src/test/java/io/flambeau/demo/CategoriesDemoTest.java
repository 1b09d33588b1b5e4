package io.flambeau.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CategoriesDemoTest {
    @TempDir
    Path dir;

    @Test
    void learnsEveryPointThenPushesThemAwayFromTheBoundaries() throws Exception {
        DemoRun r = DemoRun.of("categories", dir, "--delta", "1", "--draw-every", "5").assertSucceeded()
                .assertProgress("hinge").assertProgress("margin")
                .assertPrinted("=== 5.5 ", "optimizer SGD", "final accuracy: 100% (10/10 points");
        assertEquals(2, r.out().split("\nreached the minimum after ", -1).length - 1,
                "both errors reach their minimum:\n" + r.out());
        double plainMargin = r.number("smallest margin of a point (own score - best other score):");
        double marginWithDelta = r.number("with delta = 0,");
        assertTrue(plainMargin >= 0 && marginWithDelta >= 1 - 1e-3 && marginWithDelta > plainMargin,
                "δ = 1 leaves every point at least 1 inside its region:\n" + r.out());
        assertEquals(640, DemoRun.png(dir.resolve(CategoriesDemo.HINGE_PNG)).getWidth());
        assertEquals(640, DemoRun.png(dir.resolve(CategoriesDemo.MARGIN_PNG)).getWidth());
    }

    @Test
    void cudaGraphIsIgnoredOnTheCpuWithOneLineSayingSo() throws Exception {
        DemoRun r = DemoRun.of("categories", dir, "--delta", "1", "--cuda-graph").assertSucceeded()
                .assertPrinted("--cuda-graph: ignored on cpu", "final accuracy: 100% (10/10 points");
        assertEquals(2, r.out().split("--cuda-graph: ignored", -1).length - 1, "one line per training run:\n" + r.out());
    }
}
