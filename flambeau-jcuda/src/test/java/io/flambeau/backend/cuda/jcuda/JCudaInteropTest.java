package io.flambeau.backend.cuda.jcuda;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import io.flambeau.core.Ownership;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flambeau tensors and JCuda code sharing device memory and a stream without copies: tensors over
 * memory JCuda allocated (borrowed or owned), JCuda reading Flambeau's results through
 * {@link JCudaInterop#pointer}, ordered by {@link JCudaInterop#stream}. The CUDA backend runs through
 * the JCuda binding on the loopback driver, kernels on the simulator.
 */
@ExtendWith(JCudaGoldenPrerequisites.class)
class JCudaInteropTest {
    private static final Device CUDA0 = Device.cuda(0);
    private static CudaBackend backend;

    @BeforeAll
    static void install() {
        LoopbackAccess.require();
        LoopbackAccess.configure(1, 13000, 1L << 30);
        LoopbackAccess.executeOnSimulator();
        backend = LoopbackAccess.installCudaBackend(JCudaApi.open());
    }

    @AfterAll
    static void remove() {
        try {
            if (backend != null) LoopbackAccess.removeCudaBackend(backend);
        } finally {
            LoopbackAccess.configure(0, 13000, LoopbackAccess.DEFAULT_MEMORY);
        }
    }

    @BeforeEach
    void bindFlambeausContext() {
        assertEquals(0, JCudaDriver.cuCtxSetCurrent(JCudaInterop.context(CUDA0)));
    }

    private static CUdeviceptr jcudaFloats(float... values) {
        CUdeviceptr p = new CUdeviceptr();
        assertEquals(0, JCudaDriver.cuMemAlloc(p, 4L * values.length));
        assertEquals(0, JCudaDriver.cuMemcpyHtoD(p, Pointer.to(values), 4L * values.length));
        return p;
    }

    private static float[] jcudaRead(CUdeviceptr p, int n) {
        assertEquals(0, JCudaDriver.cuStreamSynchronize(JCudaInterop.stream(CUDA0)), "wait for Flambeau's queued work");
        float[] out = new float[n];
        assertEquals(0, JCudaDriver.cuMemcpyDtoH(Pointer.to(out), p, 4L * n));
        return out;
    }

    @Test
    void aBorrowedJCudaBufferIsATensorWithoutACopy() {
        CUdeviceptr p = jcudaFloats(1, 2, 3, 4);
        Tensor t = JCudaInterop.wrap(p, new long[] {2, 2}, DType.FLOAT32, CUDA0, Ownership.BORROWED);
        assertEquals(JCudaHandles.value(p), t.dataPtr(), "the tensor is the JCuda memory itself");
        assertArrayEquals(new float[] {2, 4, 6, 8}, t.mul(2.0).toFloatArray());
        t.mul_(3.0); // Flambeau writes into JCuda's memory
        assertArrayEquals(new float[] {3, 6, 9, 12}, jcudaRead(p, 4));
        long live = LoopbackAccess.live("allocations");
        t.close();
        assertEquals(live, LoopbackAccess.live("allocations"), "borrowed memory is never freed by Flambeau");
        assertEquals(0, JCudaDriver.cuMemFree(p));
    }

    @Test
    void stridesDescribeTheBorrowedLayout() {
        CUdeviceptr p = jcudaFloats(1, 2, 3, 4, 5, 6);
        // the 2x3 row-major buffer read as its 3x2 transpose
        Tensor t = JCudaInterop.wrap(p, new long[] {3, 2}, new long[] {1, 3}, DType.FLOAT32, CUDA0, Ownership.BORROWED);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
        assertArrayEquals(new float[] {5, 7, 9}, t.sum(1).toFloatArray());
        t.close();
        JCudaDriver.cuMemFree(p);
    }

    @Test
    void anOwnedBufferIsFreedWhenTheTensorCloses() {
        CUdeviceptr p = jcudaFloats(5, 6);
        long live = LoopbackAccess.live("allocations");
        Tensor t = JCudaInterop.wrap(p, new long[] {2}, DType.FLOAT32, CUDA0, Ownership.OWNED);
        assertArrayEquals(new float[] {5, 6}, t.toFloatArray());
        t.close();
        assertEquals(live - 1, LoopbackAccess.live("allocations"), "closing freed the JCuda allocation");
    }

    @Test
    void jcudaReadsFlambeausResultsThroughDataPtrOnItsStream() {
        Tensor a = Torch.tensor(new float[] {1, 2, 3, 4, 5, 6}, DType.FLOAT32, CUDA0).reshape(2, 3);
        Tensor r = a.add(10.0);
        assertArrayEquals(new float[] {11, 12, 13, 14, 15, 16}, jcudaRead(JCudaInterop.pointer(r), 6));
        Tensor row = r.get(1);
        assertEquals(r.dataPtr() + 3 * 4, row.dataPtr(), "a view's pointer is its first element");
        assertArrayEquals(new float[] {14, 15, 16}, jcudaRead(JCudaInterop.pointer(row), 3));
        assertEquals(Cuda.stream(CUDA0), JCudaHandles.value(JCudaInterop.stream(CUDA0)));
        assertEquals(Cuda.stream(CUDA0), JCudaHandles.value(JCudaInterop.runtimeStream(CUDA0)));
    }

    @Test
    void misuseIsATypedError() {
        DeviceException cpu = assertThrows(DeviceException.class, () -> Torch.tensor(new float[] {1}, DType.FLOAT32, Device.CPU).dataPtr());
        assertTrue(cpu.getMessage().contains("cpu"), cpu.getMessage());
        CUdeviceptr p = jcudaFloats(1, 2, 3, 4);
        DeviceException misaligned = assertThrows(DeviceException.class, () -> Cuda.wrap(JCudaHandles.value(p) + 2,
                new long[] {1}, DType.FLOAT32, CUDA0, Ownership.BORROWED));
        assertTrue(misaligned.getMessage().contains("not aligned to 4 bytes"), misaligned.getMessage());
        assertThrows(DeviceException.class, () -> Cuda.wrap(0, new long[] {1}, DType.FLOAT32, CUDA0, Ownership.BORROWED));
        assertThrows(DeviceException.class, () -> Cuda.stream(Device.CPU));
        JCudaDriver.cuMemFree(p);
    }
}
