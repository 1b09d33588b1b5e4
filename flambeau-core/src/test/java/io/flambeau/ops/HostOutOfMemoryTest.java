package io.flambeau.ops;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.OutOfMemoryException;
import io.flambeau.testutil.OnDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A CPU tensor larger than the Java heap is a typed {@link OutOfMemoryException} naming the op, the
 * bytes asked for and what the heap had free, with the JVM's {@link OutOfMemoryError} as its cause;
 * the process carries on. Each request here (16 GiB) is far above the tests' heap (-Xmx4g), so the
 * JVM refuses it at once without filling the heap first.
 */
class HostOutOfMemoryTest {
    private static final long N = (1L << 31) - 16; // the most elements a CPU tensor may have, about

    @Test
    void creationNamesTheOpTheBytesAndTheFreeHeap() {
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class,
                () -> OnDevice.call(Device.CPU, () -> Torch.zeros(DType.FLOAT64, N)));
        String m = e.getMessage();
        assertTrue(m.startsWith("zeros: out of memory on cpu: tried to allocate 16.00 GiB"), m);
        assertTrue(m.contains("float64") && m.contains("[" + N + "]") && m.contains("free of its maximum")
                && m.contains("-Xmx"), m);
        assertEquals(N * 8, e.requestedBytes());
        assertTrue(e.freeBytes() >= 0 && e.freeBytes() <= Runtime.getRuntime().maxMemory(), "free " + e.freeBytes());
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
    }

    @Test
    void anOpsOutputNamesThatOp() {
        Tensor huge = OnDevice.call(Device.CPU, () -> Torch.zeros(DType.FLOAT64, 1).expand(N)); // a view: no memory
        OutOfMemoryException e = assertThrows(OutOfMemoryException.class, () -> huge.add(1.0));
        assertTrue(e.getMessage().startsWith("add: out of memory on cpu"), e.getMessage());
        e = assertThrows(OutOfMemoryException.class, () -> huge.contiguous());
        assertTrue(e.getMessage().startsWith("clone: out of memory"), e.getMessage());
        // and the process goes on: memory is still there for ordinary work
        assertEquals(6.0, OnDevice.call(Device.CPU, () -> Torch.ones(3).mul(2.0).sum()).item());
    }
}
