package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.F;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpiralDemoTest {
    @TempDir
    Path dir;

    @Test
    void learnsTheSpiralOnSmallSettings() throws Exception {
        DemoRun r = DemoRun.of("spiral", dir, "--iterations", "120", "--hidden", "30", "--lr", "0.02").assertSucceeded()
                .assertProgress("spiral")
                .assertPrinted("=== 5.6 ", "Linear(2, 30) + ReLU -> Linear(30, 3), Adam lr 0.02", "summary:", "device ",
                        "figures ");
        double accuracy = r.number("  accuracy");
        assertTrue(accuracy >= 90, "accuracy " + accuracy + "% on small settings\n" + r.out());
        assertEquals(640, DemoRun.png(dir.resolve(SpiralDemo.REGIONS_PNG)).getWidth());
        assertEquals(800, DemoRun.png(dir.resolve(SpiralDemo.LOSS_PNG)).getWidth());
    }

    @Test
    void dataHasThreeArmsOfPointsInTheUnitDisc() {
        Torch.manualSeed(0);
        LabelledPoints data = SpiralData.make(20);
        assertEquals(60, data.size());
        for (int i = 0; i < data.size(); i++) {
            assertEquals(i / 20, data.classIds()[i]);
            assertTrue(Math.hypot(data.x()[i], data.y()[i]) <= 1 + 1e-6);
        }
    }

    @Test
    void pairIndexedLossIsTheCourseHingeLessItsConstant() {
        Tensor scores = Torch.tensor(new float[][] {{2, 0.5f, -1}, {0, 0, 3}, {1, 2, 1.5f}, {4, -4, 0}});
        Tensor categories = Torch.tensor(new long[] {0, 1, 2, 0});
        Tensor rows = Torch.arange(0L, 4);
        double delta = 1;
        // by hand: point 0: max(0, .5-2+1)=0, max(0,-1-2+1)=0; point 1: max(0,0-0+1)=1, max(0,3-0+1)=4;
        // point 2: max(0,1-1.5+1)=.5, max(0,2-1.5+1)=1.5; point 3: 0, 0
        assertEquals(7, SpiralDemo.hingeLoss(scores, categories, rows, delta).item(), 1e-6);
        assertEquals(F.marginHinge(scores, categories, delta).item() - 4 * delta,
                SpiralDemo.hingeLoss(scores, categories, rows, delta).item(), 1e-5);
    }
}
