package io.flambeau.backend.cuda;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.Backends;
import io.flambeau.backend.Storage;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;
import io.flambeau.optim.Optimizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device memory held only by unreachable tensors is not an out-of-memory: before failing, the
 * allocator lets the garbage collector find them and the {@code Cleaner} return their blocks,
 * then retries. On an 8 MiB simulated device, code that never closes a tensor nor opens a
 * {@code Scope} keeps running.
 */
class DeviceMemoryPressureTest {
    static final long EIGHT_MIB = 8 << 20;

    private static CudaBackend smallDevice() {
        return new CudaBackend(new SimulatedCuda(SimulatedCudaConfig.builder().totalMemory(EIGHT_MIB).build()), 0);
    }

    /** 200 MiB through an 8 MiB device in dropped 1 MiB storages: little Java garbage, so no GC would come by itself. */
    @Test
    void droppedStoragesAreReclaimedWhenTheDeviceIsFull() {
        try (CudaBackend gpu = smallDevice()) {
            for (int i = 0; i < 200; i++) {
                gpu.allocate(DType.FLOAT32, 256 << 10);          // 1 MiB, dropped at once
            }
            assertTrue(gpu.allocator().garbageRecoveries() > 0, "the allocator had to collect garbage to go on");
            assertTrue(gpu.memoryAllocated() <= EIGHT_MIB);
        }
    }

    /** When even the garbage does not make room, the error says how much the collection returned. */
    @Test
    void theErrorSaysHowMuchWasGarbage() {
        try (CudaBackend gpu = smallDevice()) {
            Storage live = gpu.allocate(DType.FLOAT32, 1 << 20);      // 4 MiB held
            gpu.allocate(DType.FLOAT32, 512 << 10);                   // 2 MiB dropped: garbage
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> gpu.allocate(DType.FLOAT32, 1 << 20 | 1 << 19)); // 6 MiB cannot fit beside the 4 MiB
            assertEquals(2 << 20, e.garbageBytes(), e.getMessage());
            assertTrue(e.getMessage().contains("a garbage collection returned 2.00 MiB of unreachable tensors"), e.getMessage());
            assertTrue(e.getMessage().contains("tried to allocate 6.00 MiB") && e.getMessage().contains("Scope"), e.getMessage());
            live.close();
        }
    }

    /**
     * The spiral's step (Linear(2,200)+ReLU → Linear(200,3), cross-entropy, Adam) 200 times, no
     * Scope, no close(): on 30 points instead of 300, to keep the interpreted kernels quick, which
     * still goes through several times the device's memory (whether the collector runs on its own
     * first depends on the heap; {@link #droppedStoragesAreReclaimedWhenTheDeviceIsFull} is the case where it does not).
     */
    @Test
    void twoHundredSpiralStepsWithoutAScopeFinishOnAnEightMebibyteDevice() {
        // the small device stands in for cuda:0 (a backend reports the ordinal of its own driver)
        Device device = Device.cuda(0);
        CudaBackend shared = SimCuda.install();
        try (CudaBackend gpu = smallDevice()) {
            Backends.register(device, gpu);
            try {
                Torch.manualSeed(3);
                Sequential model = new Sequential(new Linear(2, 200), new ReLU(), new Linear(200, 3));
                model.to(device);
                Tensor x = Torch.randn(30, 2).to(device);
                Tensor y = Torch.randint(0, 3, 30).to(device);
                Optimizer opt = new Adam(model.parameters(), Adam.options().lr(0.01));
                double first = 0, last = 0;
                for (int step = 0; step < 200; step++) {
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(x), y);
                    loss.backward();
                    opt.step();
                    if (step == 0) first = loss.item();
                    if (step == 199) last = loss.item();
                }
                assertTrue(last < first, "it trained: " + first + " -> " + last);
                assertTrue(gpu.maxMemoryAllocated() <= EIGHT_MIB);
                long used = gpu.allocator().freedBytes() + gpu.memoryAllocated();
                assertTrue(used > 2 * EIGHT_MIB, "the run went through more than twice the device's memory: " + used);
                System.out.println("spiral steps on 8 MiB: " + gpu.allocator().garbageRecoveries()
                        + " allocations waited for the garbage collector, " + gpu.allocator().driverAllocations()
                        + " cuMemAlloc, " + (used >> 20) + " MiB allocated in all");
            } finally {
                Backends.register(device, shared);
            }
        }
    }
}
