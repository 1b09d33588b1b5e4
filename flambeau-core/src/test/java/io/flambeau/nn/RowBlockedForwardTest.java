package io.flambeau.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.FlambeauException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sequential under no_grad on the CPU runs row-wise stacks a block of rows at a time
 * ({@link RowBlockedForward}); the values must be the unblocked path's bit for bit, errors must
 * name the user's shapes, and anything not row-wise must run unblocked.
 */
class RowBlockedForwardTest {

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + " blocked, " + e[i] + " unblocked");
            }
        }
    }

    /** Blocked forward against the same layers run whole; asserts that blocks were actually used. */
    private static void checkBlocked(String what, Sequential model, Tensor x) {
        try (var ignored = Torch.noGrad()) {
            long step = RowBlockedForward.blockRows(model.layers(), x);
            assertTrue(step > 0 && step < x.numel() / x.size(-1), what + ": expected blocks, got step " + step);
            assertSameBits(what, Sequential.run(model.layers(), x, false), model.forward(x));
        }
    }

    @Test
    void spiralGridIsBlockedWithTheUnblockedBits() {
        Torch.manualSeed(1);
        Sequential model = new Sequential(new Linear(2, 1000), new ReLU(), new Linear(1000, 3));
        Tensor grid = Torch.randn(40000, 2).mul(3);
        checkBlocked("grid 200x200 h=1000", model, grid);
        checkBlocked("grid as (200, 200, 2), as the course evaluates it", model, grid.reshape(200, 200, 2));
        checkBlocked("a non-contiguous 3-D input", model, grid.reshape(200, 200, 2).transpose(0, 1));
        try (var ignored = Torch.noGrad()) {
            Tensor classes = model.forward(grid).argmax(1);
            assertSameBits("argmax", Sequential.run(model.layers(), grid, false).argmax(1).to(io.flambeau.core.DType.FLOAT32),
                    classes.to(io.flambeau.core.DType.FLOAT32));
        }
        Sequential h100 = new Sequential(new Linear(2, 100), new ReLU(), new Linear(100, 3));
        checkBlocked("grid h=100", h100, grid);
    }

    @Test
    void randomRowWiseStacksAreBlockedWithTheUnblockedBits() {
        Random r = new Random(5);
        for (int trial = 0; trial < 12; trial++) {
            Torch.manualSeed(trial);
            int in = 1 + r.nextInt(8), width = 8 + r.nextInt(trial % 3 == 0 ? 400 : 60);
            Sequential model = new Sequential(new Linear(in, width));
            Module[] acts = {new ReLU(), new Tanh(), new Sigmoid(), new GELU(), new GELU("tanh"), new LeakyReLU(0.2)};
            model.add(acts[r.nextInt(acts.length)]);
            if (r.nextBoolean()) {
                model.add(new Linear(width, width, r.nextBoolean()));
                model.add(acts[r.nextInt(acts.length)]);
            }
            model.add(new Linear(width, 1 + r.nextInt(5)));
            long target = Math.max(64, io.flambeau.RowBlocks.bytes(Torch.zeros(1, 1)) / (4L * width));
            long rows = 2 * target + r.nextInt((int) (3 * target));
            Tensor x = Torch.randn(rows, in);
            if (trial % 4 == 1) x = Torch.randn(in, rows).t(); // a transposed input
            checkBlocked("trial " + trial + " " + model + " rows=" + rows, model, x);
        }
    }

    @Test
    void anythingNotRowWiseRunsWhole() {
        Sequential model = new Sequential(new Linear(2, 1000), new ReLU(), new Linear(1000, 3));
        Tensor grid = Torch.randn(40000, 2);
        assertEquals(0, RowBlockedForward.blockRows(model.layers(), grid), "autograd recording: whole");
        try (var ignored = Torch.noGrad()) {
            assertEquals(0, RowBlockedForward.blockRows(model.layers(), Torch.randn(300, 2)), "too few rows");
            assertEquals(0, RowBlockedForward.blockRows(model.layers(), Torch.randn(40000, 2).to(io.flambeau.core.DType.FLOAT64)), "float64");
            Module sub = new Linear(2, 1000) { }; // a subclass may not be row-wise
            assertEquals(0, RowBlockedForward.blockRows(List.of(sub, new ReLU()), grid), "subclassed Linear");
            Module custom = new Module() {
                @Override public Tensor forward(Tensor x) { return x.sum(0, true); }
            };
            assertEquals(0, RowBlockedForward.blockRows(List.of(new Linear(2, 1000), custom), grid), "custom module");
        }
    }

    @Test
    void errorsNameTheUsersShapes() {
        Sequential model = new Sequential(new Linear(2, 1000), new ReLU(), new Linear(1000, 3));
        Tensor wrong = Torch.randn(40000, 5);
        FlambeauException whole = assertThrows(FlambeauException.class, () -> model.forward(wrong));
        try (var ignored = Torch.noGrad()) {
            FlambeauException blocked = assertThrows(FlambeauException.class, () -> model.forward(wrong));
            assertEquals(whole.getClass(), blocked.getClass());
            assertEquals(whole.getMessage(), blocked.getMessage());
            assertTrue(blocked.getMessage().contains("40000"), blocked.getMessage());
        }
    }
}
