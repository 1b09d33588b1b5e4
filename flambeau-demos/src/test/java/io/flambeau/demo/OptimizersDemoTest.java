package io.flambeau.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizersDemoTest {
    @TempDir
    Path dir;

    @Test
    void everyOptimizerLowersTheLossFromTheSameStart() throws Exception {
        DemoRun r = DemoRun.of("optimizers", dir, "--hidden", "20", "--iterations", "80").assertSucceeded()
                .assertPrinted("=== 5.1-5.3 ", "loss curves written to");
        double firstLoss = Double.NaN;
        for (OptimizersDemo.Contender c : OptimizersDemo.CONTENDERS) {
            r.assertProgress(c.name());
            // a table row: name, settings, first loss, final loss, accuracy
            Matcher row = Pattern.compile("(?m)^" + Pattern.quote(c.name()) + " +" + Pattern.quote(c.settings())
                    + " +([0-9.]+) +([0-9.]+) +([0-9.]+)%$").matcher(r.out());
            assertTrue(row.find(), "no table row for " + c.name() + "\n" + r.out());
            double first = Double.parseDouble(row.group(1));
            double last = Double.parseDouble(row.group(2));
            if (Double.isNaN(firstLoss)) firstLoss = first;
            assertEquals(firstLoss, first, 1e-9, "every optimizer starts from the same weights");
            assertTrue(last < first, c.name() + " lowers the loss: " + first + " -> " + last);
            if (c.name().equals("Adam")) assertTrue(last < 0.4 * first, "Adam's final loss " + last);
        }
        assertEquals(5, OptimizersDemo.CONTENDERS.size());
        assertTrue(Arrays.asList("SGD", "SGD + momentum", "Adagrad", "RMSprop", "Adam")
                .equals(OptimizersDemo.CONTENDERS.stream().map(OptimizersDemo.Contender::name).toList()));
        assertEquals(800, DemoRun.png(dir.resolve(OptimizersDemo.LOSS_PNG)).getWidth());
    }
}
