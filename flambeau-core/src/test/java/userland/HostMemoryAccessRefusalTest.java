package userland;

import io.flambeau.HostMemoryAccess;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class outside Flambeau's packages (as a user's is) cannot reach a storage's off-heap memory
 * through HostMemoryAccess, nor ask whether it could: refused before anything runs.
 */
class HostMemoryAccessRefusalTest {
    @Test
    void refusedOutsideFlambeau() {
        Tensor t = Torch.tensor(new float[] {1, 2, 3});
        boolean[] ran = {false};
        IllegalCallerException e = assertThrows(IllegalCallerException.class,
                () -> HostMemoryAccess.inPlace(t, "probe", true, (address, count) -> ran[0] = true));
        assertTrue(e.getMessage().contains("userland.HostMemoryAccessRefusalTest"), e.getMessage());
        assertThrows(IllegalCallerException.class, () -> HostMemoryAccess.applies(t, "probe"));
        assertFalse(ran[0]);
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
    }
}
