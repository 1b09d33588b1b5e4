package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.Storage;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caching allocator (size classes, reuse without driver calls, stats, out-of-memory handling)
 * and deterministic lifetime on the device: scopes keep a training loop's memory flat, closed
 * tensors refuse use, tensors of two devices refuse to mix.
 */
class CudaMemoryTest {
    private static final Device GPU = Device.cuda(0);

    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    @Test
    void sizeClassesRoundUpToKeepSlackSmall() {
        assertEquals(0, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1 << 20, CachingAllocator.sizeClass(1 << 20));
        assertEquals((1 << 20) + (1 << 18), CachingAllocator.sizeClass((1 << 20) + 1));
        for (long b = 1; b < 1L << 34; b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && c - b < Math.max(512, b / 4 + 1), "class of " + b + " is " + c);
        }
    }

    @Test
    void freedBlocksAreReusedWithoutDriverCallsAndStatsAddUp() {
        SimulatedCuda sim = new SimulatedCuda();
        try (CudaBackend gpu = new CudaBackend(sim, 0)) {
            Storage a = gpu.allocate(DType.FLOAT32, 1000);
            assertEquals(4096, gpu.memoryAllocated(), "4000 bytes round up to 4096");
            a.close();
            assertEquals(0, gpu.memoryAllocated());
            assertEquals(4096, gpu.memoryReserved(), "the block stays cached");
            long calls = sim.allocationCount();
            Storage b = gpu.allocate(DType.INT64, 500);
            assertEquals(calls, sim.allocationCount(), "same size class: reused, no cuMemAlloc");
            assertEquals(a.dataPtr(), b.dataPtr());
            assertEquals(4096, gpu.maxMemoryAllocated());
            b.close();
            gpu.emptyCache();
            assertEquals(0, gpu.memoryReserved());
            assertEquals(0, sim.liveAllocations(), "emptyCache returns the blocks to the driver");
            gpu.setCaching(false);
            Storage c = gpu.allocate(DType.FLOAT64, 10);
            c.close();
            assertEquals(0, gpu.memoryReserved(), "without caching a free goes straight to the driver");
        }
    }

    @Test
    void outOfMemoryFreesTheCacheRetriesThenThrowsWithFigures() {
        SimulatedCuda sim = new SimulatedCuda(SimulatedCudaConfig.builder().totalMemory(8 << 20).build());
        try (CudaBackend gpu = new CudaBackend(sim, 0)) {
            Storage cached = gpu.allocate(DType.FLOAT32, 1 << 20); // 4 MiB, then cached
            cached.close();
            Storage live = gpu.allocate(DType.FLOAT32, 768 << 10); // 3 MiB, different class: cache stays
            Storage big = gpu.allocate(DType.FLOAT32, 1 << 20 | 1 << 18); // 5 MiB: fits only once the cache is freed
            assertEquals(0, gpu.memoryReserved() - gpu.memoryAllocated(), "the cached block was freed to make room");
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> gpu.allocate(DType.FLOAT64, 1 << 20));
            assertEquals(8 << 20, e.requestedBytes());
            assertEquals(gpu.memoryAllocated(), e.allocatedBytes());
            assertTrue(e.getMessage().contains("tried to allocate 8.00 MiB") && e.getMessage().contains("Scope"), e.getMessage());
            live.close();
            big.close();
        }
    }

    @Test
    void aThousandScopedTrainingStepsKeepReservedMemoryFlat() {
        Tensor w = Torch.randn(8, 4).to(GPU).requiresGrad_(true);
        Tensor x = Torch.randn(16, 8).to(GPU);
        Tensor y = Torch.randn(16, 4).to(GPU);
        long reservedAfterWarmUp = 0;
        double firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 1000; step++) {
            try (Scope s = Scope.open()) {
                Tensor loss = x.matmul(w).sub(y).square().mean();
                loss.backward();
                try (var ignored = Torch.noGrad()) {
                    w.sub_(w.grad().mul(0.05));
                }
                w.grad().zero_();
                lastLoss = loss.item();
                if (step == 0) firstLoss = lastLoss;
            }
            if (step == 10) reservedAfterWarmUp = Cuda.memoryReserved(GPU);
            if (step > 10) assertEquals(reservedAfterWarmUp, Cuda.memoryReserved(GPU), "reserved memory grew at step " + step);
        }
        assertTrue(lastLoss < firstLoss, "the loop trained: " + firstLoss + " -> " + lastLoss);
        assertFalse(w.grad().isClosed(), "the accumulated gradient outlives the scopes");
    }

    @Test
    void keptTensorsSurviveTheirScopeAndOthersAreClosed() {
        Tensor kept, dropped;
        try (Scope s = Scope.open()) {
            Tensor a = Torch.full(new long[] {3}, 1.0, DType.FLOAT32, GPU);
            kept = s.keep(a.add(1.0));
            dropped = a.mul(2.0);
        }
        assertEquals(6.0, kept.sum().item());
        ClosedTensorException e = assertThrows(ClosedTensorException.class, () -> dropped.add(1.0));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        Tensor t = Torch.full(new long[] {2}, 0.0, DType.FLOAT32, GPU);
        long before = Cuda.memoryAllocated(GPU);
        t.close();
        assertTrue(Cuda.memoryAllocated(GPU) < before, "close() frees now");
        assertThrows(ClosedTensorException.class, t::sum);
        kept.close();
    }

    @Test
    void mixingDevicesNamesBothDevices() {
        Tensor g = Torch.full(new long[] {2}, 1.0, DType.FLOAT32, GPU), c = Torch.full(new long[] {2}, 1.0, DType.FLOAT32, Device.CPU);
        DeviceException e = assertThrows(DeviceException.class, () -> g.add(c));
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("cpu"), e.getMessage());
        CudaBackend gpu = SimCuda.install();
        View cpuView = CudaBackend.dense(TwinViews.CPU.upload(new float[] {1}), new long[] {1});
        View out = CudaBackend.dense(gpu.allocate(DType.FLOAT32, 1), new long[] {1});
        DeviceException backendLevel = assertThrows(DeviceException.class,
                () -> gpu.unary(io.flambeau.backend.UnaryOp.EXP, cpuView, out, 0, 0));
        assertTrue(backendLevel.getMessage().contains("EXP") && backendLevel.getMessage().contains("cuda:0")
                && backendLevel.getMessage().contains("cpu"), backendLevel.getMessage());
    }

    @Test
    void unreachableStoragesAreFreedByTheCleanerAsASafetyNet() throws InterruptedException {
        SimulatedCuda sim = new SimulatedCuda();
        try (CudaBackend gpu = new CudaBackend(sim, 0)) {
            List<Storage> keep = new ArrayList<>();
            keep.add(gpu.allocate(DType.FLOAT32, 100));
            for (int i = 0; i < 50; i++) gpu.allocate(DType.FLOAT32, 100); // dropped without close
            for (int i = 0; i < 50 && gpu.memoryAllocated() > 512; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(512, gpu.memoryAllocated(), "only the reachable storage still holds memory");
            keep.forEach(Storage::close);
        }
    }
}
