package io.flambeau.backend.cuda.ffm;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memory calls of the FFM binding against the loopback driver: what goes in comes back out. */
class FfmMemoryTest extends LoopbackFixture {
    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void heapBufferRoundTripsThroughDeviceMemory() {
        byte[] data = pattern(1000, 7);
        long d = api.memAlloc(1000);
        api.memcpyHtoD(d, ByteBuffer.wrap(data), 1000);
        ByteBuffer back = ByteBuffer.allocate(1000);
        api.memcpyDtoH(back, d, 1000);
        assertArrayEquals(data, back.array());
        assertEquals(0, back.position(), "copies leave the buffer's position unchanged");
    }

    @Test
    void directBufferRoundTripsAndPositionsAreHonoured() {
        byte[] data = pattern(64, 3);
        ByteBuffer src = ByteBuffer.allocateDirect(100);
        src.position(10);
        src.put(data);
        src.position(10);
        long d = api.memAlloc(64);
        api.memcpyHtoD(d, src, 64);
        ByteBuffer dst = ByteBuffer.allocateDirect(80);
        dst.position(16);
        api.memcpyDtoH(dst, d, 64);
        byte[] got = new byte[64];
        dst.get(16, got);
        assertArrayEquals(data, got);
        assertEquals(10, src.position());
        assertEquals(16, dst.position());
    }

    @Test
    void asyncCopiesOnAStreamCompleteBySynchronize() {
        long stream = api.streamCreate();
        byte[] data = pattern(4096, 1);
        long a = api.memAlloc(4096), b = api.memAlloc(4096);
        ByteBuffer direct = ByteBuffer.allocateDirect(4096).put(data).flip();
        api.memcpyHtoDAsync(a, direct, 4096, stream);
        api.memcpyDtoDAsync(b, a, 4096, stream);
        ByteBuffer heap = ByteBuffer.allocate(4096);
        api.memcpyDtoHAsync(heap, b, 4096, stream);
        api.streamSynchronize(stream);
        assertArrayEquals(data, heap.array());
        api.streamDestroy(stream);
    }

    @Test
    void memsetD8AndD32WriteExactlyTheirRange() {
        long d = api.memAlloc(64);
        api.memsetD8Async(d, (byte) 0, 64, 0);
        api.memsetD8Async(d + 8, (byte) 0xAB, 8, 0);
        api.memsetD32Async(d + 32, 0x3F800000, 4, 0); // 1.0f four times
        api.ctxSynchronize();
        ByteBuffer back = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(back, d, 64);
        for (int i = 0; i < 64; i++) {
            byte expected = i >= 8 && i < 16 ? (byte) 0xAB : 0;
            if (i >= 32 && i < 48) continue;
            assertEquals(expected, back.get(i), "byte " + i);
        }
        for (int i = 0; i < 4; i++) assertEquals(1.0f, back.getFloat(32 + 4 * i));
    }

    @Test
    void allocationsAreAlignedAndCountedInMemInfo() {
        long[] before = api.memGetInfo();
        long d = api.memAlloc(1000);
        assertEquals(0, d % 256, "cuMemAlloc pointers are 256-byte aligned");
        long[] after = api.memGetInfo();
        assertEquals(before[1], after[1], "total does not change");
        assertEquals(before[0] - 1024, after[0], "1000 bytes take 1024 (rounded to 256)");
        api.memFree(d);
        assertEquals(before[0], api.memGetInfo()[0]);
        assertEquals(0, Loopback.live("allocations"));
    }

    @Test
    void devicePropertiesComeFromTheDriver() {
        assertEquals(13000, api.driverVersion());
        assertEquals(1, api.deviceCount());
        assertTrue(api.deviceName(0).startsWith("Flambeau Loopback Device 0"), api.deviceName(0));
        assertEquals(7, api.deviceAttribute(io.flambeau.backend.cuda.api.CuDeviceAttribute.COMPUTE_CAPABILITY_MAJOR, 0));
        assertEquals(5, api.deviceAttribute(io.flambeau.backend.cuda.api.CuDeviceAttribute.COMPUTE_CAPABILITY_MINOR, 0));
        assertEquals(1024, api.deviceAttribute(io.flambeau.backend.cuda.api.CuDeviceAttribute.MAX_THREADS_PER_BLOCK, 0));
        assertEquals(Loopback.DEFAULT_MEMORY, api.deviceTotalMem(0));
    }

    @Test
    void eventsMeasureElapsedTime() throws InterruptedException {
        long start = api.eventCreate(), end = api.eventCreate();
        api.eventRecord(start, 0);
        Thread.sleep(20);
        api.eventRecord(end, 0);
        api.eventSynchronize(end);
        float ms = api.eventElapsedTime(start, end);
        assertTrue(ms >= 15 && ms < 5000, "elapsed " + ms + " ms");
        api.eventDestroy(start);
        api.eventDestroy(end);
        assertEquals(0, Loopback.live("events"));
    }
}
