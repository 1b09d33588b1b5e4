package io.flambeau.backend.cuda.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.backend.cuda.api.CuDeviceAttribute;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The driver-level contract of the simulated device: init, contexts, memory, streams, events, modules. */
class DeviceApiTest {
    private static CudaException fails(int status, Executable e) {
        CudaException ex = assertThrows(CudaException.class, e);
        assertEquals(status, ex.code(), ex.getMessage());
        return ex;
    }

    @Test
    void callsNeedInitAndACurrentContextOnTheCallingThread() throws Exception {
        SimulatedCuda cuda = new SimulatedCuda();
        fails(CudaStatus.NOT_INITIALIZED, () -> cuda.deviceCount());
        cuda.init();
        assertEquals(1, cuda.deviceCount());
        fails(CudaStatus.INVALID_CONTEXT, () -> cuda.memAlloc(16));
        cuda.ctxSetCurrent(cuda.primaryCtxRetain(0));
        assertTrue(cuda.memAlloc(16) != 0);
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(assertThrows(CudaException.class, () -> cuda.memAlloc(16))));
        t.start();
        t.join();
        assertEquals(CudaStatus.INVALID_CONTEXT, ((CudaException) other.get()).code(), "the context is per thread");
        fails(CudaStatus.NO_DEVICE, () -> new SimulatedCuda(SimulatedCudaConfig.builder().deviceCount(0).build()).init());
    }

    @Test
    void deviceQueriesDescribeAnSm75Gpu() {
        SimulatedCuda cuda = SimulatedCudaConfig.builder().multiprocessors(7).totalMemory(1 << 20).create();
        cuda.init();
        assertEquals("Flambeau Simulated sm_75", cuda.deviceName(0));
        assertEquals(7, cuda.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MAJOR, 0));
        assertEquals(5, cuda.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MINOR, 0));
        assertEquals(1024, cuda.deviceAttribute(CuDeviceAttribute.MAX_THREADS_PER_BLOCK, 0));
        assertEquals(Integer.MAX_VALUE, cuda.deviceAttribute(CuDeviceAttribute.MAX_GRID_DIM_X, 0));
        assertEquals(7, cuda.deviceAttribute(CuDeviceAttribute.MULTIPROCESSOR_COUNT, 0));
        assertEquals(32, cuda.deviceAttribute(CuDeviceAttribute.WARP_SIZE, 0));
        assertEquals(1 << 20, cuda.deviceTotalMem(0));
        assertEquals(12000, cuda.driverVersion());
        fails(CudaStatus.INVALID_VALUE, () -> cuda.deviceAttribute(9999, 0));
        fails(CudaStatus.INVALID_DEVICE, () -> cuda.deviceName(1));
    }

    @Test
    void outOfMemoryIsTypedAndFreeingMakesRoom() {
        SimHarness sim = new SimHarness(SimulatedCudaConfig.builder().totalMemory(1 << 20).build());
        long a = sim.api.memAlloc(600_000);
        CudaException ex = fails(CudaStatus.OUT_OF_MEMORY, () -> sim.api.memAlloc(600_000));
        assertTrue(ex.getMessage().startsWith("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory"), ex.getMessage());
        assertEquals("cuMemAlloc_v2", ex.call());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", ex.errorName());
        long[] info = sim.api.memGetInfo();
        assertEquals(1 << 20, info[1]);
        assertEquals((1 << 20) - 600_064, info[0], "allocations are accounted in 256-byte units");
        sim.api.memFree(a);
        sim.api.memAlloc(600_000);
        assertEquals(1, sim.cuda.liveAllocations());
    }

    @Test
    void pointersAreAlignedDistinctAndCheckedOnFree() {
        SimHarness sim = new SimHarness();
        long a = sim.api.memAlloc(10), b = sim.api.memAlloc(10);
        assertEquals(0, a % 256);
        assertEquals(0, b % 256);
        assertTrue(a >= 1L << 32, "device pointers do not fit in 32 bits, so truncation bugs fault");
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memAlloc(0));
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memFree(a + 4));
        sim.api.memFree(a);
        assertTrue(fails(CudaStatus.INVALID_VALUE, () -> sim.api.memFree(a)).getMessage().contains("freed"));
        assertEquals(1, sim.cuda.liveAllocations());
        assertEquals(2, sim.cuda.allocationCount());
    }

    @Test
    void copiesAndMemsetsHonourOffsetsAndBufferPositions() {
        SimHarness sim = new SimHarness();
        long p = sim.api.memAlloc(16);
        assertArrayEquals(new int[] {-1, -1, -1, -1}, sim.ints(p, 4), "fresh memory is filled with 0xFF, as cuMemAlloc does not zero");
        sim.api.memsetD32Async(p, 7, 4, 0);
        sim.api.memsetD8Async(p + 4, (byte) 0, 4, 0);
        assertArrayEquals(new int[] {7, 0, 7, 7}, sim.ints(p, 4));
        ByteBuffer src = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        src.putInt(0, 100).putInt(4, 200).putInt(8, 300).position(4);
        sim.api.memcpyHtoD(p + 8, src, 8);
        assertEquals(4, src.position(), "copies leave the buffer position alone");
        assertArrayEquals(new int[] {7, 0, 200, 300}, sim.ints(p, 4));
        long q = sim.api.memAlloc(16);
        sim.api.memcpyDtoDAsync(q, p + 8, 8, 0);
        ByteBuffer dst = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        sim.api.memcpyDtoH(dst, q, 8);
        assertEquals(200, dst.getInt(0));
        assertEquals(300, dst.getInt(4));
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memcpyDtoH(ByteBuffer.allocate(4), q, 8));
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memcpyDtoH(ByteBuffer.allocate(8).asReadOnlyBuffer(), q, 8));
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memcpyHtoD(q + 12, ByteBuffer.allocate(8), 8));
        fails(CudaStatus.INVALID_VALUE, () -> sim.api.memsetD32Async(q + 2, 0, 1, 0));
    }

    @Test
    void streamsAndEventsAreValidatedHandles() {
        SimHarness sim = new SimHarness();
        long s = sim.api.streamCreate();
        long e0 = sim.api.eventCreate(), e1 = sim.api.eventCreate();
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.eventElapsedTime(e0, e1));
        sim.api.eventRecord(e0, s);
        long p = sim.api.memAlloc(4);
        sim.api.memsetD32Async(p, 1, 1, s);
        sim.api.eventRecord(e1, s);
        sim.api.eventSynchronize(e1);
        sim.api.streamSynchronize(s);
        assertTrue(sim.api.eventElapsedTime(e0, e1) >= 0);
        sim.api.streamDestroy(s);
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.streamSynchronize(s));
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.memsetD32Async(p, 1, 1, s));
        sim.api.eventDestroy(e0);
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.eventRecord(e0, 0));
        sim.api.ctxSynchronize();
    }

    @Test
    void releasingThePrimaryContextFreesEverything() {
        SimHarness sim = new SimHarness();
        long ctx = sim.api.primaryCtxRetain(0); // second reference
        sim.api.memAlloc(100);
        sim.api.primaryCtxRelease(0);
        assertEquals(1, sim.cuda.liveAllocations());
        sim.api.primaryCtxRelease(0);
        assertEquals(0, sim.cuda.liveAllocations());
        fails(CudaStatus.INVALID_CONTEXT, () -> sim.api.memAlloc(4));
        fails(CudaStatus.INVALID_CONTEXT, () -> sim.api.ctxSetCurrent(ctx));
    }

    @Test
    void pointersOfOneDeviceAreInvalidOnAnother() {
        SimulatedCuda cuda = SimulatedCudaConfig.builder().deviceCount(2).create();
        cuda.init();
        long c0 = cuda.primaryCtxRetain(0), c1 = cuda.primaryCtxRetain(1);
        cuda.ctxSetCurrent(c0);
        long p = cuda.memAlloc(64);
        cuda.ctxSetCurrent(c1);
        fails(CudaStatus.INVALID_VALUE, () -> cuda.memsetD8Async(p, (byte) 0, 64, 0));
    }

    @Test
    void unloadingAModuleInvalidatesItsFunctionsAndFreesItsVariables() {
        SimHarness sim = new SimHarness();
        long before = sim.cuda.bytesInUse(0);
        long m = sim.api.moduleLoadData(TestKernels.FEATURES);
        assertTrue(sim.cuda.bytesInUse(0) > before, "the module's .global table takes device memory");
        assertEquals(0, sim.cuda.liveAllocations(), "module variables are not counted as cuMemAlloc allocations");
        long f = sim.api.moduleGetFunction(m, "features");
        assertEquals(f, sim.api.moduleGetFunction(m, "features"));
        sim.api.moduleUnload(m);
        assertEquals(before, sim.cuda.bytesInUse(0));
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs()));
        fails(CudaStatus.INVALID_HANDLE, () -> sim.api.moduleGetFunction(m, "features"));
    }

    @Test
    void statusTablesAndCheckHelper() {
        CudaStatus.check(CudaStatus.SUCCESS, "cuInit");
        CudaException ex = fails(CudaStatus.ILLEGAL_ADDRESS, () -> CudaStatus.check(700, "cuCtxSynchronize"));
        assertEquals("cuCtxSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700): an illegal memory access was encountered", ex.getMessage());
        assertNull(ex.detail());
        assertNull(ex.jitLog());
        SimulatedCuda cuda = new SimulatedCuda();
        assertEquals("CUDA_ERROR_MISALIGNED_ADDRESS", cuda.errorName(716));
        assertEquals("unspecified launch failure", cuda.errorString(719));
        assertEquals("CUresult(12345)", cuda.errorName(12345));
    }

    @Test
    void kernelArgsExposeBytesSizesAndKinds() {
        KernelArgs a = new KernelArgs().ptr(0x1_0000_0100L).u32(-1).f32(1.5f).f64(2).longs(3, 4);
        assertEquals(5, a.count());
        assertArrayEquals(new int[] {8, 4, 4, 8, 16}, new int[] {a.size(0), a.size(1), a.size(2), a.size(3), a.size(4)});
        assertArrayEquals(new byte[] {0, 1, 0, 0, 1, 0, 0, 0}, a.bytes(0), "little-endian");
        assertEquals(KernelArgs.Kind.BYTES, a.kind(4));
        assertEquals(8, a.alignment(4));
        assertEquals("(ptr 0x100000100, u32 4294967295, f32 1.5, f64 2.0, bytes [3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0])",
                a.toString());
    }
}
