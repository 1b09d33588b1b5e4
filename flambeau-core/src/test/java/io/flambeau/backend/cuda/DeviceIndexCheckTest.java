package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.IndexException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.flambeau.backend.cuda.OnSimulatedCuda.GPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Advanced indexing on the GPU is one kernel each way, checks its indices itself and never waits
 * for the host; a bad index surfaces at the next synchronisation as the CPU's IndexException.
 */
class DeviceIndexCheckTest {
    @BeforeAll
    static void device() {
        SimCuda.install();
    }

    private static Tensor scores(Device d) {
        return Torch.arange(0.0, 24.0, 1.0).reshape(4, 6).to(d);
    }

    @Test
    void gatherAndItsBackwardAreOneKernelEachWithoutSynchronising() {
        Tensor s = scores(GPU).requiresGrad_();
        Tensor rows = Torch.tensor(new long[] {0, 1, 2, 3, 3}).to(GPU);
        Tensor cols = Torch.tensor(new long[] {5, -1, 0, 2, 2}).to(GPU);
        Cuda.synchronize(GPU);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor picked = s.get(rows, cols);
        DeviceCounters forward = Cuda.counters(GPU).minus(before);
        assertEquals(1, forward.launches(), "S[I, C] is one kernel: " + forward);
        assertEquals(0, forward.synchronizations() + forward.deviceToHost() + forward.hostToDevice(), forward.toString());
        assertArrayEquals(new float[] {5, 11, 12, 20, 20}, picked.toFloatArray());

        DeviceCounters mid = Cuda.counters(GPU);
        picked.sum().backward();
        DeviceCounters backward = Cuda.counters(GPU).minus(mid);
        assertEquals(0, backward.synchronizations() + backward.deviceToHost() + backward.hostToDevice(), backward.toString());
        assertEquals(1, backward.launchesByKernel().keySet().stream().filter(k -> k.startsWith("index_put")).count());
        float[] g = s.grad().toFloatArray();
        float[] want = new float[24];
        want[5] = 1; want[11] = 1; want[12] = 1; want[20] = 2; // row 3, column 2 twice: the atomics add up
        assertArrayEquals(want, g);
    }

    @Test
    void broadcastIndicesAndSlicesMatchTheCpu() {
        Tensor cpu = scores(Device.CPU), gpu = scores(GPU);
        Tensor i = Torch.tensor(new long[] {3, 0, -2}).reshape(3, 1), j = Torch.tensor(new long[] {1, -6});
        assertArrayEquals(cpu.get(i, j).toFloatArray(), gpu.get(i.to(GPU), j.to(GPU)).toFloatArray());
        assertArrayEquals(cpu.get(":, 1::2", null).shape().toArray(), gpu.get(":, 1::2", null).shape().toArray());
        Tensor k = Torch.tensor(new long[] {2, 0});
        assertArrayEquals(cpu.get(":", k).toFloatArray(), gpu.get(":", k.to(GPU)).toFloatArray());
        assertArrayEquals(cpu.get(k, "1:4").toFloatArray(), gpu.get(k.to(GPU), "1:4").toFloatArray());
        Tensor c2 = scores(Device.CPU), g2 = scores(GPU);
        c2.set(new Object[] {k, k}, Torch.tensor(new float[] {-1, -2}));
        g2.set(new Object[] {k.to(GPU), k.to(GPU)}, Torch.tensor(new float[] {-1, -2}).to(GPU));
        assertArrayEquals(c2.toFloatArray(), g2.toFloatArray());
        c2.set(new Object[] {":", k}, 7);
        g2.set(new Object[] {":", k.to(GPU)}, 7);
        assertArrayEquals(c2.toFloatArray(), g2.toFloatArray());
    }

    @Test
    void aBadIndexSurfacesAtTheNextSynchronisationAndTheDeviceStaysUsable() {
        Tensor s = scores(GPU);
        Tensor bad = Torch.tensor(new long[] {1, 7, 2}).to(GPU);
        Cuda.synchronize(GPU);
        DeviceCounters before = Cuda.counters(GPU);
        Tensor picked = s.get(":", bad); // queued: nothing is read back here
        DeviceCounters queued = Cuda.counters(GPU).minus(before);
        assertEquals(0, queued.synchronizations() + queued.deviceToHost(), queued.toString());
        IndexException e = assertThrows(IndexException.class, () -> Cuda.synchronize(GPU));
        assertTrue(e.getMessage().contains("index: index 7 is out of bounds for dimension 1 with size 6"), e.getMessage());
        assertTrue(e.getMessage().contains("surfaced at this synchronisation"), e.getMessage());
        Cuda.synchronize(GPU); // the record was cleared
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, s.get(1).toFloatArray());

        Tensor t = s.get(Torch.tensor(new long[] {-5}).to(GPU));
        IndexException e2 = assertThrows(IndexException.class, t::toFloatArray);
        assertTrue(e2.getMessage().contains("index -5 is out of bounds for dimension 0 with size 4"), e2.getMessage());
        assertEquals(6.0, s.get(Torch.tensor(new long[] {-3}).to(GPU), Torch.tensor(new long[] {0}).to(GPU)).item());
        assertEquals(3, picked.shape().get(1));

        Tensor z = Torch.zeros(3).to(GPU);
        z.set(Torch.tensor(new long[] {3}).to(GPU), 1.0);
        IndexException e3 = assertThrows(IndexException.class, z::toFloatArray);
        assertTrue(e3.getMessage().contains("index_put_: index 3 is out of bounds for dimension 0 with size 3"),
                e3.getMessage());
        assertArrayEquals(new float[] {0, 0, 0}, z.toFloatArray());
    }
}
