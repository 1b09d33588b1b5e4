package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device memory through JCuda: allocation, copies from and to heap and direct buffers, memsets, streams. */
class JCudaMemoryTest extends JCudaLoopbackFixture {
    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void allocCopyRoundTripThroughHeapAndDirectBuffers() {
        long d = api.memAlloc(4096);
        assertEquals(0, d % 256, "cuMemAlloc pointers are 256-byte aligned");
        byte[] data = pattern(4096, 7);
        api.memcpyHtoD(d, ByteBuffer.wrap(data), data.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        api.memcpyDtoH(direct, d, 4096);
        byte[] back = new byte[4096];
        direct.get(0, back);
        assertArrayEquals(data, back);
        assertEquals(0, direct.position(), "the copy leaves the position where it was");
        ByteBuffer heap = ByteBuffer.allocate(4096);
        api.memcpyDtoH(heap, d, 4096);
        assertArrayEquals(data, heap.array());
        assertEquals(1, LoopbackAccess.live("allocations"));
        api.memFree(d);
        assertEquals(0, LoopbackAccess.live("allocations"));
    }

    @Test
    void copiesStartAtTheBuffersPositionForSlicesOfHeapAndDirectBuffers() {
        long d = api.memAlloc(64);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer whole = direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64);
            for (int i = 0; i < 64; i++) whole.put(i, (byte) i);
            ByteBuffer src = whole.slice(16, 32).position(4); // bytes 20.. of the whole buffer
            api.memcpyHtoD(d, src, 8);
            assertEquals(4, src.position());
            ByteBuffer out = (direct ? ByteBuffer.allocateDirect(32) : ByteBuffer.allocate(32));
            ByteBuffer dst = out.slice(8, 16).position(2); // lands at byte 10 of out
            api.memcpyDtoH(dst, d, 8);
            for (int i = 0; i < 8; i++) assertEquals(20 + i, out.get(10 + i), (direct ? "direct" : "heap") + " byte " + i);
            assertEquals(0, out.get(9));
            assertEquals(0, out.get(18));
        }
    }

    @Test
    void readOnlyHeapSourcesAreCopied() {
        long d = api.memAlloc(16);
        byte[] data = pattern(16, 3);
        api.memcpyHtoD(d, ByteBuffer.wrap(data).asReadOnlyBuffer(), 16);
        ByteBuffer out = ByteBuffer.allocate(16);
        api.memcpyDtoH(out, d, 16);
        assertArrayEquals(data, out.array());
    }

    @Test
    void asyncCopiesMemsetsAndDeviceToDeviceOnAStream() {
        long stream = api.streamCreate();
        long a = api.memAlloc(1024), b = api.memAlloc(1024);
        api.memsetD32Async(a, Float.floatToRawIntBits(1.5f), 256, stream);
        api.memcpyDtoDAsync(b, a, 1024, stream);
        api.memsetD8Async(b, (byte) 0, 4, stream);
        ByteBuffer out = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoHAsync(out, b, 1024, stream);
        api.streamSynchronize(stream);
        assertEquals(0f, out.getFloat(0));
        for (int i = 1; i < 256; i++) assertEquals(1.5f, out.getFloat(4 * i), "float " + i);
        byte[] data = pattern(1024, 9);
        api.memcpyHtoDAsync(a, ByteBuffer.wrap(data), 1024, stream);
        ByteBuffer heap = ByteBuffer.allocate(1024);
        api.memcpyDtoHAsync(heap, a, 1024, stream);
        api.streamSynchronize(stream);
        assertArrayEquals(data, heap.array());
        api.streamDestroy(stream);
        assertEquals(0, LoopbackAccess.live("streams"));
    }

    @Test
    void devicesMemoryInfoAndEvents() {
        assertEquals(1, api.deviceCount());
        assertTrue(api.deviceName(0).length() > 0, "a device name");
        assertEquals(LoopbackAccess.DEFAULT_MEMORY, api.deviceTotalMem(0));
        assertEquals(13000, api.driverVersion());
        long d = api.memAlloc(1 << 20);
        long[] info = api.memGetInfo();
        assertEquals(LoopbackAccess.DEFAULT_MEMORY, info[1]);
        assertTrue(info[0] <= info[1] - (1 << 20), "the allocation is not free");
        api.memFree(d);
        long start = api.eventCreate(), end = api.eventCreate();
        api.eventRecord(start, 0);
        api.ctxSynchronize();
        api.eventRecord(end, 0);
        api.eventSynchronize(end);
        assertTrue(api.eventElapsedTime(start, end) >= 0);
        api.eventDestroy(start);
        api.eventDestroy(end);
        assertEquals(0, LoopbackAccess.live("events"));
    }

    @Test
    void contextsCanBeUnboundAndReleased() {
        api.ctxSetCurrent(0);
        api.ctxSetCurrent(context);
        long again = api.primaryCtxRetain(0);
        assertEquals(context, again, "the primary context is one per device");
        api.primaryCtxRelease(0);
        api.memFree(api.memAlloc(8));
    }
}
