package userland;

import io.flambeau.HostArrayAccess;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class outside Flambeau's packages (as a user's is) cannot reach a storage's array through
 * HostArrayAccess: the call is refused before the action runs, and the tensor is unchanged.
 */
class HostArrayAccessRefusalTest {
    @Test
    void refusedOutsideFlambeau() {
        Tensor t = Torch.tensor(new float[] {1, 2, 3});
        boolean[] ran = {false};
        IllegalCallerException e = assertThrows(IllegalCallerException.class,
                () -> HostArrayAccess.inPlace(t, "probe", (array, offset, count) -> ran[0] = true));
        assertTrue(e.getMessage().contains("userland.HostArrayAccessRefusalTest"), e.getMessage());
        assertTrue(!ran[0]);
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
    }
}
