package io.flambeau.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DTypeException;
import org.junit.jupiter.api.Test;

/**
 * The in-place forms write straight into a dense self when they can, and fall back to computing
 * a new tensor and copying it in when they cannot (self not dense, an operand overlapping self
 * shifted, a result dtype self cannot hold). Either way the values are those of the out-of-place
 * op, and the version
 * counter moves (AutogradTest checks that).
 */
class InPlaceDirectTest {

    private static Tensor seq(int n) {
        return Torch.arange((double) n);
    }

    @Test
    void denseSelfWithABroadcastOperand() {
        Tensor x = seq(12).reshape(3, 4), row = Torch.tensor(new float[] {1, 2, 3, 4});
        Tensor expected = x.add(row).mul(row).sub(row).div(row);
        x.add_(row).mul_(row).sub_(row).div_(row);
        assertArrayEquals(expected.toFloatArray(), x.toFloatArray());
    }

    @Test
    void selfTimesItselfIsElementForElement() {
        Tensor x = seq(6);
        x.mul_(x);
        assertArrayEquals(new float[] {0, 1, 4, 9, 16, 25}, x.toFloatArray());
    }

    @Test
    void anOperandOverlappingSelfShiftedReadsTheOldValues() {
        Tensor x = seq(5);
        x.get("1:").add_(x.get(":-1"));
        // every element of the operand is read before any is written
        assertArrayEquals(new float[] {0, 1, 3, 5, 7}, x.toFloatArray());
    }

    @Test
    void aTransposedSelfIsWrittenThroughItsStrides() {
        Tensor x = seq(6).reshape(2, 3);
        x.t().mul_(2.0).add_(Torch.tensor(new float[] {10, 20}));
        assertArrayEquals(new float[] {10, 12, 14, 26, 28, 30}, x.toFloatArray());
    }

    @Test
    void aResultSelfCannotHoldIsRefused() {
        Tensor ints = Torch.tensor(new long[] {1, 2, 3});
        assertThrows(DTypeException.class, () -> ints.add_(Torch.tensor(new float[] {0.5f, 0.5f, 0.5f})));
        assertThrows(DTypeException.class, () -> ints.mul_(0.5));
        assertArrayEquals(new long[] {1, 2, 3}, ints.toLongArray());
    }
}
