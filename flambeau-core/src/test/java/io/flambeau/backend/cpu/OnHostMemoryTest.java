package io.flambeau.backend.cpu;

import io.flambeau.backend.View;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CpuBackend.withHostAddress hands a dense off-heap view's own bytes (its address and byte length, in the
 * storage's memory: what MPI reads in place), and runs nothing for a strided view, an empty one
 * or an array storage.
 */
class OnHostMemoryTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    @Test
    void denseOffHeapViewGetsItsOwnBytes() {
        CpuStorage s = CpuStorage.allocateOffHeap(DType.FLOAT64, 20);
        for (int i = 0; i < 20; i++) s.writeD(i, i);
        View rows = new View(s, 4, new long[] {2, 4}, new long[] {4, 1});
        long[] got = new long[2];
        assertTrue(CPU.withHostAddress("test", rows, (address, bytes) -> {
            got[0] = address;
            got[1] = bytes;
            MemorySegment elements = MemorySegment.ofAddress(address).reinterpret(bytes);
            elements.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, -1);
            elements.setAtIndex(ValueLayout.JAVA_DOUBLE, 7, -2);
        }));
        assertEquals(s.dataPtr() + 4 * 8, got[0]);
        assertEquals(8 * Double.BYTES, got[1]); // 8 elements
        assertEquals(-1, s.readD(4));
        assertEquals(-2, s.readD(11));
        assertEquals(3, s.readD(3));
        assertEquals(12, s.readD(12));
    }

    @Test
    void boolElementsAreOneByteEach() {
        CpuStorage s = CpuStorage.allocateOffHeap(DType.BOOL, 30);
        long[] got = new long[2];
        assertTrue(CPU.withHostAddress("test", new View(s, 10, new long[] {20}, new long[] {1}), (a, n) -> {
            got[0] = a;
            got[1] = n;
        }));
        assertEquals(s.dataPtr() + 10, got[0]);
        assertEquals(20, got[1]);
    }

    @Test
    void stridedEmptyAndArrayViewsRunNothing() {
        CpuStorage off = CpuStorage.allocateOffHeap(DType.FLOAT32, 20);
        boolean[] ran = {false};
        assertFalse(CPU.withHostAddress("test", new View(off, 0, new long[] {10}, new long[] {2}), (a, n) -> ran[0] = true));
        assertFalse(CPU.withHostAddress("test", new View(off, 3, new long[] {0}, new long[] {1}), (a, n) -> ran[0] = true));
        CpuStorage heap = CpuStorage.adopt(new float[20]);
        assertFalse(CPU.withHostAddress("test", new View(heap, 0, new long[] {20}, new long[] {1}), (a, n) -> ran[0] = true));
        assertFalse(ran[0]);
    }
}
