package io.flambeau;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HostArrayAccess runs on a dense CPU view's own elements (its offset and count), and on nothing for a strided view. */
class HostArrayAccessTest {
    @Test
    void denseSliceIsItsStoragesElements() {
        Tensor base = Torch.tensor(new double[] {0, 1, 2, 3, 4, 5}).view(3, 2);
        Tensor rows = base.get(Index.slice(1, 3));
        Object[] seen = new Object[1];
        int version = base.variable().data.storage.version();
        assertTrue(HostArrayAccess.inPlace(rows, "test", (array, offset, count) -> {
            assertEquals(2, offset);
            assertEquals(4, count);
            double[] a = (double[]) array;
            for (int i = offset; i < offset + count; i++) a[i] *= 10;
            seen[0] = array;
        }));
        assertArrayEquals(new double[] {0, 1, 20, 30, 40, 50}, base.toDoubleArray());
        assertTrue(base.variable().data.storage.version() > version, "the write is recorded for autograd");
        // a host read is a copy, never the array the action saw
        assertFalse(seen[0] == base.toDoubleArray());
    }

    @Test
    void stridedViewRunsNothing() {
        Tensor base = Torch.tensor(new float[] {1, 2, 3, 4}).view(2, 2);
        boolean[] ran = {false};
        assertFalse(HostArrayAccess.inPlace(base.t(), "test", (array, offset, count) -> ran[0] = true));
        assertFalse(ran[0]);
        assertSame(base.variable().data.storage, base.t().variable().data.storage);
    }
}
