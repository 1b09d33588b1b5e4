package io.flambeau.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link Main} as the command line would, headless, capturing what it prints. */
class MainTest {
    @TempDir
    Path dir;

    /** Exit code and captured streams of one run. */
    private record Run(int code, String out, String err) {
        void assertPrinted(String... fragments) {
            for (String f : fragments) assertTrue(out.contains(f), "missing from output: " + f + "\n--- output ---\n" + out);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, false);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        Run r = run();
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("usage:"), r.err());
        for (DemoRegistry.Entry e : DemoRegistry.all()) assertTrue(r.err().contains(e.name()), e.name());
        for (String option : List.of("--out", "--show", "--iterations", "--seed", "--hidden", "--lr", "--delta",
                "--draw-every")) {
            assertTrue(r.err().contains(option), option);
        }
        assertTrue(r.out().isEmpty(), "nothing is run");
    }

    @Test
    void unknownDemoIsAUsageError() {
        Run r = run("nosuchdemo");
        assertEquals(Main.USAGE, r.code());
        assertEquals("error: unknown demo 'nosuchdemo'\n--help lists the demos and their options\n", r.err());
        assertTrue(r.out().isEmpty());
    }

    @Test
    void optionsADemoWouldIgnoreAreRefused() {
        Run r = run("tensors", "--hidden", "3");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().startsWith("error: demo 'tensors' does not use --hidden (its options: --seed)"), r.err());
        assertTrue(r.out().isEmpty(), "nothing is run");
        assertEquals(Main.USAGE, run("broadcast", "--out", dir.toString()).code());
        assertEquals(Main.USAGE, run("optimizers", "--lr", "0.1").code());
        assertEquals(Main.USAGE, run("boolean", "--seed", "3").code());
        assertTrue(run("neuron", "--iterations", "3").err().contains("does not use --iterations"));
    }

    @Test
    void anUnwritableOutFolderIsReportedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Run r = run("spiral", "--out", file.toString());
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.out().isEmpty(), "no training started: " + r.out());
        assertTrue(r.err().startsWith("error: cannot create the --out folder " + file + ": "), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        Run nested = run("boolean", "--out", file.resolve("sub").toString());
        assertEquals(Main.USAGE, nested.code());
        assertFalse(nested.err().contains("Exception"), nested.err());
    }

    @Test
    void unknownOptionAndBadValuesAreUsageErrors() {
        assertEquals(Main.USAGE, run("tensors", "--colour", "red").code());
        assertTrue(run("tensors", "--colour").err().contains("unknown option '--colour'"));
        assertTrue(run("boolean", "--iterations").err().contains("--iterations needs a value"));
        assertTrue(run("boolean", "--iterations", "many").err().contains("positive integer"));
        assertEquals(Main.USAGE, run("boolean", "--iterations", "0").code());
        assertEquals(Main.USAGE, run("boolean", "--seed", "x").code());
        assertEquals(Main.USAGE, run("boolean", "--lr", "-1").code());
        assertEquals(Main.USAGE, run("categories", "--delta", "0").code());
        assertEquals(Main.USAGE, run("spiral", "--draw-every", "0").code());
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Run r = run("--help");
        assertEquals(Main.OK, r.code());
        assertTrue(r.out().startsWith("usage:"), r.out());
    }

    @Test
    void optionsParseInBothForms() {
        DemoOptions o = DemoOptions.parse(List.of("--out", "pics", "--show", "--iterations=7", "--seed", "-3",
                "--hidden", "30", "--lr=0.5", "--delta", "2", "--draw-every=10", "--no-wait"));
        assertTrue(o.noWait());
        assertEquals(java.util.Set.of("--out", "--show", "--iterations", "--seed", "--hidden", "--lr", "--delta",
                "--draw-every", "--no-wait"), o.given());
        assertEquals(Path.of("pics"), o.out());
        assertTrue(o.show());
        assertEquals(7, o.iterationsOr(100));
        assertEquals(-3, o.seed());
        assertEquals(30, o.hiddenOr(10));
        assertEquals(0.5, o.lrOr(0.1));
        assertEquals(2, o.deltaOr(1));
        assertEquals(10, o.drawEveryOr(20));
        DemoOptions d = DemoOptions.parse(List.of());
        assertEquals(DemoOptions.DEFAULT_OUT, d.out());
        assertFalse(d.show());
        assertFalse(d.noWait());
        assertEquals(100, d.iterationsOr(100));
        assertEquals(1, d.deltaOr(1));
        assertEquals(20, d.drawEveryOr(20));
        assertThrows(UsageException.class, () -> DemoOptions.parse(List.of("--show=yes")));
        assertThrows(UsageException.class, () -> DemoOptions.parse(List.of("--no-wait=1")));
    }

    @Test
    void tensorsDemo() {
        Run r = run("tensors");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Flambeau demo 'tensors' on device "), r.out());
        // tensor lines are checked up to their closing bracket: a GPU run adds device='cuda:0' after it
        r.assertPrinted("=== 1.3 ", "=== 1.10.3 ",
                "// Tensor A = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));",
                "tensor([[1., 2., 3.],\n        [4., 5., 6.]]",
                "[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]",
                "torch.Size([2, 3, 4])",
                "tensor([2, 3, 4]",
                "tensor([[99, 11, 99, 13, 99, 15],",
                "tensor([10, 30, 50]",
                "tensor([10, 20,  0,  0,  0]",
                "tensor([[5., 1.],\n        [1., 1.]]",
                "tensor([[9., 1., 1.],\n        [1., 1., 1.]]",
                "tensor([[[1, 2, 3]],\n\n        [[4, 5, 6]]]");
        assertTrue(r.out().contains("println(T.storageDataPtr() == A.storageDataPtr());\nTrue"));
        assertTrue(r.out().contains("println(T.storageDataPtr() == A.storageDataPtr());\nFalse"),
                "the reshape of a transpose is a copy");
    }

    @Test
    void broadcastDemo() {
        Run r = run("broadcast");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Flambeau demo 'broadcast' on device "), r.out());
        r.assertPrinted("=== 2.1 ", "=== 2.7 ",
                "torch.Size([3, 2, 4])",
                "ShapeException: ",
                "[3, 4]", "[1, 1, 4]",
                "println(C.equal(A.add(B)));\nTrue",
                "tensor([[ 7.,  7.,  7.],",
                "tensor([[[ 4.,  4.,  4.],",
                "torch.Size([3, 2, 2])", "torch.Size([2, 4, 3])");
        assertEquals(3, r.out().split("ShapeException: ", -1).length - 1, "both incompatible pairs of 2.1 and one of 2.8 fail");
    }

    @Test
    void booleanDemoConvergesAndWritesItsLossCurve() throws Exception {
        Run r = run("boolean", "--out", dir.toString(), "--iterations", "90", "--show");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Flambeau demo 'boolean' on device "), r.out());
        r.assertPrinted("loop iteration  1/90  loss 2.000000e+00", "vectorised iteration  1/90",
                "it/s", "a = tensor([0.49", "f on the samples = tensor([0.99", "loss curve written to");
        assertEquals(2, r.out().split("\nconverged after ", -1).length - 1, "both forms converge:\n" + r.out());
        Path png = dir.resolve(BooleanDemo.LOSS_PNG);
        assertTrue(Files.isRegularFile(png), png + " written");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(800, image.getWidth());
        assertEquals(600, image.getHeight());
    }

    @Test
    void tooFewIterationsIsReportedNotFatal() {
        Run r = run("boolean", "--out", dir.toString(), "--iterations", "5");
        assertEquals(Main.OK, r.code(), r.err());
        r.assertPrinted("not converged after 5 iterations");
    }
}
