package io.flambeau.backend.cpu;

import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Released CPU storages hand their arrays to the next allocation of the same dtype and length. */
class CpuArrayPoolTest {
    @Test
    void aReleasedArrayIsReusedByTheNextAllocationOfItsSize() {
        CpuArrayPool.clear();
        CpuStorage s = CpuStorage.allocate(DType.FLOAT32, 5000);
        float[] array = s.f;
        s.close();
        assertThrows(ClosedTensorException.class, () -> s.checkOpen("test"));
        assertNotSame(array, CpuStorage.allocate(DType.FLOAT32, 4999).f, "another length gets a new array");
        assertNotSame(array, CpuStorage.allocate(DType.FLOAT64, 5000).d, "another dtype gets a new array");
        assertSame(array, CpuStorage.allocate(DType.FLOAT32, 5000).f);
        assertNotSame(array, CpuStorage.allocate(DType.FLOAT32, 5000).f, "an array is handed out once");
    }

    @Test
    void smallArraysAreLeftToTheAllocator() {
        CpuArrayPool.clear();
        CpuStorage s = CpuStorage.allocate(DType.FLOAT32, 100);
        float[] array = s.f;
        s.close();
        assertNotSame(array, CpuStorage.allocate(DType.FLOAT32, 100).f);
    }
}
