package io.flambeau.backend.cpu;

import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPU storages hand their arrays to the next allocation of the same dtype and length: at release,
 * or once the garbage collector finds the storage dropped — each array exactly once.
 */
class CpuArrayPoolTest {
    /** A length no other test in this JVM allocates, so that no one else's array can come back. */
    private static final int ODD = 4099;

    @Test
    void aReleasedArrayIsReusedByTheNextAllocationOfItsSize() {
        CpuArrayPool.clear();
        CpuStorage s = CpuStorage.allocate(DType.FLOAT32, 5000);
        float[] array = s.f;
        s.close();
        assertThrows(ClosedTensorException.class, () -> s.checkOpen("test"));
        CpuStorage other = CpuStorage.allocate(DType.FLOAT32, 4999), wide = CpuStorage.allocate(DType.FLOAT64, 5000);
        assertNotSame(array, other.f, "another length gets a new array");
        assertNotSame(array, wide.d, "another dtype gets a new array");
        CpuStorage again = CpuStorage.allocate(DType.FLOAT32, 5000);
        assertSame(array, again.f);
        CpuStorage third = CpuStorage.allocate(DType.FLOAT32, 5000);
        assertNotSame(array, third.f, "an array is handed out once");
        Reference.reachabilityFence(new Object[] {other, wide, again, third});
    }

    @Test
    void aFullPoolMakesRoomForTheSizeInUseByDroppingTheLeastRecentlyUsedSize() {
        CpuArrayPool.clear();
        // fill the pool with arrays of one size (an earlier phase of the program)
        int stale = (int) (CpuArrayPool.MAX_BYTES / 64 / Float.BYTES);
        java.util.List<CpuStorage> earlier = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) earlier.add(CpuStorage.allocate(DType.FLOAT32, stale));
        earlier.forEach(CpuStorage::close);
        assertTrue(CpuArrayPool.pooledBytes() == CpuArrayPool.MAX_BYTES, "the pool is full");
        // a result of another size, released: it must be kept, and handed to the next one of its size
        CpuStorage now = CpuStorage.allocate(DType.FLOAT32, 5000);
        float[] array = now.f;
        now.close();
        CpuStorage next = CpuStorage.allocate(DType.FLOAT32, 5000);
        assertSame(array, next.f, "a pool full of another size dropped the array of the size in use");
        assertTrue(CpuArrayPool.pooledBytes() <= CpuArrayPool.MAX_BYTES, "the bound holds");
        next.close();
        CpuArrayPool.clear();
    }

    @Test
    void smallArraysAreLeftToTheAllocator() {
        CpuArrayPool.clear();
        CpuStorage s = CpuStorage.allocate(DType.FLOAT32, 100);
        float[] array = s.f;
        s.close();
        assertNotSame(array, CpuStorage.allocate(DType.FLOAT32, 100).f);
    }

    @Test
    void theArrayOfADroppedStorageComesBackAfterTheCollectorFindsIt() throws InterruptedException {
        CpuArrayPool.clear();
        long[] array = droppedStorageArray();
        // the test keeps the array (never the storage) only to recognise it when it comes back
        java.util.List<CpuStorage> held = new java.util.ArrayList<>(); // fresh arrays, kept so none comes back
        CpuStorage next = null;
        for (int i = 0; i < 100 && (next == null || next.l != array); i++) {
            if (next != null) held.add(next);
            System.gc();
            Thread.sleep(20);
            next = CpuStorage.allocate(DType.INT64, ODD);
        }
        assertSame(array, next.l, "the dropped storage's array was not handed to a new storage after 100 collections");
        next.close();
        held.forEach(CpuStorage::close);
    }

    @Test
    void anArrayReleasedAndTakenOverIsNotReturnedAgainWhenItsFirstStorageIsCollected() throws InterruptedException {
        CpuArrayPool.clear();
        CpuStorage holder = takeOverReleasedArray();
        for (int i = 0; i < 3; i++) {
            System.gc(); // the first storage, released and dropped, is collected: its action already ran
            Thread.sleep(20);
        }
        CpuStorage fresh = CpuStorage.allocate(DType.BOOL, ODD);
        assertNotSame(holder.b, fresh.b, "an array still held by a storage was handed to another one");
        assertTrue(!holder.isClosed());
        Reference.reachabilityFence(holder);
        Reference.reachabilityFence(fresh);
    }

    private static long[] droppedStorageArray() {
        return CpuStorage.allocate(DType.INT64, ODD).l;
    }

    private static CpuStorage takeOverReleasedArray() {
        CpuStorage first = CpuStorage.allocate(DType.BOOL, ODD);
        boolean[] array = first.b;
        first.close();
        CpuStorage second = CpuStorage.allocate(DType.BOOL, ODD);
        assertSame(array, second.b);
        return second;
    }
}
