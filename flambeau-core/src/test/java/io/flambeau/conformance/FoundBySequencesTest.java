package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defects the random sequences of {@link RandomOpSequenceTest} ran into, each kept as a plain
 * case on the CPU and on the simulated {@code cuda:0}: the generated programs change whenever the
 * generator does, these stay.
 */
class FoundBySequencesTest {
    static Stream<Device> devices() {
        SimCuda.install();
        return Stream.of(Device.CPU, Device.cuda(0));
    }

    /** A fresh tensor with no elements is contiguous, so kernels that want a dense output accept it. */
    @ParameterizedTest
    @MethodSource("devices")
    void whereAndMaskedAssignmentWithNoElements(Device device) {
        Tensor x = Torch.tensor(new float[0], DType.FLOAT32, device).reshape(2, 0, 3);
        assertTrue(x.isContiguous());
        Tensor picked = Torch.where(x.gt(0.0), x, x);
        assertArrayEquals(new long[] {2, 0, 3}, picked.shape().toArray());
        x.set(x.lt(0.0), 1.0); // a mask that selects nothing
        assertEquals(0, x.numel());
    }

    /** PyTorch has no leaky_relu for integer or bool tensors: refused with a DTypeException, not a crash. */
    @ParameterizedTest
    @MethodSource("devices")
    void leakyReluRefusesIntegerAndBoolTensors(Device device) {
        assertThrows(DTypeException.class, () -> Torch.tensor(new long[] {-2, 3}, DType.INT64, device).leakyRelu(0.1));
        assertThrows(DTypeException.class, () -> Torch.tensor(new boolean[] {true}, DType.BOOL, device).leakyRelu(0.1));
    }

    /**
     * Integer tensor to integer tensor power: a negative exponent gives 1 for base 1, ±1 for base
     * -1 and 0 otherwise, as PyTorch does on every device; a negative Java number as the exponent
     * is refused with PyTorch's message.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void integerPowersWithNegativeExponents(Device device) {
        Tensor base = Torch.tensor(new long[] {2, 1, -1, -1, 0, 3, -5}, DType.INT64, device);
        Tensor exponent = Torch.tensor(new long[] {-1, -3, -2, -3, -1, 2, -2}, DType.INT64, device);
        assertArrayEquals(new long[] {0, 1, 1, -1, 0, 9, 0}, base.pow(exponent).toLongArray());
        DTypeException e = assertThrows(DTypeException.class, () -> base.pow(-1L));
        assertTrue(e.getMessage().contains("Integers to negative integer powers are not allowed."), e.getMessage());
        assertArrayEquals(new long[] {4, 1, 1, 1, 0, 9, 25}, base.pow(2L).toLongArray());
        assertArrayEquals(new float[] {0.5f, 1, -1, -1, Float.POSITIVE_INFINITY, 1 / 3f, -0.2f},
                base.toFloat().pow(-1L).toFloatArray());
    }

    /** A clamp with one bound leaves the other side alone on integer tensors too (a missing bound is no bound, not 0). */
    @ParameterizedTest
    @MethodSource("devices")
    void clampWithOneBoundOnIntegers(Device device) {
        Tensor x = Torch.tensor(new long[] {-3, 1, 2, 3}, DType.INT64, device);
        assertArrayEquals(new long[] {0, 1, 2, 3}, x.clampMin(0).toLongArray());
        assertArrayEquals(new long[] {-3, 1, 2, 2}, x.clampMax(2).toLongArray());
        assertArrayEquals(new long[] {-1, 1, 2, 2}, x.clamp(-1, 2).toLongArray());
    }
}
